namespace Ear.Matching;

/// <summary>Why a candidate cannot be proposed at all, whatever its score.</summary>
public enum Exclusion
{
    Inactive,
    NoConsent,
    RequiredLanguage,
    Unavailable,
    AlreadyDeployed,
    ConflictOfInterest,
    DoNotRedeploy,
    ExcludedByRequest,
}

/// <summary>
/// One hard rule: its member of <see cref="Exclusion"/> (its position, and its bit in a mask of
/// <see cref="RuleCheck.Failed"/>), its key in <c>excluded</c>, and the words a person reads when it fails.
/// The check over the roster's columns is its arm in <see cref="RuleCheck.Failed"/>.
/// </summary>
public sealed class HardRule(Exclusion rule, string name, Func<Candidate, MatchCriteria, string> explain)
{
    public Exclusion Rule { get; } = rule;
    public string Name { get; } = name;

    /// <summary>The rule in words a person understands, for a candidate it excludes.</summary>
    public string Explain(Candidate candidate, MatchCriteria criteria) => explain(candidate, criteria);
}

public static class HardRules
{
    /// <summary>The rules, one entry each, in the order of <see cref="Exclusion"/>.</summary>
    public static readonly IReadOnlyList<HardRule> Entries =
    [
        new(Exclusion.Inactive, "inactive", static (_, _) => "The expert is marked inactive."),
        new(Exclusion.NoConsent, "no_consent", static (_, _) => "No consent to be on the roster is recorded, so the expert is never proposed."),
        new(Exclusion.RequiredLanguage, "required_language", static (candidate, criteria) => "Does not speak " + string.Join(" and ", criteria.Languages
            .Where(l => l.Required && candidate.Languages.GetValueOrDefault(l.Code) < l.MinRank)
            .Select(l => $"{l.Code} at the required level")) + "."),
        new(Exclusion.Unavailable, "unavailable", static (_, _) => "Declared unavailable on some days of the period."),
        new(Exclusion.AlreadyDeployed, "already_deployed", static (_, _) => "Already deployed on some days of the period."),
        new(Exclusion.ConflictOfInterest, "conflict_of_interest", static (candidate, _) => $"A national of a beneficiary country ({candidate.Nationality}): conflict of interest."),
        new(Exclusion.DoNotRedeploy, "do_not_redeploy", static (_, _) => "A past evaluation recommended not to redeploy this expert."),
        new(Exclusion.ExcludedByRequest, "excluded_by_request", static (_, _) => "Excluded by the request (excludeExpertIds)."),
    ];

    public static readonly Exclusion[] All = Entries.Select(entry => entry.Rule).ToArray();

    public static HardRule Of(Exclusion reason) => Entries[(int)reason];

    public static string Name(Exclusion reason) => Of(reason).Name;

    /// <summary>The rules set in a mask of <see cref="RuleCheck.Failed"/>, in a fixed order.</summary>
    public static List<Exclusion> InMask(int mask) => All.Where(rule => (mask & (1 << (int)rule)) != 0).ToList();

    /// <summary>The rule in words a person understands.</summary>
    public static string Explain(Exclusion reason, Candidate candidate, MatchCriteria criteria) => Of(reason).Explain(candidate, criteria);
}

/// <summary>
/// The hard rules for one request, resolved against a roster's columns: most slots are decided from
/// a few bytes, and a slot's runs of days are read only when a column says a rule may fail.
/// </summary>
internal sealed class RuleCheck
{
    private readonly Roster _roster;
    private readonly MatchCriteria _criteria;
    private readonly (byte[]? Ranks, int MinRank)[] _required;
    private readonly bool[] _beneficiary;
    private readonly HashSet<int> _excludedSlots = [];
    private readonly int _from;
    private readonly int _to;

    public RuleCheck(Roster roster, MatchCriteria criteria)
    {
        _roster = roster;
        _criteria = criteria;
        _required = criteria.Languages.Where(l => l.Required).Select(l => (roster.LanguageRanks(l.Code), l.MinRank)).ToArray();
        _beneficiary = CountryIndex.Flags(criteria.BeneficiaryCountries);

        foreach (var id in criteria.Excluded)
        {
            if (roster.SlotOf(id) is >= 0 and var slot)
            {
                _excludedSlots.Add(slot);
            }
        }

        _from = criteria.Period.From.DayNumber;
        _to = criteria.Period.To.DayNumber;
    }

    /// <summary>The failed rules of the slot as bits (1 &lt;&lt; rule); zero when it may be proposed.</summary>
    public int Failed(int slot)
    {
        var failed = 0;
        if (!_roster.Fit(slot))
        {
            failed |= (_roster.IsActive(slot) ? 0 : 1 << (int)Exclusion.Inactive) | (_roster.HasConsent(slot) ? 0 : 1 << (int)Exclusion.NoConsent);
        }

        foreach (var (ranks, minRank) in _required)
        {
            if (ranks is null || ranks[slot] < minRank)
            {
                failed |= 1 << (int)Exclusion.RequiredLanguage;
                break;
            }
        }

        if (_roster.MayBeBusy(slot, _from, _to))
        {
            failed |= Busy(slot);
        }

        if (_roster.Nationality(slot) is >= 0 and var nationality && _beneficiary[nationality])
        {
            failed |= 1 << (int)Exclusion.ConflictOfInterest;
        }

        if (_roster.DoNotRedeploy(slot))
        {
            failed |= 1 << (int)Exclusion.DoNotRedeploy;
        }

        if (_excludedSlots.Count > 0 && _excludedSlots.Contains(slot))
        {
            failed |= 1 << (int)Exclusion.ExcludedByRequest;
        }

        return failed;
    }

    private int Busy(int slot)
    {
        var failed = 0;
        foreach (var work in _roster.Past(slot))
        {
            if (work.From <= _to && _from <= work.To)
            {
                failed |= 1 << (int)Exclusion.AlreadyDeployed;
                break;
            }
        }

        foreach (var off in _roster.Unavailability(slot))
        {
            if (off.Overlaps(_criteria.Period))
            {
                failed |= 1 << (int)Exclusion.Unavailable;
                break;
            }
        }

        return failed;
    }
}
