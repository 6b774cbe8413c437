using System.Globalization;
using System.Runtime.CompilerServices;

namespace Ear.Matching;

/// <summary>
/// One component of a score: its wire name (the key in <c>components</c> and <c>weights</c>), its default
/// weight, what raises it in the README's words (a test compares them with the README's table), and the
/// sentence(s) it adds to a candidate's reasons. Its value is its line in <see cref="Scoring.Score"/>, at
/// the entry's <see cref="Index"/>: written out, not a delegate, so the per-expert loop stays a few array reads.
/// </summary>
public sealed class ScoreComponent(int index, string name, double defaultWeight, string description, Action<Scoring, Candidate, List<string>> explain)
{
    public int Index { get; } = index;
    public string Name { get; } = name;
    public double DefaultWeight { get; } = defaultWeight;
    public string Description { get; } = description;

    /// <summary>Adds the facts behind this component, in words, to a candidate's reasons.</summary>
    internal void Explain(Scoring scoring, Candidate candidate, List<string> reasons) => explain(scoring, candidate, reasons);
}

/// <summary>
/// The components of a score, one entry each; an entry's position is its index in <see cref="Components"/>
/// and <see cref="Weights"/>, and the order in which reasons and the wire list them.
/// </summary>
public static class ScoreComponents
{
    public const int ThemeFit = 0, Language = 1, RegionExperience = 2, TrackRecord = 3, SouthSouth = 4, Rotation = 5;

    /// <summary>How many there are: the size of <see cref="Components"/>' inline buffer.</summary>
    public const int Count = 6;

    public static readonly IReadOnlyList<ScoreComponent> All =
    [
        new(ThemeFit, "themeFit", 0.35,
            "the expert's level (÷3) at each requested theme or below it (half when only a broader theme is held), weighted by the themes' weights",
            static (s, c, r) => s.ExplainThemeFit(c, r)),
        new(Language, "language", 0.15,
            "level in each requested language: 0.75 at the minimum, up to 1 at native; half the reached share below it",
            static (s, c, r) => s.ExplainLanguage(c, r)),
        new(RegionExperience, "regionExperience", 0.15,
            "1 for a past deployment in a beneficiary country, 0.6 in the region; declared experience 0.7 / 0.4",
            static (s, c, r) => s.ExplainRegionExperience(c, r)),
        new(TrackRecord, "trackRecord", 0.15,
            "past deployments on these themes (three count fully) and the mean of past evaluations (0 without consent to their use)",
            static (s, c, r) => s.ExplainTrackRecord(c, r)),
        new(SouthSouth, "southSouth", 0.05,
            "1 for a South expert from the action's region, 0.25 from elsewhere",
            static (s, c, r) => s.ExplainSouthSouth(c, r)),
        new(Rotation, "rotation", 0.15,
            "fewer deployments in the two years before the period, and a member state with a smaller share of them",
            static (s, c, r) => s.ExplainRotation(c, r)),
    ];

    /// <summary>The entry's index, or -1 when the name is not a component.</summary>
    public static int IndexOf(string name)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    internal static int Require(string name) =>
        IndexOf(name) is >= 0 and var index ? index : throw new ArgumentOutOfRangeException(nameof(name), name, "Not a component.");
}

[InlineArray(ScoreComponents.Count)]
internal struct ComponentValues
{
    private double _first;
}

/// <summary>One candidate's components, each in [0, 1], in the order of <see cref="ScoreComponents.All"/>; no allocation.</summary>
public readonly struct Components : IEquatable<Components>
{
    private readonly ComponentValues _values;

    internal Components(ComponentValues values) => _values = values;

    public double this[int index] => _values[index];

    public double this[string name] => _values[ScoreComponents.Require(name)];

    public double WeightedSum(Weights w)
    {
        var sum = 0.0;
        for (var i = 0; i < ScoreComponents.Count; i++)
        {
            sum += w[i] * _values[i];
        }

        return sum;
    }

    public bool Equals(Components other)
    {
        for (var i = 0; i < ScoreComponents.Count; i++)
        {
            if (!_values[i].Equals(other._values[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is Components other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < ScoreComponents.Count; i++)
        {
            hash.Add(_values[i]);
        }

        return hash.ToHashCode();
    }

    public override string ToString()
    {
        var self = this;
        return string.Join(", ", ScoreComponents.All.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} = {self[c.Index]}")));
    }

    public static bool operator ==(Components left, Components right) => left.Equals(right);

    public static bool operator !=(Components left, Components right) => !left.Equals(right);
}

/// <summary>
/// Scores candidates for one request. Every component is in [0, 1] and moves one way only; what each one
/// means is its entry in <see cref="ScoreComponents.All"/>, how it is computed its line in <see cref="Score"/>.
/// </summary>
public sealed class Scoring
{
    public const int RotationWindowDays = 730;

    private readonly MatchCriteria _criteria;
    private readonly Taxonomy _taxonomy;
    private readonly Roster _roster;
    private readonly double _themeWeightTotal;
    private readonly int _periodFrom;
    private readonly int _windowStart;

    // What the request makes of each thing a candidate may have, worked out once per request so that
    // scoring a candidate is a few array lookups: per requested theme, what holding each theme id is
    // worth per level (1/3 at or below it, 1/6 above it); per interned country set of a deployment,
    // what a deployment there proves (1 a beneficiary country, 0.6 the region); per interned theme set,
    // whether a deployment on it was on these themes; per member state, its share of recent deployments.
    private readonly double[][] _themeValue;
    private readonly double[] _placeValue;
    private readonly bool[] _relevantTopic;
    private readonly HashSet<string> _relevantThemes = new(StringComparer.Ordinal);
    private readonly bool[] _beneficiary;
    private readonly bool[] _region;
    private readonly double[] _memberStateShare = new double[CountryIndex.Count];
    private readonly (byte[]? Ranks, LanguageNeed Need)[] _languages;

    public Scoring(MatchCriteria criteria, Taxonomy taxonomy, Roster roster)
    {
        _criteria = criteria;
        _taxonomy = taxonomy;
        _roster = roster;
        _themeWeightTotal = criteria.Themes.Sum(t => t.Weight);
        _periodFrom = criteria.Period.From.DayNumber;
        _windowStart = WindowStart.DayNumber;
        var (total, byState) = roster.DeploymentsStarting(WindowStart, criteria.Period.From);
        foreach (var (state, count) in byState)
        {
            _memberStateShare[state] = total == 0 ? 0 : count / (double)total;
        }

        _beneficiary = CountryIndex.Flags(criteria.BeneficiaryCountries);
        _region = CountryIndex.Flags(criteria.RegionCountries);
        _languages = criteria.Languages.Select(l => (roster.LanguageRanks(l.Code), l)).ToArray();

        _themeValue = criteria.Themes.Select(_ => new double[roster.ThemeIds.Count]).ToArray();
        var relevantIds = new bool[roster.ThemeIds.Count];
        foreach (var code in taxonomy.Codes)
        {
            for (var i = 0; i < criteria.Themes.Count; i++)
            {
                var need = criteria.Themes[i].Code;
                var value = taxonomy.IsWithin(code, need) ? 1 / 3.0 : taxonomy.IsWithin(need, code) ? 1 / 6.0 : 0;
                if (value > 0)
                {
                    _relevantThemes.Add(code);
                    if (roster.ThemeIds.Find(code) is >= 0 and var id)
                    {
                        _themeValue[i][id] = value;
                        relevantIds[id] = true;
                    }
                }
            }
        }

        _relevantTopic = roster.Topics.Sets.Select(set => set.Any(id => relevantIds[id])).ToArray();
        _placeValue = roster.Places.Sets.Select(set => set.Any(c => _beneficiary[c]) ? 1.0 : set.Any(c => _region[c]) ? 0.6 : 0).ToArray();
    }

    private DateOnly WindowStart => _criteria.Period.From.AddDays(-RotationWindowDays);

    /// <summary>
    /// The components of the expert in this slot of the roster: one line per entry of
    /// <see cref="ScoreComponents.All"/>, at its index, written out so the per-expert loop makes no call per component.
    /// </summary>
    public Components Score(int slot)
    {
        var past = Walk(slot);
        var values = default(ComponentValues);
        values[ScoreComponents.ThemeFit] = ThemeFit(_roster.Themes(slot));
        values[ScoreComponents.Language] = Language(slot);
        values[ScoreComponents.RegionExperience] = Math.Max(past.Proven, Declared(_roster.Experience(slot)));
        values[ScoreComponents.TrackRecord] = 0.5 * Math.Min(1.0, past.Relevant / 3.0)
            + 0.5 * (!_roster.UsesEvaluations(slot) ? 0 : past.Rated == 0 ? 0.5 : (past.RatingSum / (double)past.Rated - 1) / 4.0);
        values[ScoreComponents.SouthSouth] = SouthSouth(slot);
        values[ScoreComponents.Rotation] = 0.7 / (1 + past.Recent)
            + 0.3 * (1 - Math.Min(1, 3 * (_roster.MemberState(slot) is >= 0 and var state ? _memberStateShare[state] : 0)));
        return new Components(values);
    }

    /// <summary>What a person reads beside the score: the facts behind each component, in the components' order.</summary>
    public IReadOnlyList<string> Reasons(Candidate candidate)
    {
        var reasons = new List<string>();
        foreach (var component in ScoreComponents.All)
        {
            component.Explain(this, candidate, reasons);
        }

        return reasons;
    }

    /// <summary>One walk over the deployments gathers what three components need from them.</summary>
    private PastFacts Walk(int slot)
    {
        int relevant = 0, rated = 0, ratingSum = 0, recent = 0;
        var proven = 0.0;
        foreach (var work in _roster.Past(slot))
        {
            recent += work.From >= _windowStart && work.From < _periodFrom ? 1 : 0;
            if (work.To >= _periodFrom)
            {
                continue;
            }

            relevant += _relevantTopic[work.Topics] ? 1 : 0;
            rated += work.Rating > 0 ? 1 : 0;
            ratingSum += work.Rating;
            proven = Math.Max(proven, _placeValue[work.Places]);
        }

        return new PastFacts(relevant, rated, ratingSum, recent, proven);
    }

    private readonly record struct PastFacts(int Relevant, int Rated, int RatingSum, int Recent, double Proven);

    internal void ExplainThemeFit(Candidate candidate, List<string> reasons)
    {
        foreach (var need in _criteria.Themes)
        {
            // The value is the better of the level held within (÷3) and the level of a broader theme (÷6).
            var held = candidate.Themes.Where(t => _taxonomy.IsWithin(t.Key, need.Code)).OrderByDescending(t => t.Value).FirstOrDefault();
            var broader = candidate.Themes.Where(t => t.Key != need.Code && _taxonomy.IsWithin(need.Code, t.Key)).OrderByDescending(t => t.Value).FirstOrDefault();
            if (held.Key is not null && broader.Key is not null && broader.Value > 2 * held.Value)
            {
                reasons.Add($"Holds {held.Key} at level {held.Value} ({LevelName(held.Value)}), within the requested {need.Code}; the broader theme {broader.Key} at level {broader.Value} counts more.");
            }
            else if (held.Key is not null)
            {
                reasons.Add($"Holds {held.Key} at level {held.Value} ({LevelName(held.Value)}), within the requested {need.Code}.");
            }
            else if (broader.Key is not null)
            {
                reasons.Add($"Holds the broader theme {broader.Key} at level {broader.Value}, not {need.Code} itself.");
            }
            else
            {
                reasons.Add($"Declares no expertise in {need.Code}.");
            }
        }
    }

    internal void ExplainLanguage(Candidate candidate, List<string> reasons)
    {
        foreach (var need in _criteria.Languages)
        {
            reasons.Add(candidate.Languages.TryGetValue(need.Code, out var rank)
                ? $"Speaks {need.Code} at {RankName(rank)} ({(rank >= need.MinRank ? "meets" : "below")} the {RankName(need.MinRank)} asked)."
                : $"Does not speak {need.Code}.");
        }
    }

    internal void ExplainRegionExperience(Candidate candidate, List<string> reasons)
    {
        var past = Before(candidate);
        var there = past.Where(d => d.Countries.Any(_criteria.BeneficiaryCountries.Contains)).ToList();
        if (there.Count > 0)
        {
            reasons.Add($"Deployed before in {string.Join(", ", there.SelectMany(d => d.Countries).Where(_criteria.BeneficiaryCountries.Contains).Distinct().Order(StringComparer.Ordinal))} ({there.Count} time{(there.Count == 1 ? "" : "s")}).");
        }
        else if (candidate.CountriesOfExperience.Any(_criteria.BeneficiaryCountries.Contains))
        {
            reasons.Add("Declares experience in a beneficiary country.");
        }
        else if (candidate.CountriesOfExperience.Any(_criteria.RegionCountries.Contains) || past.Any(d => d.Countries.Any(_criteria.RegionCountries.Contains)))
        {
            reasons.Add("Has experience in the region.");
        }
    }

    internal void ExplainTrackRecord(Candidate candidate, List<string> reasons)
    {
        var past = Before(candidate);
        var relevant = past.Count(d => IsRelevant(d));
        var rated = past.Where(d => d.Rating is not null).ToList();
        if (!candidate.UsesEvaluations)
        {
            reasons.Add($"{relevant} past deployment(s) on these themes; past evaluations not used: the expert has not consented to their use in matching (evaluation_use).");
            return;
        }

        reasons.Add(rated.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{relevant} past deployment(s) on these themes; mean evaluation {rated.Average(d => d.Rating!.Value):0.0}/5 over {rated.Count}.")
            : $"{relevant} past deployment(s) on these themes; no evaluation yet.");
    }

    internal void ExplainSouthSouth(Candidate candidate, List<string> reasons)
    {
        if (candidate.Origin == Origin.South)
        {
            reasons.Add(_criteria.RegionCountries.Contains(candidate.Nationality)
                ? $"South-South: an official of {candidate.Nationality}, in the action's region."
                : $"South expert ({candidate.Nationality}) from outside the action's region.");
        }
    }

    internal void ExplainRotation(Candidate candidate, List<string> reasons)
    {
        var recent = RecentDeployments(candidate);
        var share = CountryIndex.Of(candidate.MemberState) is >= 0 and var state ? _memberStateShare[state] : 0;
        reasons.Add(string.Create(CultureInfo.InvariantCulture,
            $"{recent} deployment(s) in the two years before the period{(candidate.MemberState is { } ms ? $"; {ms} had {share:P0} of that time's deployments" : "")}."));
    }

    private List<PastDeployment> Before(Candidate candidate) => candidate.Deployments.Where(d => d.Days.To < _criteria.Period.From).ToList();

    private double ThemeFit(ReadOnlySpan<HeldTheme> held)
    {
        if (_themeWeightTotal <= 0)
        {
            return 0;
        }

        var sum = 0.0;
        for (var i = 0; i < _themeValue.Length; i++)
        {
            var best = 0.0;
            var values = _themeValue[i];
            foreach (var theme in held)
            {
                best = Math.Max(best, values[theme.Theme] * theme.Level);
            }

            sum += _criteria.Themes[i].Weight * best;
        }

        return sum / _themeWeightTotal;
    }

    private double Language(int slot)
    {
        if (_languages.Length == 0)
        {
            return 0;
        }

        var sum = 0.0;
        foreach (var (ranks, need) in _languages)
        {
            var rank = ranks is null ? 0 : ranks[slot];
            sum += rank >= need.MinRank
                ? 0.75 + 0.25 * (rank - need.MinRank) / Math.Max(1, LanguageLevels.Native - need.MinRank)
                : 0.5 * rank / need.MinRank;
        }

        return sum / _languages.Length;
    }

    private double Declared(ReadOnlySpan<short> experience)
    {
        var declared = 0.0;
        foreach (var country in experience)
        {
            declared = Math.Max(declared, _beneficiary[country] ? 0.7 : _region[country] ? 0.4 : 0);
        }

        return declared;
    }

    private double SouthSouth(int slot) => _roster.OriginOf(slot) != Origin.South ? 0
        : _roster.Nationality(slot) is >= 0 and var nationality && _region[nationality] ? 1
        : 0.25;

    private int RecentDeployments(Candidate candidate) =>
        candidate.Deployments.Count(d => d.Days.From >= WindowStart && d.Days.From < _criteria.Period.From);

    private bool IsRelevant(PastDeployment deployment) => deployment.Themes.Any(_relevantThemes.Contains);

    private static string LevelName(int level) => level switch { 1 => "working knowledge", 2 => "experienced", _ => "expert" };

    private static string RankName(int rank) => rank switch
    {
        1 => "A1", 2 => "A2", 3 => "B1", 4 => "B2", 5 => "C1", 6 => "C2", 7 => "native", _ => "none",
    };
}
