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

    /// <summary>The roster is walked in one slice per core, when it is large enough for that to pay.</summary>
    public static MatchResult Run(Roster roster, MatchCriteria criteria, Taxonomy taxonomy) =>
        Run(roster, criteria, taxonomy, Math.Max(1, Math.Min(Environment.ProcessorCount, roster.Count / 5_000)));

    internal static MatchResult Run(Roster roster, MatchCriteria criteria, Taxonomy taxonomy, int slices)
    {
        // Every eligible slot's score is kept, to rank the few shown beyond the best (team members,
        // explanations). The buffers come from the shared pool: allocating them for every request would
        // put them on the large-object heap and bring full collections into the latency.
        var scores = ArrayPool<double>.Shared.Rent(Math.Max(1, roster.Count));
        var slots = ArrayPool<int>.Shared.Rent(Math.Max(1, roster.Count));
        try
        {
            return new Ranking(roster, criteria, taxonomy, scores, slots).Run(slices);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scores);
            ArrayPool<int>.Shared.Return(slots);
        }
    }

    /// <summary>One request's walk over the roster, and what is made of it.</summary>
    private sealed class Ranking(Roster roster, MatchCriteria criteria, Taxonomy taxonomy, double[] scores, int[] slots)
    {
        private readonly Scoring _scoring = new(criteria, taxonomy, roster);
        private readonly RuleCheck _rules = new(roster, criteria);
        private readonly IReadOnlyList<string> _teamThemes = criteria.Themes.Select(t => t.Code).ToList();
        private readonly IReadOnlyList<LanguageNeed> _teamLanguages = criteria.Languages.Where(l => !l.Required).ToList();
        private Slice[] _slices = [];

        /// <summary>What one slice of the roster found: its eligible slots (at the start of its range of the buffers), its best and its exclusions.</summary>
        private sealed record Slice(int Start, int Eligible, Leaders Best, Leaders[] GroupBest, int[] Failed, int Excluded);

        public MatchResult Run(int sliceCount)
        {
            var groups = TeamGroups();
            var bestCount = Math.Max(criteria.Limit, criteria.Team is { Size: > 0 } ? Shortlist : 0);
            _slices = new Slice[sliceCount];
            Parallel.For(0, sliceCount, i =>
            {
                var start = roster.Count * i / sliceCount;
                _slices[i] = Walk(start, roster.Count * (i + 1) / sliceCount, bestCount, groups);
            });

            var best = new Leaders(roster, bestCount);
            var groupBest = groups.Select(_ => new Leaders(roster, GroupShortlist)).ToArray();
            foreach (var slice in _slices)
            {
                best.Merge(slice.Best);
                for (var g = 0; g < groups.Length; g++)
                {
                    groupBest[g].Merge(slice.GroupBest[g]);
                }
            }

            var ranked = best.BestFirst();
            var rankOf = new Dictionary<int, int>();
            for (var i = 0; i < ranked.Count; i++)
            {
                rankOf[ranked[i].Slot] = i + 1;
            }

            int RankOf(int slot, double score) => rankOf.TryGetValue(slot, out var rank) ? rank : rankOf[slot] = CountAhead(score, slot) + 1;

            TeamProposal? team = null;
            var shortlistSize = 0;
            var shown = ranked.Take(criteria.Limit).Select(r => r.Slot).ToList();
            if (criteria.Team is { Size: > 0 } spec)
            {
                var shortlist = ranked.Take(Shortlist).Concat(groupBest.SelectMany(g => g.BestFirst())).Distinct().ToList();
                shortlist.Sort(roster.CompareRanks);
                shortlistSize = shortlist.Count;
                team = TeamBuilder.Build(shortlist.Select(s => ForTeam(s.Slot, s.Score)).ToList(), spec, _teamThemes, _teamLanguages.Select(l => l.Code).ToList());
                // A member from beyond the best shown is shown too, at its own rank.
                foreach (var slot in team.Members.Select(roster.SlotOf))
                {
                    if (!shown.Contains(slot))
                    {
                        shown.Add(slot);
                    }
                }
            }

            var candidates = shown.Select(slot => Ranked(slot, RankOf)).OrderBy(c => c.Rank).ToList();
            var explanations = criteria.Explain.Distinct().Select(id => Explain(id, RankOf)).ToList();
            var failed = Enumerable.Range(0, HardRules.All.Length).Select(rule => _slices.Sum(s => s.Failed[rule])).ToArray();
            var excluded = HardRules.All.Where(rule => failed[(int)rule] > 0)
                .ToDictionary(rule => HardRules.Name(rule), rule => failed[(int)rule], StringComparer.Ordinal);
            return new MatchResult(candidates, _slices.Sum(s => s.Eligible), excluded, _slices.Sum(s => s.Excluded), team, shortlistSize, explanations);
        }

        /// <summary>Checks and scores the slots [from, to): the hot loop, reading only the roster's columns.</summary>
        private Slice Walk(int from, int to, int bestCount, Func<int, bool>[] groups)
        {
            var best = new Leaders(roster, bestCount);
            var groupBest = groups.Select(_ => new Leaders(roster, GroupShortlist)).ToArray();
            var failedCounts = new int[HardRules.All.Length];
            int eligible = 0, excluded = 0;
            for (var slot = from; slot < to; slot++)
            {
                var failed = _rules.Failed(slot);
                if (failed != 0)
                {
                    excluded++;
                    for (var rule = 0; rule < failedCounts.Length; rule++)
                    {
                        failedCounts[rule] += (failed >> rule) & 1;
                    }

                    continue;
                }

                var score = _scoring.Score(slot).WeightedSum(criteria.Weights);
                scores[from + eligible] = score;
                slots[from + eligible] = slot;
                eligible++;
                best.Offer(score, slot);
                for (var g = 0; g < groups.Length; g++)
                {
                    if (groupBest[g].Admits(score, slot) && groups[g](slot))
                    {
                        groupBest[g].Offer(score, slot);
                    }
                }
            }

            return new Slice(from, eligible, best, groupBest, failedCounts, excluded);
        }

        /// <summary>How many eligible candidates rank before this one: a walk over every score, done only for the few shown beyond the best.</summary>
        private int CountAhead(double score, int slot)
        {
            var ahead = 0;
            foreach (var slice in _slices)
            {
                for (var i = slice.Start; i < slice.Start + slice.Eligible; i++)
                {
                    if (roster.RanksBefore(scores[i], slots[i], (score, slot)))
                    {
                        ahead++;
                    }
                }
            }

            return ahead;
        }

        /// <summary>
        /// The groups a team constraint counts (EU, South, women, holders of each theme, speakers of each
        /// non-required language): the best of each join the shortlist, so that a constraint the best
        /// overall cannot meet still has its best candidates to choose from.
        /// </summary>
        private Func<int, bool>[] TeamGroups()
        {
            if (criteria.Team is not { Size: > 0 } spec)
            {
                return [];
            }

            var groups = new List<Func<int, bool>>();
            if (spec.MinEu > 0)
            {
                groups.Add(slot => roster.OriginOf(slot) == Origin.Eu);
            }

            if (spec.MinSouth > 0)
            {
                groups.Add(slot => roster.OriginOf(slot) == Origin.South);
            }

            if (spec.MinWomen > 0)
            {
                groups.Add(roster.IsWoman);
            }

            foreach (var theme in _teamThemes)
            {
                var within = new bool[roster.ThemeIds.Count];
                foreach (var code in taxonomy.Codes.Where(code => taxonomy.IsWithin(code, theme)))
                {
                    if (roster.ThemeIds.Find(code) is >= 0 and var id)
                    {
                        within[id] = true;
                    }
                }

                groups.Add(slot =>
                {
                    foreach (var held in roster.Themes(slot))
                    {
                        if (within[held.Theme])
                        {
                            return true;
                        }
                    }

                    return false;
                });
            }

            foreach (var language in _teamLanguages)
            {
                var ranks = roster.LanguageRanks(language.Code);
                groups.Add(slot => ranks is not null && ranks[slot] >= language.MinRank);
            }

            return [.. groups];
        }

        private TeamCandidate ForTeam(int slot, double score)
        {
            var expert = roster[slot];
            return new TeamCandidate(expert.Id, score, expert.Origin, expert.Nationality, expert.IsWoman,
                _teamThemes.Where(t => expert.Themes.Keys.Any(held => taxonomy.IsWithin(held, t))).ToHashSet(StringComparer.Ordinal),
                _teamLanguages.Where(l => expert.Languages.GetValueOrDefault(l.Code) >= l.MinRank).Select(l => l.Code).ToHashSet(StringComparer.Ordinal));
        }

        private RankedCandidate Ranked(int slot, Func<int, double, int> rankOf)
        {
            var expert = roster[slot];
            var components = _scoring.Score(slot);
            var score = components.WeightedSum(criteria.Weights);
            return new RankedCandidate(expert, rankOf(slot, score), score, components, _scoring.Reasons(expert));
        }

        private Explanation Explain(Guid id, Func<int, double, int> rankOf)
        {
            if (!roster.TryGet(id, out var expert))
            {
                return new Explanation(id, null, ["Not on the roster, or not visible to this key."], Known: false);
            }

            var slot = roster.SlotOf(id);
            var failed = _rules.Failed(slot);
            return failed == 0
                ? new Explanation(id, Ranked(slot, rankOf), [], Known: true)
                : new Explanation(id, null, HardRules.InMask(failed).Select(rule => HardRules.Explain(rule, expert, criteria)).ToList(), Known: true);
        }
    }
}
