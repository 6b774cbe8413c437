using System.Collections;
using System.Reflection;

namespace Ear.Api.Platform.OpenApi;

/// <summary>
/// A string that takes one of the values of a table in the code (a list, or a dictionary's keys), named
/// by its type and member, so that the document's enum is read from the table the validation uses.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class OneOfAttribute(Type table, string member) : Attribute
{
    public IReadOnlyList<string> Values => Vocabulary.Read(table, member);

    /// <summary>What each value means, when the table is a dictionary of values to their words; null otherwise.</summary>
    public IReadOnlyDictionary<string, string>? Meanings => Vocabulary.Meanings(table, member);
}

/// <summary>A dictionary whose keys are the values of a table in the code; <see cref="Always"/> when every key is always sent.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class KeysOneOfAttribute(Type table, string member) : Attribute
{
    public bool Always { get; init; }

    public IReadOnlyList<string> Values => Vocabulary.Read(table, member);
}

/// <summary>
/// A request property the validation refuses to go without. Request records type every property as
/// nullable so that a missing value is answered with the field's name; this says which ones must be sent.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class RequestRequiredAttribute : Attribute;

/// <summary>
/// What a client should send or will read when the C# type says less: a query parameter bound as text
/// (so that a wrong one is a named validation error) that is an integer or a date, or a number's range.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class WireFormatAttribute : Attribute
{
    /// <summary>string, integer or number; empty: as the C# type says.</summary>
    public string Type { get; init; } = "";

    public string Format { get; init; } = "";

    public double Minimum { get; init; } = double.NaN;

    public double Maximum { get; init; } = double.NaN;

    public int MaxLength { get; init; } = -1;
}

internal static class Vocabulary
{
    public static IReadOnlyDictionary<string, string>? Meanings(Type table, string member)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        return (table.GetField(member, flags)?.GetValue(null) ?? table.GetProperty(member, flags)?.GetValue(null)) as IReadOnlyDictionary<string, string>;
    }

    public static IReadOnlyList<string> Read(Type table, string member)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        var value = table.GetField(member, flags)?.GetValue(null) ?? table.GetProperty(member, flags)?.GetValue(null)
            ?? throw new InvalidOperationException($"{table.Name}.{member} is not a static field or property.");
        return value switch
        {
            IDictionary dictionary => dictionary.Keys.Cast<string>().ToList(),
            IEnumerable<string> values => values.ToList(),
            _ => throw new InvalidOperationException($"{table.Name}.{member} is neither a list of strings nor a dictionary keyed by them."),
        };
    }
}
