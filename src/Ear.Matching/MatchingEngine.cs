namespace Ear.Matching;

public sealed record RankedCandidate(
    Candidate Expert,
    int Rank,
    double Score,
    Components Components,
    IReadOnlyList<string> Reasons);

/// <summary>Why one expert is, or is not, in the answer.</summary>
public sealed record Explanation(Guid ExpertId, RankedCandidate? Candidate, IReadOnlyList<string> FailedRules, bool Known);

public sealed record MatchResult(
    IReadOnlyList<RankedCandidate> Candidates,
    int EligibleCount,
    IReadOnlyDictionary<string, int> Excluded,
    int ExcludedCount,
    TeamProposal? Team,
    int ShortlistSize,
    IReadOnlyList<Explanation> Explanations);

/// <summary>
/// Ranks a roster for an action and proposes a team. Pure and deterministic: the same roster and
/// criteria give the same answer; ties in score are broken by expert id.
/// </summary>
public static class MatchingEngine
{
    /// <summary>The team is searched among the best 200 eligible candidates plus the best 20 of every group a constraint asks for.</summary>
    public const int Shortlist = 200;
    public const int GroupShortlist = 20;

    public static MatchResult Run(IReadOnlyList<Candidate> pool, MatchCriteria criteria, Taxonomy taxonomy) =>
        Run(new Roster(pool), criteria, taxonomy);

    public static MatchResult Run(Roster roster, MatchCriteria criteria, Taxonomy taxonomy)
    {
        var scoring = new Scoring(criteria, taxonomy, roster);
        var rules = new RuleCheck(roster, criteria);
        // The roster is split in one slice per core; each slice is checked and scored on its own.
        var slices = Math.Max(1, Math.Min(Environment.ProcessorCount, roster.Count / 5_000));
        var parts = new (List<(Candidate Expert, double Score, Components Components)> Eligible, int[] Failed, int Excluded)[slices];
        Parallel.For(0, slices, slice =>
        {
            var failedCounts = new int[HardRules.All.Length];
            var excludedHere = 0;
            var eligibleHere = new List<(Candidate Expert, double Score, Components Components)>();
            for (var slot = roster.Count * slice / slices; slot < roster.Count * (slice + 1) / slices; slot++)
            {
                var failed = rules.Failed(slot);
                if (failed != 0)
                {
                    excludedHere++;
                    for (var rule = 0; rule < failedCounts.Length; rule++)
                    {
                        failedCounts[rule] += (failed >> rule) & 1;
                    }

                    continue;
                }

                var candidate = roster[slot];
                var components = scoring.Score(candidate);
                eligibleHere.Add((candidate, components.WeightedSum(criteria.Weights), components));
            }

            parts[slice] = (eligibleHere, failedCounts, excludedHere);
        });

        var eligible = parts.SelectMany(p => p.Eligible).ToList();
        var excludedCount = parts.Sum(p => p.Excluded);
        var failedCounts = Enumerable.Range(0, HardRules.All.Length).Select(rule => parts.Sum(p => p.Failed[rule])).ToArray();

        var excluded = HardRules.All.Where(rule => failedCounts[(int)rule] > 0)
            .ToDictionary(rule => HardRules.Name(rule), rule => failedCounts[(int)rule], StringComparer.Ordinal);

        // Sorting primitive keys is several times faster than comparing the tuples; equal scores are
        // then put in id order, so that the ranking is deterministic.
        var keys = eligible.Select(e => -e.Score).ToArray();
        var order = Enumerable.Range(0, eligible.Count).ToArray();
        Array.Sort(keys, order);
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(order, start, end - start, Comparer<int>.Create((a, b) => eligible[a].Expert.Id.CompareTo(eligible[b].Expert.Id)));
            }

            start = end;
        }

        eligible = order.Select(i => eligible[i]).ToList();
        var rankOf = new Dictionary<Guid, int>(eligible.Count);
        for (var i = 0; i < eligible.Count; i++)
        {
            rankOf[eligible[i].Expert.Id] = i + 1;
        }

        RankedCandidate Ranked(int index) =>
            new(eligible[index].Expert, index + 1, eligible[index].Score, eligible[index].Components, scoring.Reasons(eligible[index].Expert));

        TeamProposal? team = null;
        var shortlistSize = 0;
        if (criteria.Team is { Size: > 0 } spec)
        {
            var shortlist = ShortlistFor(eligible, criteria, taxonomy, spec);
            shortlistSize = shortlist.Count;
            team = TeamBuilder.Build(shortlist, spec, criteria.Themes.Select(t => t.Code).ToList(),
                criteria.Languages.Where(l => !l.Required).Select(l => l.Code).ToList());
        }

        var shown = Enumerable.Range(0, Math.Min(criteria.Limit, eligible.Count)).ToList();
        foreach (var member in team?.Members ?? [])
        {
            var index = rankOf[member] - 1;
            if (index >= criteria.Limit)
            {
                shown.Add(index);
            }
        }

        var candidates = shown.Order().Select(Ranked).ToList();
        var explanations = criteria.Explain.Distinct().Select(id =>
        {
            if (!roster.TryGet(id, out var expert))
            {
                return new Explanation(id, null, ["Not on the roster, or not visible to this key."], Known: false);
            }

            return rankOf.TryGetValue(id, out var rank)
                ? new Explanation(id, Ranked(rank - 1), [], Known: true)
                : new Explanation(id, null, HardRules.Failed(expert, criteria).Select(r => HardRules.Explain(r, expert, criteria)).ToList(), Known: true);
        }).ToList();

        return new MatchResult(candidates, eligible.Count, excluded, excludedCount, team, shortlistSize, explanations);
    }

    private static List<TeamCandidate> ShortlistFor(List<(Candidate Expert, double Score, Components Components)> eligible, MatchCriteria criteria, Taxonomy taxonomy, TeamSpec spec)
    {
        var themes = criteria.Themes.Select(t => t.Code).ToList();
        var languages = criteria.Languages.Where(l => !l.Required).ToList();
        var picked = new SortedSet<int>();
        for (var i = 0; i < Math.Min(Shortlist, eligible.Count); i++)
        {
            picked.Add(i);
        }

        void BestOf(Func<Candidate, bool> group)
        {
            var found = 0;
            for (var i = 0; i < eligible.Count && found < GroupShortlist; i++)
            {
                if (group(eligible[i].Expert))
                {
                    picked.Add(i);
                    found++;
                }
            }
        }

        if (spec.MinEu > 0)
        {
            BestOf(c => c.Origin == Origin.Eu);
        }

        if (spec.MinSouth > 0)
        {
            BestOf(c => c.Origin == Origin.South);
        }

        if (spec.MinWomen > 0)
        {
            BestOf(c => c.IsWoman);
        }

        foreach (var theme in themes)
        {
            BestOf(c => c.Themes.Keys.Any(held => taxonomy.IsWithin(held, theme)));
        }

        foreach (var language in languages)
        {
            BestOf(c => c.Languages.GetValueOrDefault(language.Code) >= language.MinRank);
        }

        return picked.Select(i =>
        {
            var expert = eligible[i].Expert;
            return new TeamCandidate(expert.Id, eligible[i].Score, expert.Origin, expert.Nationality, expert.IsWoman,
                themes.Where(t => expert.Themes.Keys.Any(held => taxonomy.IsWithin(held, t))).ToHashSet(StringComparer.Ordinal),
                languages.Where(l => expert.Languages.GetValueOrDefault(l.Code) >= l.MinRank).Select(l => l.Code).ToHashSet(StringComparer.Ordinal));
        }).ToList();
    }
}
