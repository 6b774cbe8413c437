using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Ear.Matching;

public sealed record RankedCandidate(
    Candidate Expert,
    int Rank,
    double Score,
    Components Components,
    IReadOnlyList<string> Reasons);

/// <summary>Why one expert is, or is not, in the answer.</summary>
/// <param name="Alternative">For an eligible expert left out of the proposed team, the best team that includes it; null otherwise.</param>
public sealed record Explanation(Guid ExpertId, RankedCandidate? Candidate, IReadOnlyList<string> FailedRules, bool Known, TeamAlternative? Alternative = null);

/// <summary>
/// The best team that includes an expert the proposed team leaves out, and what including it costs: a
/// person decides, the engine says what each choice gives up.
/// </summary>
/// <param name="Members">The best team holding the expert; empty when no team holding it meets the constraints.</param>
/// <param name="TotalScore">Its total score; 0 when there is none.</param>
/// <param name="Difference">The proposed team's total minus this one's (never negative, the proposed team being the optimum); null when either team is infeasible.</param>
/// <param name="Feasible">Whether some team holding the expert meets every constraint.</param>
/// <param name="Unmet">When no team holding the expert is feasible, the constraints it cannot meet, as <see cref="TeamProposal.Unmet"/> names them.</param>
/// <param name="Summary">The same in one sentence, with the numbers rounded to two decimals.</param>
public sealed record TeamAlternative(IReadOnlyList<Guid> Members, double TotalScore, double? Difference, bool Feasible, IReadOnlyList<string> Unmet, string Summary)
{
    public static TeamAlternative Of(Guid expert, TeamProposal proposed, TeamProposal withExpert)
    {
        if (!withExpert.Feasible || !proposed.Feasible)
        {
            return new TeamAlternative([], 0, null, false, withExpert.Unmet,
                $"No team that includes {expert} meets the constraints: {string.Join("; ", withExpert.Unmet)}.");
        }

        // Equal totals summed over other members may differ in the last bit; the optimum is never beaten.
        var difference = Math.Max(0, proposed.TotalScore - withExpert.TotalScore);
        return new TeamAlternative(withExpert.Members, withExpert.TotalScore, difference, true, [], string.Create(CultureInfo.InvariantCulture,
            $"Including {expert} lowers the team's score by {difference:F2}: with them the team is {string.Join(", ", withExpert.Members)} (total {withExpert.TotalScore:F2} against {proposed.TotalScore:F2})."));
    }
}

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
    /// <summary>The best 200 are kept while the roster is walked when a team is asked for, so that most members' ranks are at hand.</summary>
    public const int Shortlist = 200;

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
        private readonly List<LanguageNeed> _teamLanguages = criteria.Languages.Where(l => !l.Required).ToList();
        private readonly ulong[] _teamThemeBits = TeamThemeBits(criteria, taxonomy, roster);
        private readonly byte[]?[] _teamLanguageRanks = criteria.Languages.Where(l => !l.Required).Select(l => roster.LanguageRanks(l.Code)).ToArray();
        private Slice[] _slices = [];

        /// <summary>What one slice of the roster found: its eligible slots (at the start of its range of the buffers), its best overall and of each <see cref="TeamClass"/>, and its exclusions.</summary>
        private sealed record Slice(int Start, int Eligible, Leaders Best, Dictionary<TeamClass, Leaders> ClassBest, int[] Failed, int Excluded);

        public MatchResult Run(int sliceCount)
        {
            var bestCount = Math.Max(criteria.Limit, criteria.Team is { Size: > 0 } ? Shortlist : 0);
            _slices = new Slice[sliceCount];
            Parallel.For(0, sliceCount, i =>
            {
                var start = roster.Count * i / sliceCount;
                _slices[i] = Walk(start, roster.Count * (i + 1) / sliceCount, bestCount);
            });

            var best = new Leaders(roster, bestCount);
            var classBest = new Dictionary<TeamClass, Leaders>();
            foreach (var slice in _slices)
            {
                best.Merge(slice.Best);
                foreach (var (key, leaders) in slice.ClassBest)
                {
                    (classBest.TryGetValue(key, out var kept) ? kept : classBest[key] = new Leaders(roster, criteria.Team!.Size)).Merge(leaders);
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
            List<(double Score, int Slot)> shortlist = [];
            var shown = ranked.Take(criteria.Limit).Select(r => r.Slot).ToList();
            if (criteria.Team is { Size: > 0 } spec)
            {
                // Only these can be in the optimal team (TeamClass says why), so the team searched among
                // them is the optimal team of the whole eligible roster.
                var kept = classBest.SelectMany(c => c.Value.Kept.Select(k => (k.Score, k.Slot, Class: c.Key))).ToList();
                kept.Sort((a, b) => roster.CompareRanks((a.Score, a.Slot), (b.Score, b.Slot)));
                shortlist = TeamClass.Undominated(kept.Select(k => ((k.Score, k.Slot), k.Class)), spec.Size);
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
            var explanations = criteria.Explain.Distinct().Select(id => Explain(id, RankOf, team, shortlist)).ToList();
            var failed = Enumerable.Range(0, HardRules.All.Length).Select(rule => _slices.Sum(s => s.Failed[rule])).ToArray();
            var excluded = HardRules.All.Where(rule => failed[(int)rule] > 0)
                .ToDictionary(rule => HardRules.Name(rule), rule => failed[(int)rule], StringComparer.Ordinal);
            return new MatchResult(candidates, _slices.Sum(s => s.Eligible), excluded, _slices.Sum(s => s.Excluded), team, shortlist.Count, explanations);
        }

        /// <summary>Checks and scores the slots [from, to): the hot loop, reading only the roster's columns.</summary>
        /// <remarks>
        /// Compiled fully optimised on first use: it runs once or twice per request, over the whole roster each
        /// time, too seldom for tiered compilation to promote it early (decision 0024). The checks and scores
        /// it calls are promoted by tiering within the first ten to twenty requests.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Slice Walk(int from, int to, int bestCount)
        {
            var best = new Leaders(roster, bestCount);
            var classBest = new Dictionary<TeamClass, Leaders>();
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
                if (criteria.Team is { Size: > 0 } spec)
                {
                    var key = ClassOf(spec, slot);
                    if (!classBest.TryGetValue(key, out var alike))
                    {
                        classBest[key] = alike = new Leaders(roster, spec.Size);
                    }

                    alike.Offer(score, slot);
                }
            }

            return new Slice(from, eligible, best, classBest, failedCounts, excluded);
        }

        /// <summary>How many eligible candidates rank before this one: a walk over every score, done only for the few shown beyond the best.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

        private TeamClass ClassOf(TeamSpec spec, int slot)
        {
            // Codes that are not two capital letters share CountryIndex -1 without sharing a nationality:
            // each such expert is a class of its own.
            var nationality = roster.Nationality(slot) is >= 0 and var country ? country : CountryIndex.Count + slot;
            return TeamClass.Of(spec, roster.OriginOf(slot), roster.IsWoman(slot), nationality, TeamThemes(slot), TeamLanguages(slot));
        }

        /// <summary>The requested themes the slot holds, as bits (<see cref="TeamCandidate.Themes"/>).</summary>
        private ulong TeamThemes(int slot)
        {
            var mask = 0UL;
            foreach (var held in roster.Themes(slot))
            {
                mask |= _teamThemeBits[held.Theme];
            }

            return mask;
        }

        /// <summary>The non-required requested languages the slot speaks at the level asked, as bits (<see cref="TeamCandidate.Languages"/>).</summary>
        private ulong TeamLanguages(int slot)
        {
            var mask = 0UL;
            for (var i = 0; i < _teamLanguages.Count && i < 64; i++)
            {
                if (_teamLanguageRanks[i] is { } ranks && ranks[slot] >= _teamLanguages[i].MinRank)
                {
                    mask |= 1UL << i;
                }
            }

            return mask;
        }

        /// <summary>For each theme id of the roster, the bits of the requested themes it lies within.</summary>
        private static ulong[] TeamThemeBits(MatchCriteria criteria, Taxonomy taxonomy, Roster roster)
        {
            var bits = new ulong[roster.ThemeIds.Count];
            for (var i = 0; i < criteria.Themes.Count && i < 64; i++)
            {
                foreach (var code in taxonomy.Codes.Where(code => taxonomy.IsWithin(code, criteria.Themes[i].Code)))
                {
                    if (roster.ThemeIds.Find(code) is >= 0 and var id)
                    {
                        bits[id] |= 1UL << i;
                    }
                }
            }

            return bits;
        }

        private TeamCandidate ForTeam(int slot, double score)
        {
            return new TeamCandidate(roster.IdOf(slot), score, roster.OriginOf(slot), roster.NationalityCode(slot), roster.IsWoman(slot), TeamThemes(slot), TeamLanguages(slot));
        }

        private RankedCandidate Ranked(int slot, Func<int, double, int> rankOf)
        {
            var expert = roster[slot];
            var components = _scoring.Score(slot);
            var score = components.WeightedSum(criteria.Weights);
            return new RankedCandidate(expert, rankOf(slot, score), score, components, _scoring.Reasons(expert));
        }

        private Explanation Explain(Guid id, Func<int, double, int> rankOf, TeamProposal? team, List<(double Score, int Slot)> shortlist)
        {
            var slot = roster.SlotOf(id);
            if (slot < 0)
            {
                return new Explanation(id, null, ["Not on the roster, or not visible to this key."], Known: false);
            }

            var failed = _rules.Failed(slot);
            if (failed != 0)
            {
                return new Explanation(id, null, HardRules.InMask(failed).Select(rule => HardRules.Of(rule).Explain(_rules, slot)).ToList(), Known: true);
            }

            var ranked = Ranked(slot, rankOf);
            var alternative = team is null || team.Members.Contains(id) ? null : Alternative(id, ranked.Score, team, shortlist);
            return new Explanation(id, ranked, [], Known: true, alternative);
        }

        /// <summary>
        /// The best team holding an eligible expert: the team search over the proposed team's reduced pool
        /// with the expert added at its rank and forced in (<see cref="TeamBuilder.Build"/> says why that
        /// pool is still enough). The expert is added, not assumed kept: the reduction may have dropped it.
        /// </summary>
        private TeamAlternative Alternative(Guid id, double score, TeamProposal team, List<(double Score, int Slot)> shortlist)
        {
            var slot = roster.SlotOf(id);
            var pool = new List<(double Score, int Slot)>(shortlist);
            if (!pool.Exists(p => p.Slot == slot))
            {
                var at = pool.FindIndex(p => roster.CompareRanks((score, slot), p) < 0);
                pool.Insert(at < 0 ? pool.Count : at, (score, slot));
            }

            var withExpert = TeamBuilder.Build(pool.Select(p => ForTeam(p.Slot, p.Score)).ToList(), criteria.Team!, _teamThemes, _teamLanguages.Select(l => l.Code).ToList(), mustInclude: id);
            return TeamAlternative.Of(id, team, withExpert);
        }
    }
}
