using System.Globalization;

namespace Ear.Matching;

/// <summary>One candidate's components, each in [0, 1], in the order of <see cref="Weights.Names"/>.</summary>
public sealed record Components(double ThemeFit, double Language, double RegionExperience, double TrackRecord, double SouthSouth, double Rotation)
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
    private readonly IReadOnlyDictionary<string, double> _memberStateShare;
    private readonly double _themeWeightTotal;

    public Scoring(MatchCriteria criteria, Taxonomy taxonomy, IReadOnlyList<Candidate> pool)
    {
        _criteria = criteria;
        _taxonomy = taxonomy;
        _themeWeightTotal = criteria.Themes.Sum(t => t.Weight);
        _memberStateShare = MemberStateShares(pool, WindowStart, criteria.Period.From);
    }

    private DateOnly WindowStart => _criteria.Period.From.AddDays(-RotationWindowDays);

    public Components Score(Candidate candidate)
    {
        var past = candidate.Deployments.Where(d => d.Days.To < _criteria.Period.From).ToList();
        return new Components(ThemeFit(candidate), Language(candidate), RegionExperience(candidate, past),
            TrackRecord(past), SouthSouth(candidate), Rotation(candidate));
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
        var share = candidate.MemberState is { } state ? _memberStateShare.GetValueOrDefault(state) : 0;
        reasons.Add(string.Create(CultureInfo.InvariantCulture,
            $"{recent} deployment(s) in the two years before the period{(candidate.MemberState is { } ms ? $"; {ms} had {share:P0} of that time's deployments" : "")}."));
        return reasons;
    }

    private double ThemeFit(Candidate candidate)
    {
        if (_themeWeightTotal <= 0)
        {
            return 0;
        }

        var sum = 0.0;
        foreach (var need in _criteria.Themes)
        {
            var best = 0.0;
            foreach (var (code, level) in candidate.Themes)
            {
                var value = _taxonomy.IsWithin(code, need.Code) ? level / 3.0
                    : _taxonomy.IsWithin(need.Code, code) ? level / 6.0
                    : 0;
                best = Math.Max(best, value);
            }

            sum += need.Weight * best;
        }

        return sum / _themeWeightTotal;
    }

    private double Language(Candidate candidate)
    {
        if (_criteria.Languages.Count == 0)
        {
            return 0;
        }

        var sum = 0.0;
        foreach (var need in _criteria.Languages)
        {
            var rank = candidate.Languages.GetValueOrDefault(need.Code);
            sum += rank >= need.MinRank
                ? 0.75 + 0.25 * (rank - need.MinRank) / Math.Max(1, LanguageLevels.Native - need.MinRank)
                : 0.5 * rank / need.MinRank;
        }

        return sum / _criteria.Languages.Count;
    }

    private double RegionExperience(Candidate candidate, List<PastDeployment> past)
    {
        var proven = past.Any(d => d.Countries.Any(_criteria.BeneficiaryCountries.Contains)) ? 1.0
            : past.Any(d => d.Countries.Any(_criteria.RegionCountries.Contains)) ? 0.6
            : 0;
        var declared = candidate.CountriesOfExperience.Any(_criteria.BeneficiaryCountries.Contains) ? 0.7
            : candidate.CountriesOfExperience.Any(_criteria.RegionCountries.Contains) ? 0.4
            : 0;
        return Math.Max(proven, declared);
    }

    private double TrackRecord(List<PastDeployment> past)
    {
        var volume = Math.Min(1.0, past.Count(d => IsRelevant(d)) / 3.0);
        var ratings = past.Where(d => d.Rating is not null).Select(d => d.Rating!.Value).ToList();
        var quality = ratings.Count == 0 ? 0.5 : (ratings.Average() - 1) / 4.0;
        return 0.5 * volume + 0.5 * quality;
    }

    private double SouthSouth(Candidate candidate) => candidate.Origin != Origin.South ? 0
        : _criteria.RegionCountries.Contains(candidate.Nationality) ? 1
        : 0.25;

    private double Rotation(Candidate candidate)
    {
        var share = candidate.MemberState is { } state ? _memberStateShare.GetValueOrDefault(state) : 0;
        return 0.7 / (1 + RecentDeployments(candidate)) + 0.3 * (1 - Math.Min(1, 3 * share));
    }

    private int RecentDeployments(Candidate candidate) =>
        candidate.Deployments.Count(d => d.Days.From >= WindowStart && d.Days.From < _criteria.Period.From);

    private bool IsRelevant(PastDeployment deployment) =>
        deployment.Themes.Any(theme => _criteria.Themes.Any(need => _taxonomy.IsWithin(theme, need.Code) || _taxonomy.IsWithin(need.Code, theme)));

    private static Dictionary<string, double> MemberStateShares(IReadOnlyList<Candidate> pool, DateOnly from, DateOnly until)
    {
        var byState = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        foreach (var candidate in pool)
        {
            var recent = candidate.Deployments.Count(d => d.Days.From >= from && d.Days.From < until);
            total += recent;
            if (recent > 0 && candidate.MemberState is { } state)
            {
                byState[state] = byState.GetValueOrDefault(state) + recent;
            }
        }

        return byState.ToDictionary(s => s.Key, s => total == 0 ? 0 : s.Value / (double)total, StringComparer.Ordinal);
    }

    private static string LevelName(int level) => level switch { 1 => "working knowledge", 2 => "experienced", _ => "expert" };

    private static string RankName(int rank) => rank switch
    {
        1 => "A1", 2 => "A2", 3 => "B1", 4 => "B2", 5 => "C1", 6 => "C2", 7 => "native", _ => "none",
    };
}
