namespace Ear.Matching;

/// <summary>A scored candidate as the team search sees it.</summary>
public sealed record TeamCandidate(Guid Id, double Score, Origin Origin, string Nationality, bool IsWoman, IReadOnlySet<string> ThemesHeld, IReadOnlySet<string> LanguagesSpoken);

public sealed record TeamProposal(IReadOnlyList<Guid> Members, double TotalScore, bool Feasible, IReadOnlyList<string> Unmet);

/// <summary>
/// The team with the greatest total score under the mix, nationality, gender, theme and language
/// constraints: an exact branch and bound. Candidates are tried best first; a branch is cut when even
/// the best remaining scores cannot beat the best team found, or when what is left can no longer meet
/// a minimum (EU, South, women, a theme, a language). The result is optimal over the candidates given.
/// </summary>
public static class TeamBuilder
{
    public static TeamProposal Build(IReadOnlyList<TeamCandidate> candidates, TeamSpec spec, IReadOnlyList<string> themes, IReadOnlyList<string> languages)
    {
        var unmet = IndividuallyUnmet(candidates, spec, themes, languages);
        if (unmet.Count > 0)
        {
            return new TeamProposal([], 0, false, unmet);
        }

        var search = new Search(candidates, spec, themes, languages);
        search.Run();
        return search.Best is null
            ? new TeamProposal([], 0, false, ["the constraints together (each alone can be met, not all at once)"])
            : new TeamProposal(search.Best, search.BestScore, true, []);
    }

    /// <summary>The constraints that no team from these candidates can meet, each taken alone.</summary>
    private static List<string> IndividuallyUnmet(IReadOnlyList<TeamCandidate> candidates, TeamSpec spec, IReadOnlyList<string> themes, IReadOnlyList<string> languages)
    {
        var unmet = new List<string>();
        if (candidates.Count < spec.Size)
        {
            unmet.Add($"size: {spec.Size} members asked, {candidates.Count} eligible candidate(s)");
        }

        if (candidates.Count(c => c.Origin == Origin.Eu) < spec.MinEu || spec.MinEu > spec.Size)
        {
            unmet.Add($"minEu: {spec.MinEu} EU experts asked, {candidates.Count(c => c.Origin == Origin.Eu)} eligible");
        }

        if (candidates.Count(c => c.Origin == Origin.South) < spec.MinSouth || spec.MinSouth > spec.Size)
        {
            unmet.Add($"minSouth: {spec.MinSouth} South experts asked, {candidates.Count(c => c.Origin == Origin.South)} eligible");
        }

        if (candidates.Count(c => c.IsWoman) < spec.MinWomen || spec.MinWomen > spec.Size)
        {
            unmet.Add($"minWomen: {spec.MinWomen} women asked, {candidates.Count(c => c.IsWoman)} eligible");
        }

        if (spec.MinEu + spec.MinSouth > spec.Size)
        {
            unmet.Add($"minEu + minSouth: {spec.MinEu + spec.MinSouth} exceed the team size {spec.Size}");
        }

        if (spec.MaxOther is { } maxOther && candidates.Count(c => c.Origin != Origin.Other) < spec.Size - maxOther)
        {
            unmet.Add($"maxOther: at most {maxOther} other experts leaves too few EU and South candidates");
        }

        if (spec.MaxPerCountry is { } perCountry && candidates.GroupBy(c => c.Nationality).Sum(g => Math.Min(perCountry, g.Count())) < spec.Size)
        {
            unmet.Add($"maxPerCountry: at most {perCountry} per nationality cannot fill {spec.Size} places");
        }

        unmet.AddRange(themes.Where(t => !candidates.Any(c => c.ThemesHeld.Contains(t))).Select(t => $"theme {t}: no eligible candidate holds it"));
        unmet.AddRange(languages.Where(l => !candidates.Any(c => c.LanguagesSpoken.Contains(l))).Select(l => $"language {l}: no eligible candidate speaks it at the level asked"));
        return unmet;
    }

    private sealed class Search
    {
        private readonly IReadOnlyList<TeamCandidate> _candidates;
        private readonly TeamSpec _spec;
        private readonly ulong[] _themeMasks;
        private readonly ulong[] _languageMasks;
        private readonly int[] _nationality;
        private readonly ulong _allThemes;
        private readonly ulong _allLanguages;
        private readonly int[] _suffixEu;
        private readonly int[] _suffixSouth;
        private readonly int[] _suffixWomen;
        private readonly ulong[] _suffixThemes;
        private readonly ulong[] _suffixLanguages;
        private readonly double[] _prefixScore;
        private readonly int[] _perCountry;
        private readonly int[] _chosen;

        public Search(IReadOnlyList<TeamCandidate> candidates, TeamSpec spec, IReadOnlyList<string> themes, IReadOnlyList<string> languages)
        {
            _candidates = candidates;
            _spec = spec;
            var n = candidates.Count;
            _themeMasks = candidates.Select(c => Mask(themes, c.ThemesHeld)).ToArray();
            _languageMasks = candidates.Select(c => Mask(languages, c.LanguagesSpoken)).ToArray();
            var nationalities = candidates.Select(c => c.Nationality).Distinct().ToList();
            _nationality = candidates.Select(c => nationalities.IndexOf(c.Nationality)).ToArray();
            _perCountry = new int[nationalities.Count];
            _allThemes = themes.Count == 64 ? ulong.MaxValue : (1UL << themes.Count) - 1;
            _allLanguages = languages.Count == 64 ? ulong.MaxValue : (1UL << languages.Count) - 1;
            _suffixEu = new int[n + 1];
            _suffixSouth = new int[n + 1];
            _suffixWomen = new int[n + 1];
            _suffixThemes = new ulong[n + 1];
            _suffixLanguages = new ulong[n + 1];
            for (var i = n - 1; i >= 0; i--)
            {
                _suffixEu[i] = _suffixEu[i + 1] + (candidates[i].Origin == Origin.Eu ? 1 : 0);
                _suffixSouth[i] = _suffixSouth[i + 1] + (candidates[i].Origin == Origin.South ? 1 : 0);
                _suffixWomen[i] = _suffixWomen[i + 1] + (candidates[i].IsWoman ? 1 : 0);
                _suffixThemes[i] = _suffixThemes[i + 1] | _themeMasks[i];
                _suffixLanguages[i] = _suffixLanguages[i + 1] | _languageMasks[i];
            }

            _prefixScore = new double[n + 1];
            for (var i = 0; i < n; i++)
            {
                _prefixScore[i + 1] = _prefixScore[i] + candidates[i].Score;
            }

            _chosen = new int[spec.Size];
        }

        public List<Guid>? Best { get; private set; }

        public double BestScore { get; private set; } = double.NegativeInfinity;

        public void Run() => Visit(0, 0, 0, 0, 0, 0, 0, 0, 0);

        private void Visit(int next, int taken, double sum, int eu, int south, int other, int women, ulong themes, ulong languages)
        {
            if (taken == _spec.Size)
            {
                if (eu >= _spec.MinEu && south >= _spec.MinSouth && women >= _spec.MinWomen && themes == _allThemes && languages == _allLanguages && sum > BestScore)
                {
                    BestScore = sum;
                    Best = _chosen.Select(i => _candidates[i].Id).ToList();
                }

                return;
            }

            var slots = _spec.Size - taken;
            for (var i = next; i <= _candidates.Count - slots; i++)
            {
                // The best this branch can reach: the sum so far plus the next best scores (candidates come best first).
                if (sum + _prefixScore[i + slots] - _prefixScore[i] <= BestScore)
                {
                    return;
                }

                var needEu = Math.Max(0, _spec.MinEu - eu);
                var needSouth = Math.Max(0, _spec.MinSouth - south);
                var needWomen = Math.Max(0, _spec.MinWomen - women);
                if (needEu > _suffixEu[i] || needSouth > _suffixSouth[i] || needWomen > _suffixWomen[i] || needEu + needSouth > slots
                    || (~themes & _allThemes & ~_suffixThemes[i]) != 0 || (~languages & _allLanguages & ~_suffixLanguages[i]) != 0)
                {
                    return;
                }

                var candidate = _candidates[i];
                var isOther = candidate.Origin == Origin.Other;
                if ((isOther && _spec.MaxOther is { } maxOther && other >= maxOther)
                    || (_spec.MaxPerCountry is { } perCountry && _perCountry[_nationality[i]] >= perCountry))
                {
                    continue;
                }

                _chosen[taken] = i;
                _perCountry[_nationality[i]]++;
                Visit(i + 1, taken + 1, sum + candidate.Score,
                    eu + (candidate.Origin == Origin.Eu ? 1 : 0),
                    south + (candidate.Origin == Origin.South ? 1 : 0),
                    other + (isOther ? 1 : 0),
                    women + (candidate.IsWoman ? 1 : 0),
                    themes | _themeMasks[i],
                    languages | _languageMasks[i]);
                _perCountry[_nationality[i]]--;
            }
        }

        private static ulong Mask(IReadOnlyList<string> wanted, IReadOnlySet<string> held)
        {
            var mask = 0UL;
            for (var i = 0; i < wanted.Count && i < 64; i++)
            {
                if (held.Contains(wanted[i]))
                {
                    mask |= 1UL << i;
                }
            }

            return mask;
        }
    }
}
