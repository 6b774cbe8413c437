namespace Ear.Api.Features.Planning;

/// <summary>
/// A request to plan the staffing of a whole action. Every field is optional: with an empty body, every
/// activity of the action whose team is not full is planned with the default size for its type and no
/// mix constraints.
/// </summary>
internal sealed record PlanRequest
{
    /// <summary>
    /// The activities to staff, each with its team (the whole team: experts already deployed on it count).
    /// When absent, every activity whose team is not full, with the default size for its type.
    /// </summary>
    public IReadOnlyList<PlanActivityRequest>? Activities { get; init; }

    /// <summary>Added to the plan's value for each activity of the action an expert staffs beyond their first: 0 to 1, default 0.05 (scores run from 0 to 1).</summary>
    public double? ContinuityBonus { get; init; }

    /// <summary>The most activities of the action one expert may staff, deployments already made included: 1 to 12, default 3.</summary>
    public int? MaxActivitiesPerExpert { get; init; }

    /// <summary>How long the solver may search, in seconds: more than 0, at most 30, default 2. When it runs out, the best plan found is returned with optimal false.</summary>
    public double? TimeLimitSeconds { get; init; }
}

/// <summary>
/// An activity of the action to staff and the team it must have: size 1 to 6 (default by its type:
/// fact_finding_mission 2, information_session 2, workshop 2, training 3, training_of_trainers 3,
/// drafting_session 2, study_visit 2, regional_consultation 3, remote_support 1, validation_conference 2),
/// and the mix as for matching.
/// </summary>
internal sealed record PlanActivityRequest(Guid? ActivityId, int? Size, int? MinEu, int? MinSouth, int? MaxOther, int? MaxPerCountry, int? MinWomen);

/// <summary>The team an activity was planned for (the whole team, members already deployed included).</summary>
internal sealed record PlannedTeamSpec(int Size, int MinEu, int MinSouth, int? MaxOther, int? MaxPerCountry, int MinWomen);

/// <summary>An expert the plan puts on an activity; deploymentId is set once the plan is accepted.</summary>
internal sealed record PlannedExpert(
    Guid ExpertId,
    /// <summary>The expert's matching score for this activity (its days, the action's themes, countries and languages).</summary>
    double Score,
    /// <summary>eu, south or other.</summary>
    string Origin,
    string Nationality,
    string Gender,
    Guid? DeploymentId);

/// <summary>What the plan does with one activity.</summary>
internal sealed record PlannedActivity(
    Guid ActivityId,
    string Type,
    string Title,
    DateOnly From,
    DateOnly To,
    PlannedTeamSpec Team,
    /// <summary>Experts deployed on the activity when the plan was made; accepting needs the same.</summary>
    IReadOnlyList<Guid> AlreadyDeployed,
    /// <summary>How many experts the plan adds: the team size less those already deployed (0: the team is full, left as it is).</summary>
    int Needed,
    /// <summary>True when the plan fills the team (or it was full already).</summary>
    bool Staffed,
    IReadOnlyList<PlannedExpert> Members,
    /// <summary>The sum of the proposed members' scores.</summary>
    double TeamScore,
    /// <summary>Why an activity that needs experts is not staffed: each constraint no team can meet, or what stood in the way.</summary>
    IReadOnlyList<string> Unmet,
    /// <summary>Experts who pass the hard rules for the activity's days.</summary>
    int Eligible,
    /// <summary>Of those, the candidates the solver chose among (the others provably cannot be in a better plan).</summary>
    int Candidates);

/// <summary>An expert on more than one activity of the action, and the continuity bonus that earns.</summary>
internal sealed record PlannedContinuity(Guid ExpertId, IReadOnlyList<Guid> ActivityIds, int AlreadyDeployed, double Bonus);

/// <summary>The settings the plan was made with, defaults filled in.</summary>
internal sealed record PlanSettings(double ContinuityBonus, int MaxActivitiesPerExpert, double TimeLimitSeconds);

/// <summary>How the solver did.</summary>
internal sealed record PlanSolver(
    /// <summary>optimal (proved), feasible (stopped by the time limit) or unknown (stopped before finding a plan of its own: the plan is the greedy one it started from).</summary>
    string Status,
    /// <summary>Distinct experts in the model.</summary>
    int Experts,
    /// <summary>Expert-activity pairs in the model (its boolean variables x[expert, activity]).</summary>
    int Assignments,
    int Constraints,
    double Seconds);

/// <summary>
/// A plan for staffing an action. value is the sum of the teams' scores plus the continuity bonuses.
/// optimal is true when the solver proved that no plan staffs more activities, or as many with a greater
/// value (scores counted in millionths), among every eligible expert; otherwise bound is the most any
/// plan staffing as many activities could be worth (null while that is not known yet).
/// </summary>
internal sealed record ActionPlan(
    Guid Id,
    Guid ActionId,
    /// <summary>proposed or accepted.</summary>
    string Status,
    Guid? RequestedBy,
    DateTimeOffset RequestedAt,
    Guid? AcceptedBy,
    DateTimeOffset? AcceptedAt,
    PlanSettings Settings,
    IReadOnlyList<PlannedActivity> Activities,
    IReadOnlyList<PlannedContinuity> Continuity,
    double Value,
    double? Bound,
    bool Optimal,
    PlanSolver Solver);

/// <summary>A plan in an action's list.</summary>
internal sealed record ActionPlanSummary(
    Guid Id,
    /// <summary>proposed or accepted.</summary>
    string Status,
    Guid? RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? AcceptedAt,
    double Value,
    bool Optimal,
    int ActivitiesStaffed,
    int ActivitiesPlanned);
