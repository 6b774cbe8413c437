namespace Ear.Matching;

public sealed record ThemeNeed(string Code, double Weight);

public sealed record LanguageNeed(string Code, int MinRank, bool Required);

/// <summary>What the team must be; null or zero bounds are not applied.</summary>
public sealed record TeamSpec(int Size, int MinEu = 0, int MinSouth = 0, int? MaxOther = null, int? MaxPerCountry = null, int MinWomen = 0);

/// <summary>How much each component counts in a candidate's score. They need not add up to one.</summary>
public sealed record Weights(double ThemeFit, double Language, double RegionExperience, double TrackRecord, double SouthSouth, double Rotation)
{
    /// <summary>
    /// Theme fit matters most; language, region, track record and rotation next; South-South
    /// proximity is a tie-breaker in favour of regional experts, as partners ask for them.
    /// </summary>
    public static readonly Weights Default = new(0.35, 0.15, 0.15, 0.15, 0.05, 0.15);

    public static readonly IReadOnlyList<string> Names = ["themeFit", "language", "regionExperience", "trackRecord", "southSouth", "rotation"];

    public double this[string name] => name switch
    {
        "themeFit" => ThemeFit,
        "language" => Language,
        "regionExperience" => RegionExperience,
        "trackRecord" => TrackRecord,
        "southSouth" => SouthSouth,
        "rotation" => Rotation,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a component."),
    };

    public Weights With(string name, double value) => name switch
    {
        "themeFit" => this with { ThemeFit = value },
        "language" => this with { Language = value },
        "regionExperience" => this with { RegionExperience = value },
        "trackRecord" => this with { TrackRecord = value },
        "southSouth" => this with { SouthSouth = value },
        "rotation" => this with { Rotation = value },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a component."),
    };
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
