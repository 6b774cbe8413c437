using Ear.Matching;

namespace Ear.Matching.Tests;

/// <summary>An eligible EU expert by default; each method changes one thing.</summary>
internal sealed record ExpertBuilder
{
    private static int _sequence;

    public Candidate Candidate { get; init; } = new()
    {
        Id = new Guid(Interlocked.Increment(ref _sequence), 0, 0, new byte[8]),
        Kind = ExpertKind.EuCivilServant,
        Nationality = "FR",
        MemberState = "FR",
        IsWoman = true,
        Gender = "female",
        IsActive = true,
        HasConsent = true,
        Languages = new Dictionary<string, int> { ["fr"] = 7, ["en"] = 5 },
        Themes = new Dictionary<string, int> { ["irregular.trafficking"] = 2 },
        CountriesOfExperience = new HashSet<string>(),
        Unavailability = [],
        Deployments = [],
    };

    public static ExpertBuilder AnExpert() => new();

    public ExpertBuilder Of(ExpertKind kind, string nationality, string? memberState = null) =>
        this with { Candidate = Candidate with { Kind = kind, Nationality = nationality, MemberState = memberState } };

    public ExpertBuilder Man() => this with { Candidate = Candidate with { IsWoman = false, Gender = "male" } };

    public ExpertBuilder Knowing(string theme, int level) => this with { Candidate = Candidate with { Themes = new Dictionary<string, int> { [theme] = level } } };

    public ExpertBuilder Speaking(string code, int rank) => this with { Candidate = Candidate with { Languages = new Dictionary<string, int> { [code] = rank } } };

    public ExpertBuilder ExperiencedIn(params string[] countries) => this with { Candidate = Candidate with { CountriesOfExperience = countries.ToHashSet() } };

    public ExpertBuilder Unavailable(string from, string to) => this with { Candidate = Candidate with { Unavailability = [new DayRange(Day(from), Day(to))] } };

    public ExpertBuilder Deployed(string from, string to, string country = "MA", string theme = "irregular.trafficking", int? rating = null, Recommendation? recommendation = null) =>
        this with
        {
            Candidate = Candidate with
            {
                Deployments = [.. Candidate.Deployments, new PastDeployment(new DayRange(Day(from), Day(to)), [country], [theme], rating, recommendation)],
            },
        };

    public ExpertBuilder With(Func<Candidate, Candidate> change) => this with { Candidate = change(Candidate) };

    public static implicit operator Candidate(ExpertBuilder builder) => builder.Candidate;

    private static DateOnly Day(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}

internal static class Criteria
{
    public static readonly Taxonomy Taxonomy = new(new Dictionary<string, string?>
    {
        ["irregular"] = null, ["irregular.trafficking"] = "irregular", ["irregular.border-management"] = "irregular",
        ["legal"] = null, ["legal.labour-migration"] = "legal", ["development"] = null, ["development.diaspora"] = "development",
    });

    public static MatchCriteria ForPeru(Func<MatchCriteria, MatchCriteria>? change = null)
    {
        var criteria = new MatchCriteria
        {
            Themes = [new ThemeNeed("irregular.trafficking", 1.0)],
            BeneficiaryCountries = new HashSet<string> { "PE" },
            RegionCountries = new HashSet<string> { "PE", "BO", "AR", "CO" },
            Languages = [new LanguageNeed("es", 4, Required: false)],
            Period = new DayRange(new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 10)),
        };
        return change is null ? criteria : change(criteria);
    }

    public static MatchResult Run(MatchCriteria criteria, params Candidate[] pool) => MatchingEngine.Run(pool, criteria, Taxonomy);
}
