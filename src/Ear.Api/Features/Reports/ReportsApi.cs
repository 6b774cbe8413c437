using System.Globalization;
using System.Text;
using Ear.Api.Auth;
using Ear.Api.Features.Experts;
using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;
using Ear.Api.Platform.Http;
using Ear.Api.Platform.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Ear.Api.Features.Reports;

/// <summary>The period a report covers.</summary>
internal sealed record ReportPeriod
{
    /// <summary>YYYY-MM-DD, inclusive; default 1 January of the current year.</summary>
    [FromQuery(Name = "from"), WireFormat(Format = "date")] public string? From { get; init; }

    /// <summary>YYYY-MM-DD, inclusive, not before from; default 31 December of the current year.</summary>
    [FromQuery(Name = "to"), WireFormat(Format = "date")] public string? To { get; init; }
}

internal static class ReportsApi
{
    private const string SummaryCsvDescription =
        "figure,key,value rows: one per figure, one per breakdown entry (a partner country as partnerCountries,<code>,1).";

    private const string MemberStatesCsvDescription =
        "memberState,expertsInPool,expertsEverDeployed,deploymentsInPeriod,shareOfDeployments rows, one per member state.";

    public static void MapReports(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/v1/reports").WithTags("Reports").RequireAuthorization(Policies.AdminOrReader)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        reports.MapGet("/summary", SummaryAsync).WithName("GetSummaryReport")
            .WithSummary("Pool size and growth, deployments and who was deployed, actions by status, region and theme, activities, partner countries. Accept: text/csv for CSV. See the SummaryReport schema for each figure's definition.")
            .WithDescription("Admins and readers, for from..to (both included; default: this year). With Accept: text/csv the same figures " +
                "as figure,key,value rows: one per figure, one per breakdown entry (as GET /api/v1/reports/summary.csv answers).")
            .Produces<SummaryReport>(StatusCodes.Status200OK, "application/json")
            .ProducesCsv(SummaryCsvDescription);
        reports.MapGet("/summary.csv", SummaryCsvAsync).WithName("GetSummaryReportCsv")
            .WithSummary("The summary report as CSV: figure,key,value rows.")
            .WithDescription("Admins and readers, for from..to (both included; default: this year): the figures of GET /api/v1/reports/summary, " +
                "for clients that cannot choose what they accept.")
            .ProducesCsvOnly(SummaryCsvDescription);
        reports.MapGet("/member-states", MemberStatesAsync).WithName("GetMemberStateReport")
            .WithSummary("Per member state: experts in the pool, experts ever deployed, deployments in the period and their share. Accept: text/csv for CSV.")
            .WithDescription("Admins and readers, for from..to (both included; default: this year): one row for every state that was an EU member during the period. " +
                "See the MemberStateReport schema for each figure's definition.")
            .Produces<IReadOnlyList<MemberStateReport>>(StatusCodes.Status200OK, "application/json")
            .ProducesCsv(MemberStatesCsvDescription);
        reports.MapGet("/member-states.csv", MemberStatesCsvAsync).WithName("GetMemberStateReportCsv")
            .WithSummary("The member-state report as CSV: one row per member state.")
            .WithDescription("Admins and readers, for from..to (both included; default: this year): the rows of GET /api/v1/reports/member-states, " +
                "for clients that cannot choose what they accept.")
            .ProducesCsvOnly(MemberStatesCsvDescription);
    }

    private static async Task<Results<Ok<SummaryReport>, ContentHttpResult, ValidationProblem>> SummaryAsync(
        [AsParameters] ReportPeriod query, HttpContext context, Db db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (await BuildSummaryAsync(query, db, clock, errors, cancellationToken) is not { } report)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return Paging.WantsCsv(context.Request) ? Csv(SummaryCsv(report)) : TypedResults.Ok(report);
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem>> SummaryCsvAsync(
        [AsParameters] ReportPeriod query, Db db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        return await BuildSummaryAsync(query, db, clock, errors, cancellationToken) is { } report
            ? Csv(SummaryCsv(report))
            : TypedResults.ValidationProblem(errors.ToDictionary());
    }

    private static async Task<Results<Ok<IReadOnlyList<MemberStateReport>>, ContentHttpResult, ValidationProblem>> MemberStatesAsync(
        [AsParameters] ReportPeriod query, HttpContext context, Db db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (await BuildMemberStatesAsync(query, db, clock, errors, cancellationToken) is not { } report)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return Paging.WantsCsv(context.Request) ? Csv(MemberStatesCsv(report)) : TypedResults.Ok(report);
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem>> MemberStatesCsvAsync(
        [AsParameters] ReportPeriod query, Db db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        return await BuildMemberStatesAsync(query, db, clock, errors, cancellationToken) is { } report
            ? Csv(MemberStatesCsv(report))
            : TypedResults.ValidationProblem(errors.ToDictionary());
    }

    /// <summary>The summary of the period the query names, or null when the query is wrong (the errors say why).</summary>
    private static async Task<SummaryReport?> BuildSummaryAsync(
        ReportPeriod query, Db db, TimeProvider clock, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var (from, to) = Period(query, clock, errors);
        if (errors.Any)
        {
            return null;
        }

        var row = await db.ReadPreferringStandbyAsync((connection, token) => ReportsQueries.SummaryAsync(connection, from, to, token), cancellationToken);
        var deployed = row.Deployed;
        long Sum(Func<ReportsQueries.DeployedGroup, bool> which) => deployed.Where(which).Sum(g => g.Experts);
        return new SummaryReport(
            from,
            to,
            row.PoolSize,
            new Growth(row.PoolSize - row.PoolBefore, row.PoolBefore == 0 ? null : Math.Round(100.0 * (row.PoolSize - row.PoolBefore) / row.PoolBefore, 2)),
            row.NewExperts,
            row.Deployments,
            row.ExpertsDeployed,
            Share(Sum(g => g.Gender == "female"), row.ExpertsDeployed),
            Share(Sum(g => g.Kind is "eu_civil_servant" or "south_civil_servant"), row.ExpertsDeployed),
            Group(deployed.GroupBy(g => ExpertVocabulary.OriginOf(g.Kind))),
            Group(deployed.GroupBy(g => g.Kind)),
            Sorted(row.PoolByMemberState),
            Group(deployed.Where(g => g.MemberState is not null).GroupBy(g => g.MemberState!.Trim())),
            Group(deployed.Where(g => g.Kind == "south_civil_servant").GroupBy(g => g.Nationality.Trim())),
            Sorted(row.ActionsByStatus),
            row.ActiveActions.Count,
            Sorted(row.ActiveActions.ByRegion),
            Sorted(row.ActiveActions.ByTheme),
            Sorted(row.ActiveActions.ByThemeArea),
            row.NewRequests,
            Sorted(row.ActivitiesByType),
            row.ActiveActions.PartnerCountries.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The member-state rows of the period the query names, or null when the query is wrong (the errors say why).</summary>
    private static async Task<IReadOnlyList<MemberStateReport>?> BuildMemberStatesAsync(
        ReportPeriod query, Db db, TimeProvider clock, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var (from, to) = Period(query, clock, errors);
        if (errors.Any)
        {
            return null;
        }

        var rows = await db.ReadPreferringStandbyAsync((connection, token) => ReportsQueries.MemberStatesAsync(connection, from, to, token), cancellationToken);
        return rows.Select(r => new MemberStateReport(r.MemberState.Trim(), r.ExpertsInPool, r.ExpertsEverDeployed,
            r.DeploymentsInPeriod, Share(r.DeploymentsInPeriod, r.AllDeploymentsInPeriod))).ToList();
    }

    private static ContentHttpResult Csv(string csv) => TypedResults.Text(csv, "text/csv; charset=utf-8", Encoding.UTF8);

    private static string MemberStatesCsv(IReadOnlyList<MemberStateReport> report)
    {
        var csv = new StringBuilder("memberState,expertsInPool,expertsEverDeployed,deploymentsInPeriod,shareOfDeployments\n");
        foreach (var r in report)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.MemberState},{r.ExpertsInPool},{r.ExpertsEverDeployed},{r.DeploymentsInPeriod},{r.ShareOfDeployments}\n");
        }

        return csv.ToString();
    }

    /// <summary>The summary as figure,key,value rows: one row per figure, one per breakdown entry.</summary>
    private static string SummaryCsv(SummaryReport r)
    {
        var csv = new StringBuilder("figure,key,value\n");
        void Row(string figure, string key, object? value) =>
            csv.Append(CultureInfo.InvariantCulture, $"{figure},{key},{Convert.ToString(value, CultureInfo.InvariantCulture)}\n");
        void Rows(string figure, IReadOnlyDictionary<string, long> values)
        {
            foreach (var (key, value) in values)
            {
                Row(figure, key, value);
            }
        }

        Row("from", "", r.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Row("to", "", r.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Row("poolSize", "", r.PoolSize);
        Row("poolGrowth", "absolute", r.PoolGrowth.Absolute);
        Row("poolGrowth", "percentage", r.PoolGrowth.Percentage);
        Row("newExperts", "", r.NewExperts);
        Row("deployments", "", r.Deployments);
        Row("expertsDeployed", "", r.ExpertsDeployed);
        Row("womenShareAmongDeployed", "", r.WomenShareAmongDeployed);
        Row("civilServantShareAmongDeployed", "", r.CivilServantShareAmongDeployed);
        Rows("deployedByOrigin", r.DeployedByOrigin);
        Rows("deployedByKind", r.DeployedByKind);
        Rows("poolByMemberState", r.PoolByMemberState);
        Rows("deployedByMemberState", r.DeployedByMemberState);
        Rows("southDeployedByNationality", r.SouthDeployedByNationality);
        Rows("actionsByStatus", r.ActionsByStatus);
        Row("actionsActive", "", r.ActionsActive);
        Rows("activeActionsByRegion", r.ActiveActionsByRegion);
        Rows("activeActionsByTheme", r.ActiveActionsByTheme);
        Rows("activeActionsByThemeArea", r.ActiveActionsByThemeArea);
        Row("newRequests", "", r.NewRequests);
        Rows("activitiesByType", r.ActivitiesByType);
        foreach (var country in r.PartnerCountries)
        {
            Row("partnerCountries", country, 1);
        }

        return csv.ToString();
    }

    private static (DateOnly From, DateOnly To) Period(ReportPeriod query, TimeProvider clock, ValidationErrors errors)
    {
        var year = clock.GetUtcNow().Year;
        var from = errors.Date("from", query.From) ?? new DateOnly(year, 1, 1);
        var to = errors.Date("to", query.To) ?? new DateOnly(year, 12, 31);
        if (to < from)
        {
            errors.Add("to", "Before from.");
        }

        return (from, to);
    }

    private static double? Share(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    private static SortedDictionary<string, long> Group(IEnumerable<IGrouping<string, ReportsQueries.DeployedGroup>> groups) =>
        new(groups.ToDictionary(g => g.Key, g => g.Sum(x => x.Experts)), StringComparer.Ordinal);

    private static SortedDictionary<string, long> Sorted(IReadOnlyDictionary<string, long> values) => new(values.ToDictionary(v => v.Key, v => v.Value), StringComparer.Ordinal);
}
