using Ear.Api.Platform.OpenApi;

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
    [WireFormat(Minimum = 0, Maximum = 1)] public double? ContinuityBonus { get; init; }

    /// <summary>The most activities of the action one expert may staff, deployments already made included: 1 to 12, default 3.</summary>
    [WireFormat(Minimum = 1, Maximum = 12)] public int? MaxActivitiesPerExpert { get; init; }

    /// <summary>How long the solver may search, in seconds: more than 0, at most 30, default 2. When it runs out, the best plan found is returned with optimal false.</summary>
    [WireFormat(Minimum = 0, Maximum = 30)] public double? TimeLimitSeconds { get; init; }
}

/// <summary>
/// An activity of the action to staff and the team it must have: size 1 to 6 (default by its type:
/// fact_finding_mission 2, information_session 2, workshop 2, training 3, training_of_trainers 3,
/// drafting_session 2, study_visit 2, regional_consultation 3, remote_support 1, validation_conference 2),
/// and the mix as for matching.
/// </summary>
/// <param name="ActivityId">An activity of this action.</param>
/// <param name="Size">The whole team's size, 1 to 6; default by the activity's type.</param>
/// <param name="MinEu">At least this many EU experts in the team.</param>
/// <param name="MinSouth">At least this many South experts in the team.</param>
/// <param name="MaxOther">At most this many experts who are neither EU nor South.</param>
/// <param name="MaxPerCountry">At most this many experts of one nationality.</param>
/// <param name="MinWomen">At least this many women in the team.</param>
internal sealed record PlanActivityRequest(
    [property: RequestRequired] Guid? ActivityId,
    [property: WireFormat(Minimum = 1, Maximum = 6)] int? Size,
    [property: WireFormat(Minimum = 0, Maximum = 6)] int? MinEu,
    [property: WireFormat(Minimum = 0, Maximum = 6)] int? MinSouth,
    [property: WireFormat(Minimum = 0, Maximum = 6)] int? MaxOther,
    [property: WireFormat(Minimum = 1, Maximum = 6)] int? MaxPerCountry,
    [property: WireFormat(Minimum = 0, Maximum = 6)] int? MinWomen);

/// <summary>The team an activity was planned for (the whole team, members already deployed included).</summary>
/// <param name="Size">The whole team's size.</param>
/// <param name="MinEu">At least this many EU experts.</param>
/// <param name="MinSouth">At least this many South experts.</param>
/// <param name="MaxOther">At most this many experts who are neither EU nor South; null: no limit.</param>
/// <param name="MaxPerCountry">At most this many experts of one nationality; null: no limit.</param>
/// <param name="MinWomen">At least this many women.</param>
internal sealed record PlannedTeamSpec(int Size, int MinEu, int MinSouth, int? MaxOther, int? MaxPerCountry, int MinWomen);

/// <summary>An expert the plan puts on an activity; deploymentId is set once the plan is accepted.</summary>
/// <param name="Score">The expert's matching score for this activity (its days, the action's themes, countries and languages).</param>
/// <param name="ExpertId">The expert.</param>
/// <param name="Origin">eu, south or other.</param>
/// <param name="Nationality">The expert's nationality (ISO 3166-1 alpha-2).</param>
/// <param name="Gender">The expert's gender as recorded.</param>
/// <param name="DeploymentId">The deployment booked when the plan was accepted; null before.</param>
internal sealed record PlannedExpert(
    Guid ExpertId,
    double Score,
    string Origin,
    string Nationality,
    string Gender,
    Guid? DeploymentId);

/// <summary>What the plan does with one activity.</summary>
/// <param name="ActivityId">The activity.</param>
/// <param name="Type">The activity's type.</param>
/// <param name="Title">The activity's title.</param>
/// <param name="From">The activity's first day.</param>
/// <param name="To">The activity's last day.</param>
/// <param name="Team">The team it was planned for.</param>
/// <param name="Members">The experts the plan adds.</param>
/// <param name="AlreadyDeployed">Experts deployed on the activity when the plan was made; accepting needs the same.</param>
/// <param name="Needed">How many experts the plan adds: the team size less those already deployed (0: the team is full, left as it is).</param>
/// <param name="Staffed">True when the plan fills the team (or it was full already).</param>
/// <param name="TeamScore">The sum of the proposed members' scores.</param>
/// <param name="Unmet">Why an activity that needs experts is not staffed: each constraint no team can meet, or what stood in the way.</param>
/// <param name="Eligible">Experts who pass the hard rules for the activity's days.</param>
/// <param name="Candidates">Of those, the candidates the solver chose among (the others provably cannot be in a better plan).</param>
internal sealed record PlannedActivity(
    Guid ActivityId,
    string Type,
    string Title,
    DateOnly From,
    DateOnly To,
    PlannedTeamSpec Team,
    IReadOnlyList<Guid> AlreadyDeployed,
    int Needed,
    bool Staffed,
    IReadOnlyList<PlannedExpert> Members,
    double TeamScore,
    IReadOnlyList<string> Unmet,
    int Eligible,
    int Candidates);

/// <summary>An expert on more than one activity of the action, and the continuity bonus that earns.</summary>
/// <param name="ExpertId">The expert.</param>
/// <param name="ActivityIds">The activities of the action the plan puts them on.</param>
/// <param name="AlreadyDeployed">Activities of the action they were deployed on before the plan.</param>
/// <param name="Bonus">The continuity bonus their activities beyond the first add to the plan's value.</param>
internal sealed record PlannedContinuity(Guid ExpertId, IReadOnlyList<Guid> ActivityIds, int AlreadyDeployed, double Bonus);

/// <summary>The settings the plan was made with, defaults filled in.</summary>
/// <param name="ContinuityBonus">Added for each activity an expert staffs beyond their first.</param>
/// <param name="MaxActivitiesPerExpert">The most activities of the action one expert may staff.</param>
/// <param name="TimeLimitSeconds">How long the solver could search.</param>
internal sealed record PlanSettings(double ContinuityBonus, int MaxActivitiesPerExpert, double TimeLimitSeconds);

/// <summary>How the solver did.</summary>
/// <param name="Status">optimal (proved), feasible (stopped by the time limit) or unknown (stopped before finding a plan of its own: the plan is the greedy one it started from).</param>
/// <param name="Experts">Distinct experts in the model.</param>
/// <param name="Assignments">Expert-activity pairs in the model (its boolean variables x[expert, activity]).</param>
/// <param name="Constraints">Constraints in the model.</param>
/// <param name="Seconds">How long the solver ran.</param>
internal sealed record PlanSolver(
    string Status,
    int Experts,
    int Assignments,
    int Constraints,
    double Seconds);

/// <summary>
/// A plan for staffing an action. value is the sum of the teams' scores plus the continuity bonuses.
/// optimal is true when the solver proved that no plan staffs more activities, or as many with a greater
/// value (scores counted in millionths), among every eligible expert; otherwise bound is the most any
/// plan staffing as many activities could be worth (null while that is not known yet).
/// </summary>
/// <param name="Id">The plan.</param>
/// <param name="ActionId">The action it staffs.</param>
/// <param name="Status">proposed or accepted.</param>
/// <param name="RequestedBy">The API key that asked for it.</param>
/// <param name="RequestedAt">When it was made.</param>
/// <param name="AcceptedBy">The API key that accepted it; null while proposed.</param>
/// <param name="AcceptedAt">When it was accepted; null while proposed.</param>
/// <param name="Settings">The settings it was made with.</param>
/// <param name="Activities">What it does with each activity.</param>
/// <param name="Continuity">The experts it puts on more than one activity.</param>
/// <param name="Value">The teams' scores plus the continuity bonuses.</param>
/// <param name="Bound">The most a plan staffing as many activities could be worth; null while unknown.</param>
/// <param name="Optimal">Whether the solver proved the plan optimal.</param>
/// <param name="Solver">How the solver did.</param>
internal sealed record ActionPlan(
    Guid Id,
    Guid ActionId,
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
/// <param name="Id">The plan.</param>
/// <param name="Status">proposed or accepted.</param>
/// <param name="RequestedBy">The API key that asked for it.</param>
/// <param name="RequestedAt">When it was made.</param>
/// <param name="AcceptedAt">When it was accepted; null while proposed.</param>
/// <param name="Value">The teams' scores plus the continuity bonuses.</param>
/// <param name="Optimal">Whether the solver proved the plan optimal.</param>
/// <param name="ActivitiesStaffed">Activities the plan staffs.</param>
/// <param name="ActivitiesPlanned">Activities it was asked to staff.</param>
internal sealed record ActionPlanSummary(
    Guid Id,
    string Status,
    Guid? RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? AcceptedAt,
    double Value,
    bool Optimal,
    int ActivitiesStaffed,
    int ActivitiesPlanned);
