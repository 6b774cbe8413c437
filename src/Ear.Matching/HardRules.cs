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
/// One hard rule, all of it: its member of <see cref="Exclusion"/> (its position, and its bit in a mask of
/// <see cref="RuleCheck.Failed"/>), its key in <c>excluded</c>, its test of a roster slot, and the words a
/// person reads when it fails, which name what that same test found. Nothing else states the rule: the
/// walk over the roster, the planner and the explanations all call these, and the roster keeps facts (an
/// evaluation said not to redeploy, the span of busy days), never verdicts.
/// </summary>
public sealed class HardRule
{
    private readonly Func<RuleCheck, int, bool> _fails;
    private readonly Func<RuleCheck, int, string> _explain;

    internal HardRule(Exclusion rule, string name, Func<RuleCheck, int, bool> fails, Func<RuleCheck, int, string> explain)
    {
        Rule = rule;
        Name = name;
        _fails = fails;
        _explain = explain;
    }

    public Exclusion Rule { get; }
    public string Name { get; }

    /// <summary>Its bit in a mask of <see cref="RuleCheck.Failed"/>.</summary>
    internal int Bit => 1 << (int)Rule;

    /// <summary>Whether the rule excludes the expert in the slot from this request.</summary>
    internal bool Fails(RuleCheck check, int slot) => _fails(check, slot);

    /// <summary>The rule in words a person understands, for the expert in the slot, which it excludes.</summary>
    internal string Explain(RuleCheck check, int slot) => _explain(check, slot);

    /// <summary>The rule in words a person understands, for a candidate it excludes (read on a roster of its own).</summary>
    public string Explain(Candidate candidate, MatchCriteria criteria) => Explain(new RuleCheck(new Roster([candidate]), criteria), 0);
}

public static class HardRules
{
    /// <summary>The rules, one entry each, in the order of <see cref="Exclusion"/>.</summary>
    public static readonly IReadOnlyList<HardRule> Entries =
    [
        new(Exclusion.Inactive, "inactive",
            static (check, slot) => !check.Roster.IsActive(slot),
            static (_, _) => "The expert is marked inactive."),
        new(Exclusion.NoConsent, "no_consent",
            static (check, slot) => !check.Roster.HasConsent(slot),
            static (_, _) => "No consent to be on the roster is in force (never recorded, withdrawn or expired), or the profile awaits re-confirmation, so the expert is never proposed."),
        new(Exclusion.RequiredLanguage, "required_language",
            static (check, slot) => check.FirstRequiredLanguageMissing(slot) >= 0,
            static (check, slot) => "Does not speak " + string.Join(" and ", check.RequiredLanguagesMissing(slot).Select(l => $"{l.Code} at the required level")) + "."),
        new(Exclusion.Unavailable, "unavailable",
            static (check, slot) => check.MayBeBusy(slot) && check.AnyDuringPeriod(check.Roster.Unavailability(slot)),
            static (_, _) => "Declared unavailable on some days of the period."),
        new(Exclusion.AlreadyDeployed, "already_deployed",
            static (check, slot) => check.MayBeBusy(slot) && check.AnyDuringPeriod(check.Roster.Past(slot)),
            static (_, _) => "Already deployed on some days of the period."),
        new(Exclusion.ConflictOfInterest, "conflict_of_interest",
            static (check, slot) => check.IsBeneficiary(check.Roster.Nationality(slot)),
            static (check, slot) => $"A national of a beneficiary country ({check.Roster.NationalityCode(slot)}): conflict of interest."),
        new(Exclusion.DoNotRedeploy, "do_not_redeploy",
            static (check, slot) => check.Roster.DoNotRedeploy(slot),
            static (_, _) => "A past evaluation recommended not to redeploy this expert."),
        new(Exclusion.ExcludedByRequest, "excluded_by_request",
            static (check, slot) => check.ExcludedByRequest(slot),
            static (_, _) => "Excluded by the request (excludeExpertIds)."),
    ];

    public static readonly Exclusion[] All = Entries.Select(entry => entry.Rule).ToArray();

    public static HardRule Of(Exclusion reason) => Entries[(int)reason];

    public static string Name(Exclusion reason) => Of(reason).Name;

    /// <summary>The rules set in a mask of <see cref="RuleCheck.Failed"/>, in a fixed order.</summary>
    public static List<Exclusion> InMask(int mask) => All.Where(rule => (mask & (1 << (int)rule)) != 0).ToList();
}

/// <summary>
/// The hard rules for one request: each entry of <see cref="HardRules.Entries"/> tested against a roster
/// slot, with what the request makes of the roster's columns worked out once (the required languages'
/// rank columns, the beneficiary countries as flags, the excluded experts as slots).
/// </summary>
internal sealed class RuleCheck
{
    private readonly HardRule[] _rules = [.. HardRules.Entries];
    private readonly MatchCriteria _criteria;
    private readonly (LanguageNeed Need, byte[]? Ranks)[] _required;
    private readonly bool[] _beneficiary;
    private readonly HashSet<int> _excludedSlots = [];
    private readonly int _from;
    private readonly int _to;

    internal RuleCheck(Roster roster, MatchCriteria criteria)
    {
        Roster = roster;
        _criteria = criteria;
        _required = criteria.Languages.Where(l => l.Required).Select(l => (l, roster.LanguageRanks(l.Code))).ToArray();
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

    internal Roster Roster { get; }

    /// <summary>The failed rules of the slot as bits (1 &lt;&lt; rule); zero when it may be proposed.</summary>
    internal int Failed(int slot)
    {
        var failed = 0;
        foreach (var rule in _rules)
        {
            if (rule.Fails(this, slot))
            {
                failed |= rule.Bit;
            }
        }

        return failed;
    }

    /// <summary>The first required language the slot does not speak at the level asked (its index among the required), or -1.</summary>
    internal int FirstRequiredLanguageMissing(int slot)
    {
        for (var i = 0; i < _required.Length; i++)
        {
            if (_required[i].Ranks is not { } ranks || ranks[slot] < _required[i].Need.MinRank)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Every required language the slot does not speak at the level asked, in the request's order.</summary>
    internal IEnumerable<LanguageNeed> RequiredLanguagesMissing(int slot)
    {
        for (var i = FirstRequiredLanguageMissing(slot); i >= 0 && i < _required.Length; i++)
        {
            if (_required[i].Ranks is not { } ranks || ranks[slot] < _required[i].Need.MinRank)
            {
                yield return _required[i].Need;
            }
        }
    }

    /// <summary>Whether the slot has any unavailability or deployment near the period at all: a cheap column test before its days are read.</summary>
    internal bool MayBeBusy(int slot) => Roster.MayBeBusy(slot, _from, _to);

    internal bool AnyDuringPeriod(ReadOnlySpan<DayRange> days)
    {
        foreach (var range in days)
        {
            if (range.Overlaps(_criteria.Period))
            {
                return true;
            }
        }

        return false;
    }

    internal bool AnyDuringPeriod(ReadOnlySpan<PastWork> deployments)
    {
        foreach (var work in deployments)
        {
            if (work.From <= _to && _from <= work.To)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a <see cref="CountryIndex"/> number is one of the request's beneficiary countries.</summary>
    internal bool IsBeneficiary(short country) => country >= 0 && _beneficiary[country];

    internal bool ExcludedByRequest(int slot) => _excludedSlots.Count > 0 && _excludedSlots.Contains(slot);
}
