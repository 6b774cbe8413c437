namespace Ear.Matching;

public sealed record ThemeNeed(string Code, double Weight);

public sealed record LanguageNeed(string Code, int MinRank, bool Required);

/// <summary>What the team must be; null or zero bounds are not applied.</summary>
public sealed record TeamSpec(int Size, int MinEu = 0, int MinSouth = 0, int? MaxOther = null, int? MaxPerCountry = null, int MinWomen = 0);

/// <summary>
/// How much each component counts in a candidate's score, in the order of <see cref="ScoreComponents.All"/>.
/// They need not add up to one.
/// </summary>
public sealed class Weights : IEquatable<Weights>
{
    private readonly double[] _values;

    public Weights(params double[] values)
    {
        if (values.Length != ScoreComponents.Count)
        {
            throw new ArgumentException($"One weight per component ({ScoreComponents.Count}).", nameof(values));
        }

        _values = (double[])values.Clone();
    }

    /// <summary>
    /// Each entry's default: theme fit matters most; language, region, track record and rotation next;
    /// South-South proximity is a tie-breaker in favour of regional experts, as partners ask for them.
    /// </summary>
    public static readonly Weights Default = new(ScoreComponents.All.Select(c => c.DefaultWeight).ToArray());

    public static readonly IReadOnlyList<string> Names = ScoreComponents.All.Select(c => c.Name).ToArray();

    public double this[int index] => _values[index];

    public double this[string name] => _values[ScoreComponents.Require(name)];

    public Weights With(string name, double value)
    {
        var values = (double[])_values.Clone();
        values[ScoreComponents.Require(name)] = value;
        return new Weights(values);
    }

    public bool Equals(Weights? other) => other is not null && _values.AsSpan().SequenceEqual(other._values);

    public override bool Equals(object? obj) => Equals(obj as Weights);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in _values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }
}

public sealed record MatchCriteria
{
    public required IReadOnlyList<ThemeNeed> Themes { get; init; }
    public required IReadOnlySet<string> BeneficiaryCountries { get; init; }

    /// <summary>The countries of the action's region (South-South proximity, regional experience).</summary>
    public required IReadOnlySet<string> RegionCountries { get; init; }

    public required IReadOnlyList<LanguageNeed> Languages { get; init; }
    public required DayRange Period { get; init; }
    public TeamSpec? Team { get; init; }
    public int Limit { get; init; } = 20;
    public IReadOnlySet<Guid> Excluded { get; init; } = new HashSet<Guid>();
    public IReadOnlyList<Guid> Explain { get; init; } = [];
    public Weights Weights { get; init; } = Weights.Default;
}

/// <summary>The theme hierarchy: a code's parent, or null for the five areas.</summary>
public sealed class Taxonomy(IReadOnlyDictionary<string, string?> parents)
{
    public IEnumerable<string> Codes => parents.Keys;

    public bool IsWithin(string code, string ancestor)
    {
        for (string? current = code; current is not null; current = parents.GetValueOrDefault(current))
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }
}
