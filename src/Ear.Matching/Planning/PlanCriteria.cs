namespace Ear.Matching.Planning;

/// <summary>
/// An activity to staff: its days, the team it must have (the whole team, members already deployed
/// included), and the experts already deployed on it (live deployments).
/// </summary>
public sealed record PlanActivity(Guid Id, DayRange Days, TeamSpec Team, IReadOnlyList<Guid> Members);

/// <summary>What a plan for a whole action is asked to do.</summary>
public sealed record PlanCriteria
{
    /// <summary>The action's themes, countries, region and languages, as matching reads them; its period is not used (each activity has its own).</summary>
    public required MatchCriteria Action { get; init; }

    public required IReadOnlyList<PlanActivity> Activities { get; init; }

    /// <summary>Added to the objective for each activity of the action an expert staffs beyond their first.</summary>
    public double ContinuityBonus { get; init; } = 0.05;

    /// <summary>The most activities of the action one expert staffs, deployments already made included.</summary>
    public int MaxActivitiesPerExpert { get; init; } = 3;

    /// <summary>Live deployments on any activity of the action, per expert: they count towards the cap and the continuity bonus.</summary>
    public IReadOnlyDictionary<Guid, int> ActionDeployments { get; init; } = new Dictionary<Guid, int>();

    /// <summary>How long the solver may search before it answers with the best plan found.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>An expert proposed for an activity, with their score for it.</summary>
public sealed record PlannedMember(Guid ExpertId, double Score);

/// <summary>
/// What the plan does with one activity. <c>Needed</c> is the team size less the experts already
/// deployed; an activity that needs nobody is left as it is. <c>Unmet</c> says why an activity that
/// needs experts is not staffed. <c>Eligible</c> counts the experts who pass the hard rules for its
/// days; <c>Kept</c> those the model chooses among (see <see cref="Planner"/>).
/// </summary>
public sealed record ActivityOutcome(
    Guid ActivityId,
    int Needed,
    bool Staffed,
    IReadOnlyList<PlannedMember> Members,
    double TeamScore,
    IReadOnlyList<string> Unmet,
    int Eligible,
    int Kept);

/// <summary>An expert who staffs more than one activity of the action, and the bonus that earns.</summary>
public sealed record ContinuityAward(Guid ExpertId, IReadOnlyList<Guid> ActivityIds, int AlreadyDeployed, double Bonus);

/// <summary>The size of the model given to the solver.</summary>
public sealed record PlanModelSize(int Experts, int Assignments, int Constraints);

/// <summary>
/// A plan: the teams, the continuity bonus they earn, and the objective (<c>Value</c>: the teams'
/// scores plus the bonus). <c>Optimal</c> is true when the solver proved that no plan staffing as many
/// activities has a greater value; otherwise <c>Bound</c> is the greatest value any such plan could
/// have (null while the bound does not yet rule out staffing more activities). <c>Status</c> is the
/// solver's: optimal, feasible (stopped by the time limit), or unknown (stopped before the solver found a
/// plan of its own: the answer is then the quick greedy plan it started from, see <see cref="GreedyPlan"/>).
/// </summary>
public sealed record PlanResult(
    IReadOnlyList<ActivityOutcome> Activities,
    IReadOnlyList<ContinuityAward> Continuity,
    double Value,
    double? Bound,
    bool Optimal,
    string Status,
    PlanModelSize Model,
    TimeSpan SolveTime);
