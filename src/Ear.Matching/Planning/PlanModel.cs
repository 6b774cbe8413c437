using Google.OrTools.Sat;

namespace Ear.Matching.Planning;

/// <summary>
/// The CP-SAT model of a plan over the kept candidates:
/// <list type="bullet">
/// <item>x[e, a] = 1 when expert e joins activity a; staffed[a] = 1 when a gets its whole team.</item>
/// <item>Σe x[e, a] = needed(a) × staffed[a]; the team minima (minEu, minSouth, minWomen, each
/// requested theme and non-required language held by someone), counting the members already
/// deployed, apply when a is staffed; the maxima (maxOther, maxPerCountry) always.</item>
/// <item>No expert on two activities that share a day: at most one x[e, ·] per clique of overlapping
/// activities (the activities covering one activity's first day; for intervals these cover every
/// overlapping pair).</item>
/// <item>At most the cap of activities of the action per expert, deployments already made included.</item>
/// <item>Continuity: β for every activity an expert staffs beyond their first. For an expert already on
/// the action every x earns β; otherwise each x earns β and a flag used[e] ≥ x[e, ·] costs β back.</item>
/// <item>Objective: M × Σ staffed[a] + Σ score(e, a) × x[e, a] + continuity, in millionths, with M larger
/// than any sum of scores and bonuses: first as many activities staffed as possible, then the best value.</item>
/// </list>
/// </summary>
internal sealed class PlanModel
{
    private readonly Dictionary<int, BoolVar> _used;

    private PlanModel(CpModel model, Dictionary<(int Activity, int Expert), BoolVar> assigned, Dictionary<int, BoolVar> staffed, Dictionary<int, BoolVar> used, long staffingWeight)
    {
        Model = model;
        Assigned = assigned;
        Staffed = staffed;
        _used = used;
        StaffingWeight = staffingWeight;
    }

    public CpModel Model { get; }

    /// <summary>x[activity index, expert index], for each kept candidate of each activity in the model.</summary>
    public Dictionary<(int Activity, int Expert), BoolVar> Assigned { get; }

    public Dictionary<int, BoolVar> Staffed { get; }

    /// <summary>M: what staffing one more activity is worth, more than any sum of scores and bonuses.</summary>
    public long StaffingWeight { get; }

    /// <summary>
    /// The model of the activities <paramref name="activities"/> (indexes into the problem's). When
    /// <paramref name="everyOneStaffed"/>, each must be staffed and there is no objective: a feasibility question.
    /// </summary>
    public static PlanModel Build(PlanProblem problem, IReadOnlyList<int> activities, bool everyOneStaffed)
    {
        var model = new CpModel();
        var assigned = new Dictionary<(int Activity, int Expert), BoolVar>();
        var units = new Dictionary<(int Activity, int Expert), long>();
        var staffed = new Dictionary<int, BoolVar>();
        var usedFlags = new Dictionary<int, BoolVar>();
        var objective = LinearExpr.NewBuilder();
        var best = activities.SelectMany(a => problem.Activities[a].Kept).Select(k => k.Units).DefaultIfEmpty(0).Max();
        var staffingWeight = 1 + activities.Sum(a => (long)problem.Activities[a].Needed) * (Math.Max(0, best) + problem.BonusUnits);

        foreach (var a in activities)
        {
            var activity = problem.Activities[a];
            var z = model.NewBoolVar($"staffed_{a}");
            staffed[a] = z;
            if (everyOneStaffed)
            {
                model.Add(z == 1);
            }

            var members = new List<(BoolVar X, Traits Traits)>();
            foreach (var candidate in activity.Kept)
            {
                var x = model.NewBoolVar($"x_{a}_{candidate.Expert}");
                assigned[(a, candidate.Expert)] = x;
                units[(a, candidate.Expert)] = candidate.Units;
                members.Add((x, problem.Experts[candidate.Expert].Traits));
            }

            AddTeamConstraints(model, problem, activity, z, members);
            objective.AddTerm(z, staffingWeight);
        }

        var byExpert = assigned.GroupBy(e => e.Key.Expert, e => (e.Key.Activity, X: e.Value));
        var cliques = OverlapCliques(problem, activities);
        foreach (var expert in byExpert)
        {
            var own = expert.ToDictionary(e => e.Activity, e => e.X);
            foreach (var clique in cliques)
            {
                var overlapping = clique.Where(own.ContainsKey).Select(a => (ILiteral)own[a]).ToList();
                if (overlapping.Count > 1)
                {
                    model.AddAtMostOne(overlapping);
                }
            }

            var info = problem.Experts[expert.Key];
            var room = problem.Cap - info.AlreadyDeployed;
            if (own.Count > room)
            {
                model.Add(LinearExpr.Sum(own.Values) <= room);
            }

            var earnsBonus = info.AlreadyDeployed > 0 || own.Count > 1;
            foreach (var (a, x) in own)
            {
                objective.AddTerm(x, units[(a, expert.Key)] + (earnsBonus ? problem.BonusUnits : 0));
            }

            if (info.AlreadyDeployed == 0 && own.Count > 1)
            {
                // The first activity earns no bonus: used[e] is 1 as soon as any x[e, ·] is, and takes β back.
                var used = model.NewBoolVar($"used_{expert.Key}");
                usedFlags[expert.Key] = used;
                foreach (var x in own.Values)
                {
                    model.AddImplication(x, used);
                }

                objective.AddTerm(used, -problem.BonusUnits);
            }
        }

        if (!everyOneStaffed)
        {
            model.Maximize(objective);
        }

        return new PlanModel(model, assigned, staffed, usedFlags, staffingWeight);
    }

    /// <summary>Gives the solver a whole plan to start from (teams by activity index).</summary>
    public void Hint(Dictionary<int, List<Scored>> teams)
    {
        var members = teams.SelectMany(t => t.Value.Select(m => (Activity: t.Key, m.Expert))).ToHashSet();
        foreach (var (key, x) in Assigned)
        {
            Model.AddHint(x, members.Contains(key));
        }

        foreach (var (a, z) in Staffed)
        {
            Model.AddHint(z, teams.ContainsKey(a));
        }

        foreach (var (expert, used) in _used)
        {
            Model.AddHint(used, members.Any(m => m.Expert == expert));
        }
    }

    private static void AddTeamConstraints(CpModel model, PlanProblem problem, ActivityProblem activity, BoolVar staffed, List<(BoolVar X, Traits Traits)> members)
    {
        var spec = activity.Activity.Team;
        var fixedMembers = activity.Fixed;
        model.Add(LinearExpr.Sum(members.Select(m => m.X)) == activity.Needed * staffed);

        void AtLeast(int wanted, Func<Traits, bool> counts)
        {
            var missing = wanted - fixedMembers.Count(counts);
            if (missing > 0)
            {
                model.Add(LinearExpr.Sum(members.Where(m => counts(m.Traits)).Select(m => m.X)) >= missing).OnlyEnforceIf(staffed);
            }
        }

        AtLeast(spec.MinEu, t => t.Origin == Origin.Eu);
        AtLeast(spec.MinSouth, t => t.Origin == Origin.South);
        AtLeast(spec.MinWomen, t => t.IsWoman);
        for (var i = 0; i < problem.Themes.Count; i++)
        {
            var bit = 1UL << i;
            AtLeast(1, t => (t.Themes & bit) != 0);
        }

        for (var j = 0; j < problem.Languages.Count; j++)
        {
            var bit = 1UL << j;
            AtLeast(1, t => (t.Languages & bit) != 0);
        }

        if (spec.MaxOther is { } maxOther)
        {
            var others = members.Where(m => m.Traits.Origin == Origin.Other).Select(m => m.X).ToList();
            var room = maxOther - fixedMembers.Count(t => t.Origin == Origin.Other);
            if (others.Count > room)
            {
                model.Add(LinearExpr.Sum(others) <= Math.Max(0, room));
            }
        }

        if (spec.MaxPerCountry is { } perCountry)
        {
            foreach (var nationality in members.GroupBy(m => m.Traits.Nationality, StringComparer.Ordinal))
            {
                var room = perCountry - fixedMembers.Count(t => t.Nationality == nationality.Key);
                if (nationality.Count() > room)
                {
                    model.Add(LinearExpr.Sum(nationality.Select(m => m.X)) <= Math.Max(0, room));
                }
            }
        }
    }

    /// <summary>The sets of activities that share a day: for each activity, those running on its first day (kept when they hold two or more).</summary>
    private static List<int[]> OverlapCliques(PlanProblem problem, IReadOnlyList<int> activities)
    {
        var cliques = new List<int[]>();
        foreach (var a in activities)
        {
            var day = problem.Activities[a].Activity.Days.From;
            var clique = activities.Where(b => problem.Activities[b].Activity.Days.From <= day && day <= problem.Activities[b].Activity.Days.To).Order().ToArray();
            if (clique.Length > 1 && !cliques.Any(c => c.SequenceEqual(clique)))
            {
                cliques.Add(clique);
            }
        }

        return cliques;
    }
}
