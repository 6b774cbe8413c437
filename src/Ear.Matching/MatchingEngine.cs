using System.Buffers;

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
        // The roster is split in one slice per core; each slice is checked and scored on its own, and
        // keeps only slot numbers and scores: components are worked out again for the few shown.
        var slices = Math.Max(1, Math.Min(Environment.ProcessorCount, roster.Count / 5_000));
        // Large scratch arrays come from the shared pool: allocating them anew for every request would
        // land them on the large-object heap and bring full collections into the latency.
        var slots = ArrayPool<int>.Shared.Rent(Math.Max(1, roster.Count));
        var keys = ArrayPool<double>.Shared.Rent(Math.Max(1, roster.Count));
        try
        {
            return Rank(roster, criteria, taxonomy, scoring, rules, slots, keys);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(slots);
            ArrayPool<double>.Shared.Return(keys);
        }
    }

    private static MatchResult Rank(Roster roster, MatchCriteria criteria, Taxonomy taxonomy, Scoring scoring, RuleCheck rules, int[] slotBuffer, double[] keyBuffer)
    {
        var slices = Math.Max(1, Math.Min(Environment.ProcessorCount, roster.Count / 5_000));
        var parts = new (int Start, int Count, int[] Failed, int Excluded)[slices];
        Parallel.For(0, slices, slice =>
        {
            var failedCounts = new int[HardRules.All.Length];
            var excludedHere = 0;
            var start = roster.Count * slice / slices;
            var count = 0;
            for (var slot = start; slot < roster.Count * (slice + 1) / slices; slot++)
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

                // Each slice writes its eligible slots at the start of its own range of the buffers.
                slotBuffer[start + count] = slot;
                keyBuffer[start + count] = -scoring.Score(roster[slot]).WeightedSum(criteria.Weights);
                count++;
            }

            parts[slice] = (start, count, failedCounts, excludedHere);
        });

        // The slices' results are moved together at the front of the buffers.
        var filled = 0;
        foreach (var part in parts)
        {
            Array.Copy(slotBuffer, part.Start, slotBuffer, filled, part.Count);
            Array.Copy(keyBuffer, part.Start, keyBuffer, filled, part.Count);
            filled += part.Count;
        }

        var slots = new ArraySegment<int>(slotBuffer, 0, filled);
        var keys = new ArraySegment<double>(keyBuffer, 0, filled);

        var excludedCount = parts.Sum(p => p.Excluded);
        var failedCounts = Enumerable.Range(0, HardRules.All.Length).Select(rule => parts.Sum(p => p.Failed[rule])).ToArray();
        var excluded = HardRules.All.Where(rule => failedCounts[(int)rule] > 0)
            .ToDictionary(rule => HardRules.Name(rule), rule => failedCounts[(int)rule], StringComparer.Ordinal);

        // Best first; equal scores in id order, so that the ranking is deterministic.
        Array.Sort(keyBuffer, slotBuffer, 0, filled);
        var idOrder = roster.IdOrder();
        var byId = Comparer<int>.Create((a, b) => idOrder[a].CompareTo(idOrder[b]));
        for (var start = 0; start < filled;)
        {
            var end = start + 1;
            while (end < filled && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(slotBuffer, start, end - start, byId);
            }

            start = end;
        }

        RankedCandidate Ranked(int index)
        {
            var expert = roster[slots[index]];
            var components = scoring.Score(expert);
            return new RankedCandidate(expert, index + 1, components.WeightedSum(criteria.Weights), components, scoring.Reasons(expert));
        }

        TeamProposal? team = null;
        var shortlistSize = 0;
        var positionOf = new Dictionary<Guid, int>();
        if (criteria.Team is { Size: > 0 } spec)
        {
            var shortlist = ShortlistFor(roster, slots, keys, criteria, taxonomy, spec);
            shortlistSize = shortlist.Count;
            foreach (var (index, _) in shortlist)
            {
                positionOf[roster[slots[index]].Id] = index;
            }

            team = TeamBuilder.Build(shortlist.Select(s => s.Candidate).ToList(), spec, criteria.Themes.Select(t => t.Code).ToList(),
                criteria.Languages.Where(l => !l.Required).Select(l => l.Code).ToList());
        }

        var shown = Enumerable.Range(0, Math.Min(criteria.Limit, slots.Count)).ToList();
        foreach (var member in team?.Members ?? [])
        {
            var index = positionOf[member];
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

            var position = Array.IndexOf(slotBuffer, roster.SlotOf(id), 0, filled);
            return position >= 0
                ? new Explanation(id, Ranked(position), [], Known: true)
                : new Explanation(id, null, HardRules.InMask(rules.Failed(roster.SlotOf(id))).Select(r => HardRules.Explain(r, expert, criteria)).ToList(), Known: true);
        }).ToList();

        return new MatchResult(candidates, filled, excluded, excludedCount, team, shortlistSize, explanations);
    }

    /// <summary>Positions (in best-first order) of the candidates the team is searched among, with what the search needs of them.</summary>
    private static List<(int Index, TeamCandidate Candidate)> ShortlistFor(Roster roster, ArraySegment<int> slots, ArraySegment<double> keys, MatchCriteria criteria, Taxonomy taxonomy, TeamSpec spec)
    {
        var themes = criteria.Themes.Select(t => t.Code).ToList();
        var languages = criteria.Languages.Where(l => !l.Required).ToList();
        var picked = new SortedSet<int>();
        for (var i = 0; i < Math.Min(Shortlist, slots.Count); i++)
        {
            picked.Add(i);
        }

        void BestOf(Func<Candidate, bool> group)
        {
            var found = 0;
            for (var i = 0; i < slots.Count && found < GroupShortlist; i++)
            {
                if (group(roster[slots[i]]))
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
            var expert = roster[slots[i]];
            return (i, new TeamCandidate(expert.Id, -keys[i], expert.Origin, expert.Nationality, expert.IsWoman,
                themes.Where(t => expert.Themes.Keys.Any(held => taxonomy.IsWithin(held, t))).ToHashSet(StringComparer.Ordinal),
                languages.Where(l => expert.Languages.GetValueOrDefault(l.Code) >= l.MinRank).Select(l => l.Code).ToHashSet(StringComparer.Ordinal)));
        }).ToList();
    }
}
