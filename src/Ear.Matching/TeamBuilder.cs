namespace Ear.Matching;

/// <summary>
/// A scored candidate as the team search sees it. Bit i of <see cref="Themes"/> is set when the
/// candidate holds the i-th requested theme (or one within it); bit i of <see cref="Languages"/> when
/// it speaks the i-th non-required requested language at the level asked.
/// </summary>
public sealed record TeamCandidate(Guid Id, double Score, Origin Origin, string Nationality, bool IsWoman, ulong Themes, ulong Languages);

public sealed record TeamProposal(IReadOnlyList<Guid> Members, double TotalScore, bool Feasible, IReadOnlyList<string> Unmet);

/// <summary>
/// What the team constraints can tell apart, each trait only when a constraint of the request reads it:
/// nationality (maxPerCountry), and as flags, EU (minEu), South (minSouth), not other (maxOther), woman
/// (minWomen), with the requested themes held and the non-required languages spoken.
/// </summary>
/// <remarks>
/// Swapping a team member for an expert of the same class changes no count a constraint reads, and for
/// one that <see cref="Covers"/> it, no count the wrong way: the same nationality, a minimum counts it at
/// least as often, maxOther no more often, and it holds every theme and language the other did. So if an
/// optimal team held a member while <c>size</c> candidates covering it and ranked before it existed, one
/// of them would be outside the team, and swapping it in would keep every constraint and not lower the
/// total; equal totals are decided by the ranking order, so the optimum never holds such a member. Only the
/// best <c>size</c> of each class, and of those only the ones fewer than <c>size</c> better ones cover, can be
/// in the optimal team: the team searched among them is the optimal team of the whole eligible roster.
/// </remarks>
internal readonly record struct TeamClass(int Nationality, int Traits, ulong Themes, ulong Languages)
{
    /// <param name="nationality">Any number that is equal for two experts exactly when their nationalities are.</param>
    public static TeamClass Of(TeamSpec spec, Origin origin, bool isWoman, int nationality, ulong themes, ulong languages) => new(
        spec.MaxPerCountry is null ? -1 : nationality,
        (spec.MinEu > 0 && origin == Origin.Eu ? 1 : 0)
        | (spec.MinSouth > 0 && origin == Origin.South ? 2 : 0)
        | (spec.MaxOther is not null && origin != Origin.Other ? 4 : 0)
        | (spec.MinWomen > 0 && isWoman ? 8 : 0),
        themes,
        languages);

    /// <summary>Whether an expert of this class serves every constraint at least as well as one of the other.</summary>
    public bool Covers(TeamClass other) =>
        Nationality == other.Nationality && (other.Traits & ~Traits) == 0 && (other.Themes & ~Themes) == 0 && (other.Languages & ~Languages) == 0;

    /// <summary>Of candidates in the ranking order, those that fewer than <paramref name="size"/> earlier kept ones cover (see the remarks).</summary>
    public static List<T> Undominated<T>(IEnumerable<(T Item, TeamClass Class)> ranked, int size)
    {
        var kept = new List<T>();
        var keptClasses = new Dictionary<int, List<TeamClass>>();
        foreach (var (item, alike) in ranked)
        {
            if (!keptClasses.TryGetValue(alike.Nationality, out var earlier))
            {
                keptClasses[alike.Nationality] = earlier = [];
            }

            var covering = 0;
            for (var i = 0; i < earlier.Count && covering < size; i++)
            {
                covering += earlier[i].Covers(alike) ? 1 : 0;
            }

            if (covering < size)
            {
                kept.Add(item);
                earlier.Add(alike);
            }
        }

        return kept;
    }
}

/// <summary>
/// The team with the greatest total score under the mix, nationality, gender, theme and language
/// constraints, an exact branch and bound; among teams of equal total, the one whose members come
/// first in the ranking order. The result is optimal over the candidates given, which must come in
/// the ranking order (best first).
/// </summary>
public static class TeamBuilder
{
    /// <param name="mustInclude">
    /// An expert among the candidates that the team must hold: the best team that includes it. The exchange
    /// argument of <see cref="TeamClass"/> still holds for the other members (of <c>size</c> candidates
    /// covering one of them, at least one is outside the team and is not the forced expert), so the
    /// candidates may be the same reduced pool, with the forced expert added to it.
    /// </param>
    public static TeamProposal Build(IReadOnlyList<TeamCandidate> candidates, TeamSpec spec, IReadOnlyList<string> themes, IReadOnlyList<string> languages, Guid? mustInclude = null)
    {
        var forced = -1;
        if (mustInclude is { } id)
        {
            forced = candidates.Select((c, i) => c.Id == id ? i : -1).Where(i => i >= 0).DefaultIfEmpty(-1).First();
            if (forced < 0)
            {
                throw new ArgumentException($"{id} is not among the candidates.", nameof(mustInclude));
            }
        }

        var unmet = IndividuallyUnmet(candidates, spec, themes, languages, forced < 0 ? null : candidates[forced]);
        if (unmet.Count > 0)
        {
            return new TeamProposal([], 0, false, unmet);
        }

        var search = new Search(candidates, spec, themes.Count, languages.Count, forced);
        search.Run();
        return search.Best is null
            ? new TeamProposal([], 0, false, [forced < 0
                ? "the constraints together (each alone can be met, not all at once)"
                : $"the constraints together (each alone can be met with {mustInclude} in the team, not all at once)"])
            : new TeamProposal(search.Best, search.BestScore, true, []);
    }

    /// <summary>
    /// The constraints that no team from these candidates (holding <paramref name="forced"/>, when given)
    /// can meet, each taken alone.
    /// </summary>
    private static List<string> IndividuallyUnmet(IReadOnlyList<TeamCandidate> candidates, TeamSpec spec, IReadOnlyList<string> themes, IReadOnlyList<string> languages, TeamCandidate? forced)
    {
        var unmet = new List<string>();
        var beside = spec.Size - 1;
        if (candidates.Count < spec.Size)
        {
            unmet.Add($"size: {spec.Size} members asked, {candidates.Count} eligible candidate(s)");
        }

        if (candidates.Count(c => c.Origin == Origin.Eu) < spec.MinEu || spec.MinEu > spec.Size)
        {
            unmet.Add($"minEu: {spec.MinEu} EU experts asked, {candidates.Count(c => c.Origin == Origin.Eu)} eligible");
        }
        else if (forced is { Origin: not Origin.Eu } && spec.MinEu > beside)
        {
            unmet.Add($"minEu: {spec.MinEu} EU experts asked, {beside} place(s) left beside {forced.Id}, who is not one");
        }

        if (candidates.Count(c => c.Origin == Origin.South) < spec.MinSouth || spec.MinSouth > spec.Size)
        {
            unmet.Add($"minSouth: {spec.MinSouth} South experts asked, {candidates.Count(c => c.Origin == Origin.South)} eligible");
        }
        else if (forced is { Origin: not Origin.South } && spec.MinSouth > beside)
        {
            unmet.Add($"minSouth: {spec.MinSouth} South experts asked, {beside} place(s) left beside {forced.Id}, who is not one");
        }

        if (candidates.Count(c => c.IsWoman) < spec.MinWomen || spec.MinWomen > spec.Size)
        {
            unmet.Add($"minWomen: {spec.MinWomen} women asked, {candidates.Count(c => c.IsWoman)} eligible");
        }
        else if (forced is { IsWoman: false } && spec.MinWomen > beside)
        {
            unmet.Add($"minWomen: {spec.MinWomen} women asked, {beside} place(s) left beside {forced.Id}, who is not one");
        }

        if (spec.MinEu + spec.MinSouth > spec.Size)
        {
            unmet.Add($"minEu + minSouth: {spec.MinEu + spec.MinSouth} exceed the team size {spec.Size}");
        }
        else if (forced is { Origin: Origin.Other } && spec.MinEu + spec.MinSouth > beside)
        {
            unmet.Add($"minEu + minSouth: {spec.MinEu + spec.MinSouth} exceed the {beside} place(s) left beside {forced.Id}, who is neither");
        }

        if (spec.MaxOther is { } maxOther && candidates.Count(c => c.Origin != Origin.Other) < spec.Size - maxOther)
        {
            unmet.Add($"maxOther: at most {maxOther} other experts leaves too few EU and South candidates");
        }
        else if (forced is { Origin: Origin.Other } && spec.MaxOther == 0)
        {
            unmet.Add($"maxOther: no other experts allowed, and {forced.Id} is one");
        }

        if (spec.MaxPerCountry is { } perCountry && candidates.GroupBy(c => c.Nationality).Sum(g => Math.Min(perCountry, g.Count())) < spec.Size)
        {
            unmet.Add($"maxPerCountry: at most {perCountry} per nationality cannot fill {spec.Size} places");
        }

        unmet.AddRange(themes.Where((t, i) => !candidates.Any(c => Has(c.Themes, i))).Select(t => $"theme {t}: no eligible candidate holds it"));
        unmet.AddRange(languages.Where((l, i) => !candidates.Any(c => Has(c.Languages, i))).Select(l => $"language {l}: no eligible candidate speaks it at the level asked"));
        if (forced is not null && beside == 0)
        {
            unmet.AddRange(themes.Where((t, i) => !Has(forced.Themes, i) && candidates.Any(c => Has(c.Themes, i)))
                .Select(t => $"theme {t}: {forced.Id} does not hold it and takes the only place"));
            unmet.AddRange(languages.Where((l, i) => !Has(forced.Languages, i) && candidates.Any(c => Has(c.Languages, i)))
                .Select(l => $"language {l}: {forced.Id} does not speak it at the level asked and takes the only place"));
        }

        return unmet;
    }

    private static bool Has(ulong mask, int bit) => bit < 64 && (mask & (1UL << bit)) != 0;

    /// <summary>
    /// Branches on a minimum still unmet (EU, South, women, a theme, a language; the one with the fewest
    /// candidates): each branch takes one candidate of its group, best first, and excludes the better
    /// ones it passed, so that no team is visited twice and every team meeting the minimum is in exactly
    /// one branch. Once every minimum is met, the places left are filled best first. A branch is cut when
    /// an upper bound on its total (the best remaining scores, taking the minimums still unmet into
    /// account) cannot reach the best team found, and a candidate is never taken while a better one of
    /// its <see cref="TeamClass"/> is left out (see there why that loses nothing). A forced member is
    /// placed before the search starts and is left out of that rule's chains: the others of its class
    /// still come best first among themselves.
    /// </summary>
    private sealed class Search
    {
        private const double Tolerance = 1e-9;
        private const int EuGroup = 0;
        private const int SouthGroup = 1;
        private const int WomenGroup = 2;
        private const int FirstThemeGroup = 3;

        private readonly IReadOnlyList<TeamCandidate> _candidates;
        private readonly TeamSpec _spec;
        private readonly int _themeCount;
        private readonly double[] _score;
        private readonly double[] _prefixScore;
        private readonly int[] _nationality;
        private readonly int[] _betterAlike;
        private readonly int[] _everyone;
        private readonly int[][] _groups;
        private readonly bool[] _chosen;
        private readonly bool[] _excluded;
        private readonly Stack<int> _exclusions = new();
        private readonly int[] _perCountry;
        private readonly List<int> _team = [];
        private readonly int[] _need;
        private readonly int _forced;
        private int[] _bestMembers = [];
        private int _other;

        public Search(IReadOnlyList<TeamCandidate> candidates, TeamSpec spec, int themeCount, int languageCount, int forced)
        {
            _candidates = candidates;
            _forced = forced;
            _spec = spec;
            _themeCount = Math.Min(themeCount, 64);
            var n = candidates.Count;
            _score = candidates.Select(c => c.Score).ToArray();
            _prefixScore = new double[n + 1];
            for (var i = 0; i < n; i++)
            {
                _prefixScore[i + 1] = _prefixScore[i] + _score[i];
            }

            var nationalities = new Dictionary<string, int>(StringComparer.Ordinal);
            _nationality = candidates.Select(c => nationalities.TryGetValue(c.Nationality, out var id) ? id : nationalities[c.Nationality] = nationalities.Count).ToArray();
            _perCountry = new int[nationalities.Count];

            var lastOfClass = new Dictionary<TeamClass, int>();
            _betterAlike = new int[n];
            for (var i = 0; i < n; i++)
            {
                if (i == forced)
                {
                    _betterAlike[i] = -1;
                    continue;
                }

                var key = TeamClass.Of(spec, candidates[i].Origin, candidates[i].IsWoman, _nationality[i], candidates[i].Themes, candidates[i].Languages);
                _betterAlike[i] = lastOfClass.GetValueOrDefault(key, -1);
                lastOfClass[key] = i;
            }

            _everyone = Enumerable.Range(0, n).ToArray();
            var groups = new List<Func<TeamCandidate, bool>>
            {
                c => c.Origin == Origin.Eu,
                c => c.Origin == Origin.South,
                c => c.IsWoman,
            };
            groups.AddRange(Enumerable.Range(0, _themeCount).Select(bit => (Func<TeamCandidate, bool>)(c => Has(c.Themes, bit))));
            groups.AddRange(Enumerable.Range(0, Math.Min(languageCount, 64)).Select(bit => (Func<TeamCandidate, bool>)(c => Has(c.Languages, bit))));
            _groups = groups.Select(inGroup => _everyone.Where(i => inGroup(candidates[i])).ToArray()).ToArray();
            _need = new int[_groups.Length];
            _need[EuGroup] = spec.MinEu;
            _need[SouthGroup] = spec.MinSouth;
            _need[WomenGroup] = spec.MinWomen;
            for (var g = FirstThemeGroup; g < _need.Length; g++)
            {
                _need[g] = 1;
            }

            _chosen = new bool[n];
            _excluded = new bool[n];
        }

        public List<Guid>? Best { get; private set; }

        public double BestScore { get; private set; } = double.NegativeInfinity;

        public void Run()
        {
            var sum = 0.0;
            if (_forced >= 0)
            {
                if (Capped(_forced))
                {
                    return;
                }

                Take(_forced);
                sum = _score[_forced];
            }

            if (Completion(_spec.Size - _team.Count) > double.NegativeInfinity)
            {
                Branch(sum);
            }
        }

        private void Branch(double sum)
        {
            var places = _spec.Size - _team.Count;
            if (places == 0)
            {
                Offer();
                return;
            }

            var group = MostConstrainedUnmet();
            if (group < 0)
            {
                Fill(0, sum);
                return;
            }

            // The group's candidates come best first, so once one cannot reach the best team, none after it can.
            var restAtMost = Top(_everyone, places - 1);
            var mark = _exclusions.Count;
            foreach (var c in _groups[group])
            {
                if (_chosen[c] || _excluded[c])
                {
                    continue;
                }

                if (sum + _score[c] + restAtMost < BestScore - Tolerance)
                {
                    break;
                }

                if (CanTake(c))
                {
                    Take(c);
                    var rest = Completion(places - 1);
                    if (rest > double.NegativeInfinity && sum + _score[c] + rest >= BestScore - Tolerance)
                    {
                        Branch(sum + _score[c]);
                    }

                    Drop(c);
                }

                _excluded[c] = true;
                _exclusions.Push(c);
            }

            while (_exclusions.Count > mark)
            {
                _excluded[_exclusions.Pop()] = false;
            }
        }

        /// <summary>Every minimum is met: the places left go to candidates from <paramref name="from"/> on, in the ranking order.</summary>
        private void Fill(int from, double sum)
        {
            var places = _spec.Size - _team.Count;
            if (places == 0)
            {
                Offer();
                return;
            }

            for (var i = from; i <= _score.Length - places; i++)
            {
                if (sum + _prefixScore[i + places] - _prefixScore[i] < BestScore - Tolerance)
                {
                    return;
                }

                if (CanTake(i))
                {
                    Take(i);
                    Fill(i + 1, sum + _score[i]);
                    Drop(i);
                }
            }
        }

        /// <summary>
        /// An upper bound on what <paramref name="places"/> more members can add, or -∞ when they cannot
        /// meet the minimums still unmet: for each minimum, its group's best plus the best of everyone for
        /// the other places (EU and South together, as they are disjoint), and the least of these.
        /// </summary>
        private double Completion(int places)
        {
            var needEu = Math.Max(0, _need[EuGroup]);
            var needSouth = Math.Max(0, _need[SouthGroup]);
            if (needEu + needSouth > places)
            {
                return double.NegativeInfinity;
            }

            var bound = Top(_groups[EuGroup], needEu) + Top(_groups[SouthGroup], needSouth) + Top(_everyone, places - needEu - needSouth);
            for (var g = WomenGroup; g < _groups.Length; g++)
            {
                if (_need[g] > 0)
                {
                    bound = Math.Min(bound, _need[g] > places ? double.NegativeInfinity : Top(_groups[g], _need[g]) + Top(_everyone, places - _need[g]));
                }
            }

            return bound;
        }

        /// <summary>The sum of the best <paramref name="count"/> of these candidates that may still join, or -∞ when fewer may.</summary>
        private double Top(int[] candidates, int count)
        {
            var sum = 0.0;
            for (var i = 0; i < candidates.Length && count > 0; i++)
            {
                var c = candidates[i];
                if (!_chosen[c] && !_excluded[c] && !Capped(c))
                {
                    sum += _score[c];
                    count--;
                }
            }

            return count == 0 ? sum : double.NegativeInfinity;
        }

        private int MostConstrainedUnmet()
        {
            var best = -1;
            for (var g = 0; g < _groups.Length; g++)
            {
                if (_need[g] > 0 && (best < 0 || _groups[g].Length < _groups[best].Length))
                {
                    best = g;
                }
            }

            return best;
        }

        private bool Capped(int c) =>
            (_candidates[c].Origin == Origin.Other && _spec.MaxOther is { } maxOther && _other >= maxOther)
            || (_spec.MaxPerCountry is { } perCountry && _perCountry[_nationality[c]] >= perCountry);

        private bool CanTake(int c) => !_chosen[c] && !_excluded[c] && !Capped(c) && (_betterAlike[c] < 0 || _chosen[_betterAlike[c]]);

        private void Take(int c) => Count(c, +1);

        private void Drop(int c) => Count(c, -1);

        private void Count(int c, int delta)
        {
            var candidate = _candidates[c];
            _chosen[c] = delta > 0;
            if (delta > 0)
            {
                _team.Add(c);
            }
            else
            {
                _team.RemoveAt(_team.Count - 1);
            }

            _perCountry[_nationality[c]] += delta;
            _other += candidate.Origin == Origin.Other ? delta : 0;
            _need[EuGroup] -= candidate.Origin == Origin.Eu ? delta : 0;
            _need[SouthGroup] -= candidate.Origin == Origin.South ? delta : 0;
            _need[WomenGroup] -= candidate.IsWoman ? delta : 0;
            for (var g = FirstThemeGroup; g < _groups.Length; g++)
            {
                var held = g < FirstThemeGroup + _themeCount ? Has(candidate.Themes, g - FirstThemeGroup) : Has(candidate.Languages, g - FirstThemeGroup - _themeCount);
                _need[g] -= held ? delta : 0;
            }
        }

        /// <summary>A full team meeting every minimum: kept when its total (summed in the ranking order) is greater, or equal with members earlier in that order.</summary>
        private void Offer()
        {
            var members = _team.Order().ToArray();
            var total = 0.0;
            foreach (var c in members)
            {
                total += _score[c];
            }

            if (total > BestScore || (total == BestScore && members.AsSpan().SequenceCompareTo(_bestMembers) < 0))
            {
                BestScore = total;
                _bestMembers = members;
                Best = members.Select(c => _candidates[c].Id).ToList();
            }
        }
    }
}
