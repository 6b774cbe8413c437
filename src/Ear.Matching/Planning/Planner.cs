using System.Diagnostics;
using System.Globalization;
using Google.OrTools.Sat;

namespace Ear.Matching.Planning;

/// <summary>An action's scored and reduced candidate pools, copied out of the roster, ready for the solver.</summary>
public sealed class PreparedPlan
{
    internal PreparedPlan(PlanProblem problem) => Problem = problem;

    internal PlanProblem Problem { get; }
}

/// <summary>
/// Staffs a whole action at once: a team for every activity that still needs experts, nobody on two
/// activities that share a day, at most a cap of activities per expert, and the greatest sum of the
/// teams' scores plus a continuity bonus for every activity an expert staffs beyond their first.
/// <para>
/// Exactness, precisely: each activity's candidates are the experts the matching engine finds
/// eligible for its days, scored with them; <see cref="CandidatePools"/> drops only candidates that an
/// exchange argument proves an optimal plan never needs. When the result is <c>Optimal</c>, CP-SAT
/// proved that no plan over the kept candidates staffs more activities, or as many with a greater value,
/// with scores rounded to millionths; by the exchange argument, neither does any plan over every
/// eligible expert. When the time limit stops the search first, the best plan found comes back with
/// CP-SAT's proven bound on the value, widened by the rounding.
/// </para>
/// </summary>
public static class Planner
{
    public const int MaxTimeLimitSeconds = 30;

    /// <summary>Prepares and solves in one go (tests and tools; the service prepares under its roster lock and solves outside it).</summary>
    public static PlanResult Plan(Roster roster, PlanCriteria criteria, Taxonomy taxonomy) =>
        Solve(Prepare(roster, criteria, taxonomy), CancellationToken.None);

    /// <summary>Scores and reduces every activity's candidates: reads the roster, which must not change meanwhile.</summary>
    public static PreparedPlan Prepare(Roster roster, PlanCriteria criteria, Taxonomy taxonomy) =>
        new(CandidatePools.Prepare(roster, criteria, taxonomy));

    /// <summary>
    /// CP-SAT's search threads, and what each runs: the LP-based workers that raise the bound. Measured on
    /// a two-core machine at 100,000 experts (8 activities, 24 places): its default portfolio proved the
    /// plan optimal within 2 s with 8 workers but never with 2 to 4, while these four did in about 0.7 s.
    /// More than four workers is avoided: OR-Tools 9.15 has reports of segmentation faults with more
    /// (google/or-tools#5025, #5292), and a crash here takes the whole service down.
    /// </summary>
    public const int Workers = 4;

    private const string Subsolvers = "subsolvers:\"default_lp\" subsolvers:\"max_lp\" subsolvers:\"reduced_costs\" subsolvers:\"objective_lb_search\"";

    /// <summary>Searches for the best plan within the time limit; cancelling stops the search with the best plan found so far.</summary>
    public static PlanResult Solve(PreparedPlan prepared, CancellationToken cancellationToken) =>
        Solve(prepared.Problem, Parameters(prepared.Problem.TimeLimit, Workers), cancellationToken);

    internal static string Parameters(TimeSpan timeLimit, int workers) => string.Create(CultureInfo.InvariantCulture,
        $"max_time_in_seconds:{timeLimit.TotalSeconds:0.###} num_workers:{workers} random_seed:1 {Subsolvers}");

    /// <summary>The search with CP-SAT parameters of one's own (the tests use a deterministic time limit).</summary>
    internal static PlanResult Solve(PlanProblem problem, string parameters, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var plannable = Enumerable.Range(0, problem.Activities.Count)
            .Where(a => problem.Activities[a].Needed > 0 && problem.Activities[a].Unmet.Count == 0).ToList();
        if (plannable.Count == 0)
        {
            return new PlanResult(problem.Activities.Select(a => Outcome(a, [], a.Unmet)).ToList(), [], 0, 0, Optimal: true, "optimal",
                new PlanModelSize(0, 0, 0), Stopwatch.GetElapsedTime(started));
        }

        var plan = PlanModel.Build(problem, plannable, everyOneStaffed: false);
        var greedy = GreedyPlan.Build(problem, plannable);
        plan.Hint(greedy);
        using var solver = new CpSolver { StringParameters = parameters };
        using var stop = cancellationToken.Register(solver.StopSearch);
        var status = solver.Solve(plan.Model);
        var size = new PlanModelSize(plan.Assigned.Keys.Select(k => k.Expert).Distinct().Count(), plan.Assigned.Count, plan.Model.Model.Constraints.Count);
        var found = status is CpSolverStatus.Optimal or CpSolverStatus.Feasible;
        var optimal = status == CpSolverStatus.Optimal;

        // Should the search end before finding a plan of its own, the greedy plan it was given stands.
        var teams = !found ? greedy.ToDictionary(t => t.Key, t => t.Value.Select(m => new PlannedMember(problem.Experts[m.Expert].Id, m.Score)).ToList())
            : plannable.Where(a => solver.BooleanValue(plan.Staffed[a])).ToDictionary(a => a, a => problem.Activities[a].Kept
                .Where(k => solver.BooleanValue(plan.Assigned[(a, k.Expert)]))
                .Select(k => new PlannedMember(problem.Experts[k.Expert].Id, k.Score)).ToList());

        // Naming why an activity is unstaffed costs a solve each: all of them share one more time limit, so
        // a plan never takes much longer than twice what the request allowed.
        var explainUntil = Stopwatch.GetTimestamp() + (long)(problem.TimeLimit.TotalSeconds * Stopwatch.Frequency);
        var outcomes = new List<ActivityOutcome>();
        for (var a = 0; a < problem.Activities.Count; a++)
        {
            var activity = problem.Activities[a];
            outcomes.Add(teams.TryGetValue(a, out var team) ? Outcome(activity, team, [])
                : Outcome(activity, [], activity.Unmet.Count > 0 || activity.Needed == 0 ? activity.Unmet : [WhyUnstaffed(problem, a, optimal, explainUntil)]));
        }

        var continuity = Continuity(problem, outcomes);
        var value = outcomes.Sum(o => o.TeamScore) + continuity.Sum(c => c.Bonus);
        return new PlanResult(outcomes, continuity, value, found ? Bound(problem, plan, solver, teams.Count, optimal, value) : null, optimal,
            status.ToString().ToLowerInvariant(), size, Stopwatch.GetElapsedTime(started));
    }

    private static ActivityOutcome Outcome(ActivityProblem activity, List<PlannedMember> team, IReadOnlyList<string> unmet) =>
        new(activity.Activity.Id, activity.Needed, activity.Needed == 0 || team.Count > 0, team, team.Sum(m => m.Score), unmet, activity.Eligible, activity.Kept.Count);

    /// <summary>
    /// The most any plan staffing as many activities could be worth: CP-SAT's bound less the staffing
    /// weight, back in points, widened by the rounding of each place's score and continuity bonus (half a
    /// unit each, at most one of each per place). Unknown (null) when the
    /// bound still allows more activities to be staffed.
    /// </summary>
    private static double? Bound(PlanProblem problem, PlanModel plan, CpSolver solver, int staffedCount, bool optimal, double value)
    {
        if (optimal)
        {
            return value;
        }

        var bound = solver.BestObjectiveBound - (double)plan.StaffingWeight * staffedCount;
        return !double.IsFinite(bound) || bound >= plan.StaffingWeight ? null : Math.Max(value, bound / CandidatePools.UnitsPerPoint + problem.Places * 1.0 / CandidatePools.UnitsPerPoint);
    }

    /// <summary>The bonus each expert on more than one activity of the action earns (deployments already made count as activities staffed).</summary>
    private static List<ContinuityAward> Continuity(PlanProblem problem, List<ActivityOutcome> outcomes)
    {
        var already = problem.Experts.ToDictionary(e => e.Id, e => e.AlreadyDeployed);
        return outcomes.SelectMany(o => o.Members.Select(m => (m.ExpertId, o.ActivityId)))
            .GroupBy(p => p.ExpertId)
            .Select(g => (Expert: g.Key, Activities: g.Select(p => p.ActivityId).ToList(), Already: already[g.Key]))
            .Where(e => e.Activities.Count + e.Already > 1)
            .Select(e => new ContinuityAward(e.Expert, e.Activities, e.Already,
                problem.ContinuityBonus * (e.Already > 0 ? e.Activities.Count : e.Activities.Count - 1)))
            .OrderBy(c => c.ExpertId)
            .ToList();
    }

    /// <summary>Why an activity whose constraints each can be met is not staffed: they cannot all be met at once, or other activities took its candidates.</summary>
    private static string WhyUnstaffed(PlanProblem problem, int activity, bool optimal, long until)
    {
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
        if (left <= TimeSpan.Zero)
        {
            return "no plan staffing it was found within the time limit";
        }

        var alone = PlanModel.Build(problem, [activity], everyOneStaffed: true);
        using var solver = new CpSolver { StringParameters = Parameters(TimeSpan.FromSeconds(Math.Min(1, left.TotalSeconds)), 1) };
        return solver.Solve(alone.Model) switch
        {
            CpSolverStatus.Infeasible => "the constraints together: each alone can be met, not all at once",
            CpSolverStatus.Optimal or CpSolverStatus.Feasible when optimal =>
                $"its candidates are needed elsewhere: staffing it would leave another activity unstaffed (nobody is booked on overlapping activities, nor on more than {problem.Cap} activities of the action)",
            _ => "no plan staffing it was found within the time limit",
        };
    }
}
