using System.Diagnostics;
using Npgsql;

namespace Ear.Benchmarks;

/// <summary>
/// The ranking a data analyst would write: one SQL query over the same tables, with the same hard
/// rules and the same components (theme fit, language, region, track record, South-South, rotation),
/// returning the best 20. No team is proposed, so it does less than the service.
/// </summary>
internal static class SqlBaseline
{
    private const string Sql = """
        WITH recent AS (
            SELECT e.member_state, count(*)::float8 AS n
            FROM deployments d JOIN experts e ON e.id = d.expert_id
            WHERE d.cancelled_at IS NULL AND lower(d.period) >= @from - 730 AND lower(d.period) < @from
            GROUP BY e.member_state
        ), total AS (SELECT coalesce(sum(n), 0) AS n FROM recent)
        SELECT e.id,
            0.35 * coalesce((SELECT max(t.level) / 3.0 FROM expert_themes t
                             WHERE t.expert_id = e.id AND EXISTS (SELECT 1 FROM unnest(@themes::text[]) p WHERE t.theme_code = p OR t.theme_code LIKE p || '.%')), 0)
          + 0.15 * coalesce((SELECT CASE WHEN l.level_rank >= @minRank THEN 0.75 + 0.25 * (l.level_rank - @minRank) / greatest(1, 7 - @minRank)
                                         ELSE 0.5 * l.level_rank / @minRank END
                             FROM expert_languages l WHERE l.expert_id = e.id AND l.language_code = @language), 0)
          + 0.15 * CASE WHEN EXISTS (SELECT 1 FROM deployments d JOIN activities ac ON ac.id = d.activity_id JOIN actions a ON a.id = ac.action_id
                                     WHERE d.expert_id = e.id AND d.cancelled_at IS NULL AND upper(d.period) <= @from AND a.beneficiary_countries && @countries::char(2)[]) THEN 1
                        WHEN e.countries_of_experience && @countries::char(2)[] THEN 0.7
                        WHEN e.countries_of_experience && @region::char(2)[] THEN 0.4 ELSE 0 END
          + 0.15 * (0.5 * least(1, (SELECT count(*) FROM deployments d JOIN activities ac ON ac.id = d.activity_id JOIN actions a ON a.id = ac.action_id
                                    WHERE d.expert_id = e.id AND d.cancelled_at IS NULL AND upper(d.period) <= @from
                                      AND EXISTS (SELECT 1 FROM unnest(a.themes) th, unnest(@themes::text[]) p WHERE th = p OR th LIKE p || '.%')) / 3.0)
                    + 0.5 * coalesce((SELECT (avg(ev.rating) - 1) / 4.0 FROM deployments d JOIN evaluations ev ON ev.deployment_id = d.id
                                      WHERE d.expert_id = e.id AND d.cancelled_at IS NULL AND upper(d.period) <= @from), 0.5))
          + 0.05 * CASE WHEN e.kind = 'south_civil_servant' AND e.nationality = ANY(@region::char(2)[]) THEN 1
                        WHEN e.kind = 'south_civil_servant' THEN 0.25 ELSE 0 END
          + 0.15 * (0.7 / (1 + (SELECT count(*) FROM deployments d WHERE d.expert_id = e.id AND d.cancelled_at IS NULL
                                AND lower(d.period) >= @from - 730 AND lower(d.period) < @from))
                    + 0.3 * (1 - least(1, 3 * coalesce((SELECT r.n FROM recent r WHERE r.member_state = e.member_state), 0) / greatest(1, (SELECT n FROM total)))))
            AS score
        FROM experts e
        WHERE e.erased_at IS NULL AND e.status = 'active' AND e.consent_recorded_at IS NOT NULL
          AND (NOT @required OR e.language_skills @> ARRAY[@language || ':' || @minRank])
          AND e.nationality <> ALL(@countries::char(2)[])
          AND NOT EXISTS (SELECT 1 FROM expert_unavailability u WHERE u.expert_id = e.id AND u.period && daterange(@from, @to, '[]'))
          AND NOT EXISTS (SELECT 1 FROM deployments d WHERE d.expert_id = e.id AND d.cancelled_at IS NULL AND d.period && daterange(@from, @to, '[]'))
          AND NOT EXISTS (SELECT 1 FROM deployments d JOIN evaluations ev ON ev.deployment_id = d.id
                          WHERE d.expert_id = e.id AND ev.recommendation = 'do_not_redeploy')
        ORDER BY score DESC, e.id
        LIMIT 20
        """;

    public static async Task<Latency.Summary> MeasureAsync(string connectionString, MatchingScenarios.Scenario scenario, DateOnly from, DateOnly to, int requests)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        async Task RunOnceAsync()
        {
            await using var command = dataSource.CreateCommand(Sql);
            command.CommandTimeout = 0; // at a million experts one run takes most of a minute
            command.Parameters.AddWithValue("from", from);
            command.Parameters.AddWithValue("to", to);
            command.Parameters.AddWithValue("themes", scenario.ThemePrefixes);
            command.Parameters.AddWithValue("language", scenario.Language);
            command.Parameters.AddWithValue("minRank", scenario.MinRank);
            command.Parameters.AddWithValue("required", scenario.Required);
            command.Parameters.AddWithValue("countries", scenario.Countries);
            command.Parameters.AddWithValue("region", scenario.Region);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        }

        await RunOnceAsync();
        var milliseconds = new List<double>();
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await RunOnceAsync();
            milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return Latency.Summarise(milliseconds);
    }
}
