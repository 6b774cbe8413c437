using System.Globalization;

namespace Ear.Matching;

/// <summary>One candidate's components, each in [0, 1], in the order of <see cref="Weights.Names"/>.</summary>
public readonly record struct Components(double ThemeFit, double Language, double RegionExperience, double TrackRecord, double SouthSouth, double Rotation)
{
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

    public double WeightedSum(Weights w) =>
        w.ThemeFit * ThemeFit + w.Language * Language + w.RegionExperience * RegionExperience
        + w.TrackRecord * TrackRecord + w.SouthSouth * SouthSouth + w.Rotation * Rotation;
}

/// <summary>
/// The six components of a score. Every one is in [0, 1] and moves one way only:
/// <list type="bullet">
/// <item>themeFit: for each requested theme, the expert's level (÷3) at that theme or below it, half of it
/// when the expert only holds a broader theme above it; the requested themes' weighted mean.</item>
/// <item>language: for each requested language, 0.75 at the minimum level rising to 1 at native, below it
/// half the share of the minimum reached; the mean over the requested languages.</item>
/// <item>regionExperience: 1 for a past deployment in a beneficiary country, 0.6 in the region; declared
/// experience counts 0.7 for a beneficiary country, 0.4 for the region; the best of these.</item>
/// <item>trackRecord: half for past deployments on these themes (three or more count fully), half for the
/// mean rating of past evaluations (neutral 0.5 when none).</item>
/// <item>southSouth: 1 for a South expert from the action's region, 0.25 for one from elsewhere.</item>
/// <item>rotation: 0.7 ÷ (1 + the expert's deployments in the two years before the period) plus 0.3 × (1 −
/// three times the share of those years' deployments that went to the expert's member state, floored at 0).</item>
/// </list>
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

    /// <summary>The components of the expert in this slot of the roster.</summary>
    public Components Score(int slot)
    {
        // One walk over the deployments gathers what three components need from them.
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

        var quality = rated == 0 ? 0.5 : (ratingSum / (double)rated - 1) / 4.0;
        var trackRecord = 0.5 * Math.Min(1.0, relevant / 3.0) + 0.5 * quality;
        var regionExperience = Math.Max(proven, Declared(_roster.Experience(slot)));
        var share = _roster.MemberState(slot) is >= 0 and var state ? _memberStateShare[state] : 0;
        var rotation = 0.7 / (1 + recent) + 0.3 * (1 - Math.Min(1, 3 * share));
        return new Components(ThemeFit(_roster.Themes(slot)), Language(slot), regionExperience, trackRecord, SouthSouth(slot), rotation);
    }

    /// <summary>What a person reads beside the score: the facts behind each component that counts.</summary>
    public IReadOnlyList<string> Reasons(Candidate candidate)
    {
        var reasons = new List<string>();
        foreach (var need in _criteria.Themes)
        {
            var held = candidate.Themes.Where(t => _taxonomy.IsWithin(t.Key, need.Code)).OrderByDescending(t => t.Value).FirstOrDefault();
            if (held.Key is not null)
            {
                reasons.Add($"Holds {held.Key} at level {held.Value} ({LevelName(held.Value)}), within the requested {need.Code}.");
            }
            else if (candidate.Themes.FirstOrDefault(t => _taxonomy.IsWithin(need.Code, t.Key)) is { Key: not null } broader)
            {
                reasons.Add($"Holds the broader theme {broader.Key} at level {broader.Value}, not {need.Code} itself.");
            }
            else
            {
                reasons.Add($"Declares no expertise in {need.Code}.");
            }
        }

        foreach (var need in _criteria.Languages)
        {
            reasons.Add(candidate.Languages.TryGetValue(need.Code, out var rank)
                ? $"Speaks {need.Code} at {RankName(rank)} ({(rank >= need.MinRank ? "meets" : "below")} the {RankName(need.MinRank)} asked)."
                : $"Does not speak {need.Code}.");
        }

        var past = candidate.Deployments.Where(d => d.Days.To < _criteria.Period.From).ToList();
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

        var relevant = past.Count(d => IsRelevant(d));
        var rated = past.Where(d => d.Rating is not null).ToList();
        reasons.Add(rated.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{relevant} past deployment(s) on these themes; mean evaluation {rated.Average(d => d.Rating!.Value):0.0}/5 over {rated.Count}.")
            : $"{relevant} past deployment(s) on these themes; no evaluation yet.");
        if (candidate.Origin == Origin.South)
        {
            reasons.Add(_criteria.RegionCountries.Contains(candidate.Nationality)
                ? $"South-South: an official of {candidate.Nationality}, in the action's region."
                : $"South expert ({candidate.Nationality}) from outside the action's region.");
        }

        var recent = RecentDeployments(candidate);
        var share = CountryIndex.Of(candidate.MemberState) is >= 0 and var state ? _memberStateShare[state] : 0;
        reasons.Add(string.Create(CultureInfo.InvariantCulture,
            $"{recent} deployment(s) in the two years before the period{(candidate.MemberState is { } ms ? $"; {ms} had {share:P0} of that time's deployments" : "")}."));
        return reasons;
    }

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
