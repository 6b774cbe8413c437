using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Ear.Api.Platform.OpenApi;

/// <summary>
/// The summaries of the assembly's XML comments, for the places Swashbuckle does not carry them itself
/// (the properties behind [AsParameters] query parameters, request bodies).
/// </summary>
internal static partial class XmlDocs
{
    public static readonly string FilePath = Path.Combine(AppContext.BaseDirectory, "Ear.Api.xml");

    private static readonly Lazy<Dictionary<string, string>> Summaries = new(() =>
        XDocument.Load(FilePath).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => Text(m.Element("summary")!), StringComparer.Ordinal));

    public static string? Summary(MemberInfo member)
    {
        var name = member is Type type ? $"T:{Name(type)}" : $"P:{Name(member.DeclaringType!)}.{member.Name}";
        return Summaries.Value.GetValueOrDefault(name);
    }

    private static string Name(Type type) => type.FullName!.Replace('+', '.');

    private static string Text(XElement summary)
    {
        foreach (var reference in summary.Descendants().Where(e => e.Attribute("cref") is not null).ToList())
        {
            reference.ReplaceWith(((string)reference.Attribute("cref")!).Split('.')[^1]);
        }

        return Spaces().Replace(summary.Value, " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
