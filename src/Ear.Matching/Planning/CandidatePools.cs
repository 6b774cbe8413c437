namespace Ear.Matching.Planning;

/// <summary>
/// What the team constraints read of an expert: origin, gender, nationality, and which of the action's
/// requested themes (bit i: theme i or one below it) and non-required languages (bit j: at the level
/// asked) they hold.
/// </summary>
internal readonly record struct Traits(Origin Origin, bool IsWoman, string Nationality, ulong Themes, ulong Languages);

/// <summary>An expert of the plan: the roster's id, the traits, and their live deployments on the action already.</summary>
internal sealed record PlanExpert(Guid Id, Traits Traits, int AlreadyDeployed);

/// <summary>An eligible expert for one activity (an index into <see cref="PlanProblem.Experts"/>), with the score and the score in the model's units.</summary>
internal readonly record struct Scored(int Expert, double Score, long Units);

/// <summary>One activity as the model sees it: what it needs, who is on it already, whom it may choose among.</summary>
internal sealed record ActivityProblem(
    PlanActivity Activity,
    int Needed,
    IReadOnlyList<Traits> Fixed,
    int Eligible,
    IReadOnlyList<Scored> Kept,
    IReadOnlyList<string> Unmet);

/// <summary>Everything the solver needs, copied out of the roster so that the search runs without holding it.</summary>
internal sealed record PlanProblem(
    IReadOnlyList<PlanExpert> Experts,
    IReadOnlyList<ActivityProblem> Activities,
    IReadOnlyList<string> Themes,
    IReadOnlyList<string> Languages,
    long BonusUnits,
    int Cap,
    double ContinuityBonus,
    TimeSpan TimeLimit)
{
    /// <summary>Experts the plan may add: the sum of what every activity still needs.</summary>
    public int Places => Activities.Sum(a => a.Needed);
}

/// <summary>
/// Scores every expert for every activity (the matching engine's hard rules and score, with the
/// activity's days) and keeps, per activity, only the candidates an optimal plan may need.
/// <para>
/// The reduction is an exchange argument. Say a candidate e' <em>dominates</em> e for activity a when
/// swapping e for e' in any team of a keeps a's constraints other than maxPerCountry: same origin when a
/// counts origins (minEu, minSouth, maxOther), a woman when e is one and minWomen is asked, and every
/// requested theme and non-required language e brings. In a plan that puts e on a, a dominating e' is
/// <em>blocked</em> when it is on a already, on an activity that shares a day with a, or at the cap; at
/// most B(a) = (needed(a) - 1) + Σ needed(b) over the activities b overlapping a + ⌊P / cap⌋ + (experts
/// already deployed on the action) can be, P being every place the plan can fill. e is dropped from a's
/// pool when the candidates that dominate e, rank before e and score at least e's score plus the
/// continuity bonus β for a number B(a) + 1; when a has a maxPerCountry c that can bind, B(a) + 1 of e's
/// own nationality, or (⌊(size - 1) / c⌋ + 1) × (B(a) + 1) with each nationality counted at most B(a) + 1
/// times (at most ⌊(size - 1) / c⌋ nationalities can be full in the rest of a's team). Then one of them is
/// not blocked and keeps maxPerCountry; swapping it in for e keeps every constraint (it is eligible for
/// a's days, booked on nothing that overlaps them, below the cap) and changes the value by at least +β
/// (score) - β (e may lose one continuity bonus) + 0 (e' can only gain one) ≥ 0. Each swap moves a member
/// up a's ranking, so swapping ends, in a plan as good that uses kept candidates only. Hence an optimum
/// over the kept candidates is an optimum over all eligible ones. Scores are compared in the model's units
/// (millionths), the same integers the solver adds.
/// </para>
/// </summary>
internal static class CandidatePools
{
    public const long UnitsPerPoint = 1_000_000;

    public static long Units(double score) => (long)Math.Round(score * UnitsPerPoint, MidpointRounding.AwayFromZero);

    /// <summary>The problem over the kept candidates; <paramref name="reduce"/> false keeps every eligible one (the tests' oracle for the reduction).</summary>
    public static PlanProblem Prepare(Roster roster, PlanCriteria criteria, Taxonomy taxonomy, bool reduce = true)
    {
        var themes = criteria.Action.Themes.Select(t => t.Code).ToList();
        var languages = criteria.Action.Languages.Where(l => !l.Required).ToList();
        if (themes.Count > 63 || languages.Count > 64)
        {
            throw new ArgumentException("A plan reads at most 63 requested themes and 64 non-required languages.", nameof(criteria));
        }

        var traits = new TraitReader(roster, taxonomy, themes, languages);
        var capped = criteria.ActionDeployments.Where(d => d.Value >= criteria.MaxActivitiesPerExpert).Select(d => d.Key);
        var excluded = criteria.Action.Excluded.Concat(capped).ToHashSet();
        var bonusUnits = Units(criteria.ContinuityBonus);
        var places = criteria.Activities.Sum(a => Math.Max(0, a.Team.Size - a.Members.Count));
        var onTheAction = criteria.ActionDeployments.Count(d => d.Value > 0);

        // B(a) + 1: how many dominating candidates make one of them certainly free to replace e (see the class).
        int Enough(PlanActivity activity) =>
            Math.Max(0, activity.Team.Size - activity.Members.Count - 1)
            + criteria.Activities.Where(b => b != activity && b.Days.Overlaps(activity.Days)).Sum(b => Math.Max(0, b.Team.Size - b.Members.Count))
            + places / criteria.MaxActivitiesPerExpert + onTheAction + 1;

        var pools = new (int Eligible, List<(int Slot, double Score, long Units)> Kept)[criteria.Activities.Count];
        Parallel.For(0, criteria.Activities.Count, i =>
        {
            var activity = criteria.Activities[i];
            if (activity.Team.Size - activity.Members.Count <= 0)
            {
                pools[i] = (0, []);
                return;
            }

            var eligible = Eligible(roster, criteria.Action with { Period = activity.Days, Team = null, Excluded = excluded }, taxonomy);
            pools[i] = (eligible.Count, reduce ? Reduce(roster, eligible, activity.Team, traits, Enough(activity), bonusUnits) : eligible);
        });

        var experts = new List<PlanExpert>();
        var indexOf = new Dictionary<int, int>();
        var activities = new List<ActivityProblem>();
        for (var i = 0; i < criteria.Activities.Count; i++)
        {
            var activity = criteria.Activities[i];
            var kept = pools[i].Kept.Select(k =>
            {
                if (!indexOf.TryGetValue(k.Slot, out var index))
                {
                    var id = roster.IdOf(k.Slot);
                    indexOf[k.Slot] = index = experts.Count;
                    experts.Add(new PlanExpert(id, traits.Of(k.Slot), criteria.ActionDeployments.GetValueOrDefault(id)));
                }

                return new Scored(index, k.Score, k.Units);
            }).ToList();
            var fixedMembers = activity.Members.Select(id => roster.TryGet(id, out var member) ? traits.Of(member) : (Traits?)null)
                .OfType<Traits>().ToList();
            var needed = Math.Max(0, activity.Team.Size - activity.Members.Count);
            var unmet = needed == 0 ? [] : IndividuallyUnmet(activity, needed, fixedMembers, kept.Select(k => experts[k.Expert].Traits).ToList(), pools[i].Eligible, themes, languages);
            activities.Add(new ActivityProblem(activity, needed, fixedMembers, pools[i].Eligible, kept, unmet));
        }

        return new PlanProblem(experts, activities, themes, languages.Select(l => l.Code).ToList(), bonusUnits,
            criteria.MaxActivitiesPerExpert, criteria.ContinuityBonus, criteria.TimeLimit);
    }

    /// <summary>Every slot that passes the hard rules for these criteria, with its score, best first (the ranking's order on the model's units).</summary>
    private static List<(int Slot, double Score, long Units)> Eligible(Roster roster, MatchCriteria criteria, Taxonomy taxonomy)
    {
        var rules = new RuleCheck(roster, criteria);
        var scoring = new Scoring(criteria, taxonomy, roster);
        var eligible = new List<(int Slot, double Score, long Units)>();
        for (var slot = 0; slot < roster.Count; slot++)
        {
            if (rules.Failed(slot) == 0)
            {
                var score = scoring.Score(slot).WeightedSum(criteria.Weights);
                eligible.Add((slot, score, Units(score)));
            }
        }

        eligible.Sort((a, b) => a.Units != b.Units ? b.Units.CompareTo(a.Units) : roster.IdOf(a.Slot).CompareTo(roster.IdOf(b.Slot)));
        return eligible;
    }

    /// <summary>The candidates of one activity that the exchange argument (see the class) cannot drop, best first.</summary>
    private static List<(int Slot, double Score, long Units)> Reduce(
        Roster roster, List<(int Slot, double Score, long Units)> ranked, TeamSpec spec, TraitReader traits, int free, long bonusUnits)
    {
        var byOrigin = spec.MinEu > 0 || spec.MinSouth > 0 || spec.MaxOther is not null;
        var perCountry = spec.MaxPerCountry is { } most && most < spec.Size ? most : (int?)null;
        var byGender = spec.MinWomen > 0;

        // With maxPerCountry, a replacement of another nationality keeps it unless its nationality is full in
        // the rest of the team: at most (size - 1) / maxPerCountry nationalities can be. So e is also dropped
        // when the dominating candidates, each nationality counted at most `free` times, number (that + 1) ×
        // free: whichever nationalities are full and whichever candidates are blocked, one is left.
        var enough = perCountry is { } c ? ((spec.Size - 1) / c + 1) * free : free;

        // Candidates that could replace each other in a team share a bucket (their origin, when it counts);
        // within it, a candidate's masks must hold every bit of another's to dominate it.
        int Country(int slot) => roster.Nationality(slot) is >= 0 and var n ? n : -2 - slot;
        (int Origin, ulong Mask, ulong Languages) Key(int slot)
        {
            var t = traits.Of(slot);
            return (byOrigin ? (int)t.Origin : -1, t.Themes | (byGender && t.IsWoman ? 1UL << 63 : 0), t.Languages);
        }

        var ahead = new Dictionary<int, Dictionary<(ulong Mask, ulong Languages), Dominators>>();
        var kept = new List<(int Slot, double Score, long Units)>();
        var added = 0;
        for (var i = 0; i < ranked.Count; i++)
        {
            // The candidates that rank before this one by at least the bonus: a prefix of the ranking that only grows.
            while (added < i && ranked[added].Units >= ranked[i].Units + bonusUnits)
            {
                var key = Key(ranked[added].Slot);
                if (!ahead.TryGetValue(key.Origin, out var masks))
                {
                    ahead[key.Origin] = masks = [];
                }

                if (!masks.TryGetValue((key.Mask, key.Languages), out var dominators))
                {
                    masks[(key.Mask, key.Languages)] = dominators = new Dominators();
                }

                dominators.Add(Country(ranked[added].Slot), free);
                added++;
            }

            var own = Key(ranked[i].Slot);
            var country = Country(ranked[i].Slot);
            var dominating = 0;
            var sameCountry = 0;
            var dropped = false;
            if (ahead.TryGetValue(own.Origin, out var bucket))
            {
                foreach (var ((mask, languages), dominators) in bucket)
                {
                    if ((own.Mask & ~mask) != 0 || (own.Languages & ~languages) != 0)
                    {
                        continue;
                    }

                    dominating += dominators.Total;
                    sameCountry += dominators.Of(country);
                    if (perCountry is null ? dominating >= free : sameCountry >= free || dominators.Capped >= enough)
                    {
                        dropped = true;
                        break;
                    }
                }
            }

            if (!dropped)
            {
                kept.Add(ranked[i]);
            }
        }

        return kept;
    }

    /// <summary>Candidates of one bucket and mask ahead of the one examined: how many, per nationality, and summed with each nationality counted at most a given number of times.</summary>
    private sealed class Dominators
    {
        private readonly Dictionary<int, int> _byCountry = [];

        public int Total { get; private set; }

        public int Capped { get; private set; }

        public int Of(int country) => _byCountry.GetValueOrDefault(country);

        public void Add(int country, int most)
        {
            Total++;
            var count = _byCountry[country] = _byCountry.GetValueOrDefault(country) + 1;
            Capped += count <= most ? 1 : 0;
        }
    }

    /// <summary>The constraints of one activity that no team from its candidates can meet, each taken alone.</summary>
    private static List<string> IndividuallyUnmet(PlanActivity activity, int needed, List<Traits> fixedMembers, List<Traits> candidates,
        int eligible, List<string> themes, List<LanguageNeed> languages)
    {
        var spec = activity.Team;
        var unmet = new List<string>();
        var already = activity.Members.Count == 0 ? "" : $" ({activity.Members.Count} already deployed)";
        if (eligible < needed)
        {
            unmet.Add($"size: {needed} more member(s) needed{already}, {eligible} eligible candidate(s) for its days");
        }

        void AtLeast(string name, int wanted, Func<Traits, bool> counts, string what)
        {
            var have = fixedMembers.Count(counts);
            var available = candidates.Count(counts);
            if (wanted > have && (wanted - have > needed || wanted - have > available))
            {
                unmet.Add($"{name}: {wanted} {what} asked, {have} deployed already and {available} eligible");
            }
        }

        AtLeast("minEu", spec.MinEu, t => t.Origin == Origin.Eu, "EU experts");
        AtLeast("minSouth", spec.MinSouth, t => t.Origin == Origin.South, "South experts");
        AtLeast("minWomen", spec.MinWomen, t => t.IsWoman, "women");
        var eu = fixedMembers.Count(t => t.Origin == Origin.Eu);
        var south = fixedMembers.Count(t => t.Origin == Origin.South);
        if (Math.Max(0, spec.MinEu - eu) + Math.Max(0, spec.MinSouth - south) > needed)
        {
            unmet.Add($"minEu + minSouth: {spec.MinEu + spec.MinSouth} asked, more than the team of {spec.Size} can hold with those already deployed");
        }

        if (spec.MaxOther is { } maxOther)
        {
            var others = fixedMembers.Count(t => t.Origin == Origin.Other);
            if (others > maxOther || candidates.Count(t => t.Origin != Origin.Other) < needed - (maxOther - others))
            {
                unmet.Add($"maxOther: at most {maxOther} other experts ({others} deployed already) leaves too few EU and South candidates");
            }
        }

        if (spec.MaxPerCountry is { } perCountry)
        {
            var room = candidates.GroupBy(t => t.Nationality, StringComparer.Ordinal)
                .Sum(g => Math.Max(0, Math.Min(g.Count(), perCountry - fixedMembers.Count(f => f.Nationality == g.Key))));
            if (room < needed || fixedMembers.GroupBy(t => t.Nationality, StringComparer.Ordinal).Any(g => g.Count() > perCountry))
            {
                unmet.Add($"maxPerCountry: at most {perCountry} per nationality cannot fill {needed} more place(s)");
            }
        }

        for (var i = 0; i < themes.Count; i++)
        {
            var bit = 1UL << i;
            if (!fixedMembers.Any(t => (t.Themes & bit) != 0) && !candidates.Any(t => (t.Themes & bit) != 0))
            {
                unmet.Add($"theme {themes[i]}: no eligible candidate holds it");
            }
        }

        for (var j = 0; j < languages.Count; j++)
        {
            var bit = 1UL << j;
            if (!fixedMembers.Any(t => (t.Languages & bit) != 0) && !candidates.Any(t => (t.Languages & bit) != 0))
            {
                unmet.Add($"language {languages[j].Code}: no eligible candidate speaks it at the level asked");
            }
        }

        return unmet;
    }

    /// <summary>Reads <see cref="Traits"/> from the roster's columns, for every slot at once (a walk as cheap as one request's).</summary>
    private sealed class TraitReader
    {
        private readonly Taxonomy _taxonomy;
        private readonly IReadOnlyList<string> _themes;
        private readonly IReadOnlyList<LanguageNeed> _languages;
        private readonly Traits[] _traits;

        public TraitReader(Roster roster, Taxonomy taxonomy, IReadOnlyList<string> themes, IReadOnlyList<LanguageNeed> languages)
        {
            _taxonomy = taxonomy;
            _themes = themes;
            _languages = languages;
            var themeBitsById = new ulong[roster.ThemeIds.Count];
            for (var i = 0; i < themes.Count; i++)
            {
                foreach (var code in taxonomy.Codes.Where(code => taxonomy.IsWithin(code, themes[i])))
                {
                    if (roster.ThemeIds.Find(code) is >= 0 and var id)
                    {
                        themeBitsById[id] |= 1UL << i;
                    }
                }
            }

            var ranks = languages.Select(l => roster.LanguageRanks(l.Code)).ToArray();
            _traits = new Traits[roster.Count];
            for (var slot = 0; slot < roster.Count; slot++)
            {
                var held = 0UL;
                foreach (var theme in roster.Themes(slot))
                {
                    held |= themeBitsById[theme.Theme];
                }

                var spoken = 0UL;
                for (var j = 0; j < languages.Count; j++)
                {
                    spoken |= ranks[j] is { } r && r[slot] >= languages[j].MinRank ? 1UL << j : 0;
                }

                _traits[slot] = new Traits(roster.OriginOf(slot), roster.IsWoman(slot), roster.NationalityCode(slot), held, spoken);
            }
        }

        public Traits Of(int slot) => _traits[slot];

        /// <summary>The traits of an expert from their record (an expert already deployed, read once).</summary>
        public Traits Of(Candidate candidate)
        {
            var themes = 0UL;
            for (var i = 0; i < _themes.Count; i++)
            {
                themes |= candidate.Themes.Keys.Any(held => _taxonomy.IsWithin(held, _themes[i])) ? 1UL << i : 0;
            }

            var languages = 0UL;
            for (var j = 0; j < _languages.Count; j++)
            {
                languages |= candidate.Languages.GetValueOrDefault(_languages[j].Code) >= _languages[j].MinRank ? 1UL << j : 0;
            }

            return new Traits(candidate.Origin, candidate.IsWoman, candidate.Nationality, themes, languages);
        }
    }
}
