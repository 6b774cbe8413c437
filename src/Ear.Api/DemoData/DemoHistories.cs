using System.Security.Cryptography;
using System.Text;
using Ear.Api.Features.ReferenceData;
using Npgsql;
using NpgsqlTypes;

namespace Ear.Api.DemoData;

/// <summary>
/// Deployment histories for a generated roster (benchmarks): one completed action per 25 experts
/// (2016-2025), three activities each, and for about a third of the experts one to three deployments,
/// each in its own three-year window so that none overlap; most deployments are evaluated.
/// Written with binary COPY; the same roster, size and seed give the same histories.
/// </summary>
internal static class DemoHistories
{
    private static readonly string[] Windows = ["2016-2018", "2019-2021", "2022-2025"];
    private static readonly string[] English = ["en"];

    public static async Task<int> WriteAsync(NpgsqlConnection connection, IEnumerable<DemoExpert> roster, int experts, int seed, ReferenceSnapshot reference, CancellationToken cancellationToken)
    {
        var random = new Random(seed * 31 + 7);
        var countries = reference.Regions.SelectMany(r => r.Countries.Select(c => (Region: r.Code, Country: c))).ToArray();
        var themes = reference.ThemeCodes.Where(c => c.Contains('.', StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        var actionCount = Math.Max(30, experts / 25);
        var activities = new List<(Guid Id, int Window, DateOnly From, DateOnly To)>();

        // One COPY at a time per connection: each table's rows are gathered, then copied after its parent's.
        var activityRows = new List<(Guid Id, Guid ActionId, DateOnly From, string Country, DateTimeOffset At)>();
        await using (var actions = await connection.BeginBinaryImportAsync("""
            COPY actions (id, code, title, beneficiary_countries, region, themes, working_languages, requested_at, period, status, created_at, updated_at, version)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken))
        {
            for (var a = 0; a < actionCount; a++)
            {
                var id = Id(seed, $"action/{a}");
                var (region, country) = countries[random.Next(countries.Length)];
                var year = 2016 + a % 10;
                var from = new DateOnly(year, 1, 1).AddDays(random.Next(0, 280));
                var at = new DateTimeOffset(from.AddMonths(-3).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                await actions.StartRowAsync(cancellationToken);
                await actions.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
                await actions.WriteAsync($"SEED{seed}-{a:D7}", NpgsqlDbType.Text, cancellationToken);
                await actions.WriteAsync($"Generated action {a}", NpgsqlDbType.Text, cancellationToken);
                await actions.WriteAsync(new[] { country }, NpgsqlDbType.Array | NpgsqlDbType.Char, cancellationToken);
                await actions.WriteAsync(region, NpgsqlDbType.Text, cancellationToken);
                await actions.WriteAsync(Enumerable.Range(0, random.Next(1, 4)).Select(_ => themes[random.Next(themes.Length)]).Distinct().ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await actions.WriteAsync(English, NpgsqlDbType.Array | NpgsqlDbType.Char, cancellationToken);
                await actions.WriteAsync(from.AddMonths(-3), NpgsqlDbType.Date, cancellationToken);
                await actions.WriteAsync(new NpgsqlRange<DateOnly>(from, true, from.AddDays(75), true), NpgsqlDbType.DateRange, cancellationToken);
                await actions.WriteAsync("completed", NpgsqlDbType.Text, cancellationToken);
                await actions.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
                await actions.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
                await actions.WriteAsync(1, NpgsqlDbType.Integer, cancellationToken);
                for (var k = 0; k < 3; k++)
                {
                    var activityFrom = from.AddDays(k * 25);
                    var activityId = Id(seed, $"action/{a}/activity/{k}");
                    activities.Add((activityId, year <= 2018 ? 0 : year <= 2021 ? 1 : 2, activityFrom, activityFrom.AddDays(2)));
                    activityRows.Add((activityId, id, activityFrom, country, at));
                }
            }

            await actions.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY activities (id, action_id, type, title, period, country, remote, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var (id, actionId, from, country, at) in activityRows)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(actionId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync("workshop", NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync("Generated workshop", NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(new NpgsqlRange<DateOnly>(from, true, from.AddDays(2), true), NpgsqlDbType.DateRange, cancellationToken);
                await copy.WriteAsync(country, NpgsqlDbType.Char, cancellationToken);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        var byWindow = Enumerable.Range(0, Windows.Length).Select(w => activities.Where(a => a.Window == w).ToArray()).ToArray();
        var evaluationRows = new List<(Guid DeploymentId, short Rating, string Recommendation, DateTimeOffset At)>();
        var deployed = 0;
        await using (var deployments = await connection.BeginBinaryImportAsync(
            "COPY deployments (id, activity_id, expert_id, role, period, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var expert in roster)
            {
                if (random.NextDouble() >= 0.35)
                {
                    continue;
                }

                var windows = Enumerable.Range(0, Windows.Length).OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
                foreach (var window in windows)
                {
                    var activity = byWindow[window][random.Next(byWindow[window].Length)];
                    var deploymentId = Id(seed, $"deployment/{expert.Id}/{window}");
                    var at = new DateTimeOffset(activity.From.AddDays(-30).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                    await deployments.WriteRowAsync(cancellationToken, deploymentId, activity.Id, expert.Id, "expert",
                        new NpgsqlRange<DateOnly>(activity.From, true, activity.To, true), at);
                    deployed++;
                    if (random.NextDouble() < 0.7)
                    {
                        var draw = random.NextDouble();
                        evaluationRows.Add((deploymentId, (short)random.Next(2, 6),
                            draw < 0.02 ? "do_not_redeploy" : draw < 0.05 ? "redeploy_other_area" : "redeploy",
                            new DateTimeOffset(activity.To.AddDays(14).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
                    }
                }
            }

            await deployments.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY evaluations (deployment_id, rating, recommendation, evaluated_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var (deploymentId, rating, recommendation, at) in evaluationRows)
            {
                await copy.WriteRowAsync(cancellationToken, deploymentId, rating, recommendation, at);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        return deployed;
    }

    private static Guid Id(int seed, string name) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"ear-seed-{seed}/{name}")).AsSpan(0, 16));
}
