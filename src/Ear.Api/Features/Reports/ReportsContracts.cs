using Ear.Api.Features.Actions;
using Ear.Api.Features.Experts;
using Ear.Api.Platform.OpenApi;

namespace Ear.Api.Features.Reports;

/// <summary>How the pool changed over the period.</summary>
/// <param name="Absolute">poolSize at `to` minus the pool the day before `from`.</param>
/// <param name="Percentage">That as a percentage of the pool the day before `from`, to two decimals; null when that pool was empty.</param>
internal sealed record Growth(long Absolute, double? Percentage);

/// <summary>
/// The consolidated statistics for a period (both ends included). The pool at a date D: experts created
/// on or before D, with consent recorded on or before D, active, and not erased on or before D. A
/// deployment belongs to the period its first day falls in, with the expert's attributes at booking;
/// cancelled ones never count. Erased experts count through their anonymised rows. Breakdowns list only
/// the keys that occur, sorted by key.
/// </summary>
/// <param name="From">The first day of the period.</param>
/// <param name="To">The last day of the period.</param>
/// <param name="PoolSize">Experts in the pool at `to`.</param>
/// <param name="PoolGrowth">poolSize at `to` minus the pool the day before `from`, absolute and as a percentage.</param>
/// <param name="NewExperts">Experts created from `from` to `to`.</param>
/// <param name="Deployments">Deployments (not cancelled) whose first day is in the period.</param>
/// <param name="ExpertsDeployed">The distinct experts of those deployments, whom the shares and the deployed breakdowns count, each once, as they were at their latest deployment in the period (so the breakdowns add up to it).</param>
/// <param name="WomenShareAmongDeployed">Share (0 to 1, four decimals) of expertsDeployed whose gender was female; null when nobody was deployed.</param>
/// <param name="CivilServantShareAmongDeployed">Share (0 to 1, four decimals) of expertsDeployed who were EU or South civil servants; null when nobody was deployed.</param>
/// <param name="DeployedByOrigin">expertsDeployed by origin (eu, south, other).</param>
/// <param name="DeployedByKind">expertsDeployed by kind.</param>
/// <param name="PoolByMemberState">The pool at `to` by nominating member state (experts without one are left out).</param>
/// <param name="DeployedByMemberState">expertsDeployed by nominating member state (experts without one are left out).</param>
/// <param name="SouthDeployedByNationality">expertsDeployed who were South civil servants, by nationality.</param>
/// <param name="ActionsByStatus">Every action by its status at the end of `to`.</param>
/// <param name="ActionsActive">Actions active in the period: their period overlaps it, and they were neither rejected nor transferred.</param>
/// <param name="ActiveActionsByRegion">Active actions by MIEUX region (actions without one are left out).</param>
/// <param name="ActiveActionsByTheme">Active actions counted under each of their theme codes.</param>
/// <param name="ActiveActionsByThemeArea">Active actions counted once under each theme area (legal, irregular, development, protection, horizontal) their themes fall in.</param>
/// <param name="NewRequests">Actions requested in the period (by requestedAt, else the day they were recorded).</param>
/// <param name="ActivitiesByType">Activities whose first day is in the period, by type.</param>
/// <param name="PartnerCountries">The distinct beneficiary countries of the actions active in the period, in code order.</param>
internal sealed record SummaryReport(
    DateOnly From,
    DateOnly To,
    long PoolSize,
    Growth PoolGrowth,
    long NewExperts,
    long Deployments,
    long ExpertsDeployed,
    [property: WireFormat(Minimum = 0, Maximum = 1)] double? WomenShareAmongDeployed,
    [property: WireFormat(Minimum = 0, Maximum = 1)] double? CivilServantShareAmongDeployed,
    [property: KeysOneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Origins))] IReadOnlyDictionary<string, long> DeployedByOrigin,
    [property: KeysOneOf(typeof(ExpertVocabulary), nameof(ExpertVocabulary.Kinds))] IReadOnlyDictionary<string, long> DeployedByKind,
    IReadOnlyDictionary<string, long> PoolByMemberState,
    IReadOnlyDictionary<string, long> DeployedByMemberState,
    IReadOnlyDictionary<string, long> SouthDeployedByNationality,
    [property: KeysOneOf(typeof(ActionWorkflow), nameof(ActionWorkflow.Statuses))] IReadOnlyDictionary<string, long> ActionsByStatus,
    long ActionsActive,
    IReadOnlyDictionary<string, long> ActiveActionsByRegion,
    IReadOnlyDictionary<string, long> ActiveActionsByTheme,
    IReadOnlyDictionary<string, long> ActiveActionsByThemeArea,
    long NewRequests,
    [property: KeysOneOf(typeof(ActionValidation), nameof(ActionValidation.ActivityTypes))] IReadOnlyDictionary<string, long> ActivitiesByType,
    IReadOnlyList<string> PartnerCountries);

/// <summary>One member state's share of the work, for every state that was a member during the period.</summary>
/// <param name="MemberState">ISO 3166-1 alpha-2.</param>
/// <param name="ExpertsInPool">Experts it nominated in the pool at `to`.</param>
/// <param name="ExpertsEverDeployed">Distinct experts it nominated with a deployment (not cancelled) starting on or before `to`.</param>
/// <param name="DeploymentsInPeriod">Deployments (not cancelled) of its experts starting in the period.</param>
/// <param name="ShareOfDeployments">deploymentsInPeriod as a share (0 to 1, four decimals) of all deployments starting in the period; null when there were none.</param>
internal sealed record MemberStateReport(
    string MemberState,
    long ExpertsInPool,
    long ExpertsEverDeployed,
    long DeploymentsInPeriod,
    [property: WireFormat(Minimum = 0, Maximum = 1)] double? ShareOfDeployments);
