using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ActionBuilder;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Schema;

/// <summary>
/// The reports read the pool from pool_ledger, kept by triggers, and the deployments from the snapshot
/// each deployment keeps. After random writes (through the API, then multi-row SQL statements such as a
/// fix-up script would run) both must equal a recount from the base tables by the definitions of
/// docs/domain.md. A failing run prints its seed; EAR_LEDGER_SEED replays it.
/// </summary>
public sealed class LedgerRecountTests : ApiTest
{
    private static readonly string?[] MemberStates = ["FR", "NL", "ES", null];

    private static readonly string[] ActivityTypes = ["training", "workshop", "study_visit"];

    [Test]
    public async Task The_pool_ledger_equals_a_recount_after_random_writes()
    {
        var seed = Seed();
        var random = new Random(seed);
        var admin = AsAdmin();
        var experts = new List<Guid>();
        for (var step = 0; step < 40; step++)
        {
            var roll = random.Next(10);
            if (experts.Count < 4 || roll < 4)
            {
                experts.Add(await RandomExpert(random).Expert.CreateAsync(admin));
            }
            else if (roll < 7)
            {
                await ReplaceAsync(admin, experts[random.Next(experts.Count)], RandomExpert(random).Expert);
            }
            else if (roll < 8)
            {
                var erased = experts[random.Next(experts.Count)];
                Assert.That((int)(await admin.DeleteAsync($"/api/v1/experts/{erased}")).StatusCode, Is.EqualTo(200));
                experts.Remove(erased);
            }
            else
            {
                var upload = await admin.PostAsync($"/api/v1/experts/{experts[random.Next(experts.Count)]}/cv",
                    Documents.Upload(Documents.Pdf($"Curriculum {step}"), "cv.pdf"));
                Assert.That((int)upload.StatusCode, Is.EqualTo(201));
            }
        }

        Assert.That(await PoolMismatchesAsync(), Is.Empty, $"after the API writes (seed {seed})");

        await RunRandomStatementsAsync(random);

        Assert.That(await PoolMismatchesAsync(), Is.Empty, $"after the SQL writes (seed {seed})");
        await AssertPoolFiguresAsync(admin, random, seed);
    }

    /// <summary>
    /// The summary's pool figures, which read whole months from pool_month_ledger and the days of the edge months
    /// from pool_ledger, against sums of pool_ledger's days (checked above against the recount), over windows
    /// cutting months at both ends, one month, and many years.
    /// </summary>
    private static async Task AssertPoolFiguresAsync(HttpClient admin, Random random, int seed)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var windows = new List<(DateOnly From, DateOnly To)>
        {
            (new(2009, 1, 1), new(2027, 12, 31)), (today.AddDays(-400), today), (new(today.Year, today.Month, 1), today.AddDays(1)),
        };
        for (var i = 0; i < 8; i++)
        {
            var from = today.AddDays(-random.Next(2 * 365));
            windows.Add((from, from.AddDays(random.Next(i < 3 ? 40 : 2 * 365))));
        }

        const string sql = """
            SELECT 'poolSize', coalesce(sum(pool_delta), 0)::bigint FROM pool_ledger WHERE day <= @to
            UNION ALL
            SELECT 'growth', coalesce(sum(pool_delta) FILTER (WHERE day >= @from), 0)::bigint FROM pool_ledger WHERE day <= @to
            UNION ALL
            SELECT 'newExperts', coalesce(sum(created), 0)::bigint FROM pool_ledger WHERE day BETWEEN @from AND @to
            UNION ALL
            SELECT 'member state ' || member_state, sum(pool_delta)::bigint FROM pool_ledger
            WHERE day <= @to AND member_state <> '' GROUP BY member_state HAVING sum(pool_delta) <> 0
            """;
        await using var connection = await RosterWorld.OpenAsync();
        foreach (var (from, to) in windows)
        {
            var expected = (await connection.QueryAsync<(string Figure, long Value)>(sql, new { from, to })).ToDictionary(r => r.Figure, r => r.Value);
            var summary = await ReadJsonAsync(await admin.GetAsync($"/api/v1/reports/summary?from={Day(from)}&to={Day(to)}"));
            var reported = new Dictionary<string, long>
            {
                ["poolSize"] = summary.GetProperty("poolSize").GetInt64(),
                ["growth"] = summary.GetProperty("poolGrowth").GetProperty("absolute").GetInt64(),
                ["newExperts"] = summary.GetProperty("newExperts").GetInt64(),
            };
            foreach (var state in summary.GetProperty("poolByMemberState").EnumerateObject())
            {
                reported[$"member state {state.Name}"] = state.Value.GetInt64();
            }

            Assert.That(reported, Is.EquivalentTo(expected), $"{Day(from)} to {Day(to)} (seed {seed})");
        }
    }

    [Test]
    public async Task The_deployment_figures_equal_a_recount_after_random_writes()
    {
        var seed = Seed();
        var random = new Random(seed);
        var admin = AsAdmin();
        var experts = new List<Guid>();
        var memberStateOf = new Dictionary<Guid, string?>();
        var bookedAs = new Dictionary<Guid, string?>();
        for (var i = 0; i < 6; i++)
        {
            var (expert, memberState) = RandomExpert(random);
            var id = await expert.With("status", "active").CreateAsync(admin);
            experts.Add(id);
            memberStateOf[id] = memberState;
        }

        // An expert whose details changed is booked again too: the summary must still count them once (its
        // breakdowns add up to expertsDeployed), and the bookings made before the change keep their details.
        var action = await AnAction().During("2023-01-01", "2026-12-31").CreateApprovedAsync(admin);
        var live = new List<Guid>();
        for (var step = 0; step < 70; step++)
        {
            var roll = random.Next(10);
            if (roll < 5 || live.Count == 0)
            {
                // Bookings over four years, in random order: each may land before, between or after the
                // expert's others, which relinks them in deployment_ledger (0019).
                // The activity (up to 5 days) must end inside the action, which ends on 2026-12-31.
                var start = new DateOnly(2023, 1, 1).AddDays(random.Next(4 * 365 - 5));
                var activity = await AddActivityAsync(admin, action, Day(start), Day(start.AddDays(random.Next(5))), ActivityTypes[random.Next(ActivityTypes.Length)]);
                var expert = experts[random.Next(experts.Count)];
                var deploy = await admin.PostAsJsonAsync($"/api/v1/activities/{activity}/deployments", new { expertId = expert }, Json);
                // A clash with another deployment of the expert (409) is a write refused, which the ledgers must also survive.
                Assert.That((int)deploy.StatusCode, Is.AnyOf(201, 409), await deploy.Content.ReadAsStringAsync());
                if ((int)deploy.StatusCode == 201)
                {
                    var deployment = (await deploy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                    live.Add(deployment);
                    bookedAs[deployment] = memberStateOf[expert];
                }
            }
            else if (roll < 7)
            {
                var cancelled = live[random.Next(live.Count)];
                Assert.That((int)(await admin.PostAsJsonAsync($"/api/v1/deployments/{cancelled}/cancel", new { }, Json)).StatusCode, Is.EqualTo(200));
                live.Remove(cancelled);
            }
            else if (roll < 8)
            {
                var evaluation = new { rating = random.Next(1, 6), recommendation = "redeploy" };
                Assert.That((int)(await admin.PutAsJsonAsync($"/api/v1/deployments/{live[random.Next(live.Count)]}/evaluation", evaluation, Json)).StatusCode,
                    Is.AnyOf(200, 409), "a deployment not yet ended cannot be evaluated");
            }
            else
            {
                // The expert moves to another member state (or none): the deployments already booked keep the old one.
                var (replacement, memberState) = RandomExpert(random);
                var id = experts[random.Next(experts.Count)];
                await ReplaceAsync(admin, id, replacement.With("status", "active"));
                memberStateOf[id] = memberState;
            }
        }

        Assert.That(await BookedMemberStatesAsync(), Is.EquivalentTo(bookedAs), $"each deployment keeps the member state of its booking (seed {seed})");

        await AssertDeploymentFiguresAsync(admin, random, seed, "after API writes");
        await RunRandomDeploymentStatementsAsync(random);
        await AssertDeploymentFiguresAsync(admin, random, seed, "after SQL statements");
    }

    /// <summary>
    /// One statement booking, then cancelling, the deployments of 30,000 experts (as the benchmark's seed, a bulk
    /// import or a clean-up would): one advisory lock per expert overflowed the lock table ("out of shared
    /// memory") and lost the whole statement; past a few hundred experts the ledger is now locked whole (0025).
    /// </summary>
    [Test]
    public async Task A_statement_writing_thousands_of_experts_deployments_keeps_the_figures()
    {
        var admin = AsAdmin();
        await AnExpert().Of("eu_civil_servant", "FR", "FR").With("status", "active").CreateAsync(admin);
        var action = await AnAction().During("2023-01-01", "2026-12-31").CreateApprovedAsync(admin);
        var activity = await AddActivityAsync(admin, action, "2024-05-06", "2024-05-10", "training");
        await using (var connection = await RosterWorld.OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO experts (id, given_name, family_name, gender, nationality, kind, member_state, status,
                                     consent_recorded_at, consent_recorded_by, consent_basis, created_at, updated_at)
                SELECT gen_random_uuid(), 'Bulk', family_name, gender, nationality, kind, member_state, status,
                       consent_recorded_at, consent_recorded_by, consent_basis, created_at, now()
                FROM (SELECT * FROM experts WHERE erased_at IS NULL LIMIT 1) e, generate_series(1, 30000)
                """);
            var booked = await connection.ExecuteAsync("""
                INSERT INTO deployments (id, activity_id, expert_id, role, period, created_at)
                SELECT gen_random_uuid(), @activity, id, 'expert', daterange('2024-05-06', '2024-05-11'), now()
                FROM experts WHERE given_name = 'Bulk'
                """, new { activity });
            Assert.That(booked, Is.EqualTo(30000));
        }

        var summary = await ReadJsonAsync(await admin.GetAsync("/api/v1/reports/summary?from=2024-05-01&to=2024-05-31"));
        Assert.That(summary.GetProperty("deployments").GetInt64(), Is.EqualTo(30000));
        await AssertDeploymentFiguresAsync(admin, new Random(15), seed: 15, "after booking 30,000 experts in one statement");

        await using (var connection = await RosterWorld.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE deployments SET cancelled_at = now() WHERE get_byte(uuid_send(id), 3) < 128");
        }

        await AssertDeploymentFiguresAsync(admin, new Random(16), seed: 16, "after cancelling about half of them in one statement");
    }

    /// <summary>
    /// The report endpoints against the recount, over windows of one month, one year, many years, and
    /// windows cutting months (and deployments) at both ends, fixed and random.
    /// </summary>
    private static async Task AssertDeploymentFiguresAsync(HttpClient admin, Random random, int seed, string when)
    {
        var windows = new List<(DateOnly From, DateOnly To)>
        {
            (new(2025, 1, 1), new(2025, 12, 31)), (new(2025, 3, 1), new(2025, 6, 30)), (new(2025, 11, 1), new(2026, 2, 28)),
            (new(2024, 5, 1), new(2024, 5, 31)), (new(2023, 1, 1), new(2026, 12, 31)), (new(2009, 1, 1), new(2027, 12, 31)),
            (new(2023, 2, 14), new(2026, 9, 17)), (new(2024, 7, 10), new(2024, 7, 20)), (new(2024, 6, 15), new(2024, 8, 15)),
        };
        for (var i = 0; i < 12; i++)
        {
            var from = new DateOnly(2022, 12, 1).AddDays(random.Next(4 * 365));
            windows.Add((from, from.AddDays(random.Next(i < 4 ? 40 : 3 * 365))));
        }

        foreach (var (from, to) in windows)
        {
            var summary = await ReadJsonAsync(await admin.GetAsync($"/api/v1/reports/summary?from={Day(from)}&to={Day(to)}"));
            var memberStates = await ReadJsonAsync(await admin.GetAsync($"/api/v1/reports/member-states?from={Day(from)}&to={Day(to)}"));
            var recount = await DeploymentRecountAsync(from, to);
            var reported = new Dictionary<string, long>
            {
                ["deployments"] = summary.GetProperty("deployments").GetInt64(),
                ["expertsDeployed"] = summary.GetProperty("expertsDeployed").GetInt64(),
                ["experts deployed by kind, summed"] = summary.GetProperty("deployedByKind").EnumerateObject().Sum(kind => kind.Value.GetInt64()),
            };
            foreach (var kind in summary.GetProperty("deployedByKind").EnumerateObject().Where(k => k.Value.GetInt64() != 0))
            {
                reported[$"kind {kind.Name}"] = kind.Value.GetInt64();
            }

            foreach (var state in summary.GetProperty("deployedByMemberState").EnumerateObject().Where(k => k.Value.GetInt64() != 0))
            {
                reported[$"member state {state.Name}"] = state.Value.GetInt64();
            }

            foreach (var row in memberStates.EnumerateArray())
            {
                var state = row.GetProperty("memberState").GetString();
                reported[$"{state} deployments"] = row.GetProperty("deploymentsInPeriod").GetInt64();
                reported[$"{state} ever deployed"] = row.GetProperty("expertsEverDeployed").GetInt64();
            }

            foreach (var type in summary.GetProperty("activitiesByType").EnumerateObject())
            {
                reported[$"activities {type.Name}"] = type.Value.GetInt64();
            }

            Assert.That(reported, Is.EquivalentTo(recount), $"{Day(from)} to {Day(to)}, {when} (seed {seed})");
        }
    }

    /// <summary>
    /// Multi-row statements on deployments and activities a fix-up script might run: cancelling many at once,
    /// moving all of one expert's deployments in time, deleting cancelled ones, clearing free text (no change),
    /// retyping, copying and deleting activities.
    /// </summary>
    private static async Task RunRandomDeploymentStatementsAsync(Random random)
    {
        string[] statements =
        [
            "UPDATE deployments SET cancelled_at = now() WHERE cancelled_at IS NULL AND get_byte(uuid_send(id), @k) < 48",
            """
            UPDATE deployments SET period = daterange(lower(period) - @n, upper(period) - @n)
            WHERE expert_id = (SELECT expert_id FROM deployments ORDER BY id LIMIT 1 OFFSET @k)
            """,
            "DELETE FROM deployments WHERE cancelled_at IS NOT NULL AND get_byte(uuid_send(id), @k) < 96",
            "UPDATE deployments SET cancel_reason = NULL",
            // Activities: a type changed, copies on other days, those without deployments deleted, a title changed (no move).
            "UPDATE activities SET type = 'workshop' WHERE get_byte(uuid_send(id), @k) < 96",
            """
            INSERT INTO activities (id, action_id, type, title, period, country, remote, created_at)
            SELECT gen_random_uuid(), action_id, type, 'Copy', daterange(lower(period) + @n, upper(period) + @n), country, remote, now()
            FROM activities WHERE get_byte(uuid_send(id), @k) < 96
            """,
            "DELETE FROM activities a WHERE NOT EXISTS (SELECT 1 FROM deployments d WHERE d.activity_id = a.id) AND get_byte(uuid_send(a.id), @k) < 128",
            "UPDATE activities SET title = 'Renamed'",
        ];
        await using var connection = await RosterWorld.OpenAsync();
        for (var i = 0; i < 12; i++)
        {
            await connection.ExecuteAsync(statements[random.Next(statements.Length)], new { n = random.Next(1, 400), k = random.Next(16) });
        }
    }

    private static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("EAR_LEDGER_SEED"), CultureInfo.InvariantCulture, out var replay) ? replay : Random.Shared.Next();

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An expert of a random member state (or none), status and consent.</summary>
    private static (ExpertBuilder Expert, string? MemberState) RandomExpert(Random random)
    {
        var memberState = MemberStates[random.Next(MemberStates.Length)];
        var expert = memberState is null ? AnExpert().Of("south_civil_servant", "SN") : AnExpert().Of("eu_civil_servant", memberState, memberState);
        if (random.Next(4) == 0)
        {
            expert.Inactive();
        }

        if (random.Next(5) == 0)
        {
            return (expert.WithoutConsent(), memberState);
        }

        // Up to a year back, or later today or tomorrow (at most a day ahead is accepted).
        var recordedAt = DateTimeOffset.UtcNow.AddHours(random.Next(-365 * 24, 23));
        return (expert.With("consent", new { recordedAt = recordedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), recordedBy = "MIEUX team", basis = "Form" }),
            memberState);
    }

    private static async Task ReplaceAsync(HttpClient client, Guid id, ExpertBuilder expert)
    {
        var etag = (await client.GetAsync($"/api/v1/experts/{id}")).Headers.ETag!;
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/experts/{id}") { Content = JsonContent.Create(expert.Build(), options: Json) };
        request.Headers.IfMatch.Add(etag);
        var response = await client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    private static async Task<Dictionary<Guid, string?>> BookedMemberStatesAsync()
    {
        await using var connection = await RosterWorld.OpenAsync();
        return (await connection.QueryAsync<(Guid Id, string? MemberState)>("SELECT id, expert_member_state::text FROM deployments"))
            .ToDictionary(d => d.Id, d => d.MemberState);
    }

    /// <summary>
    /// Multi-row statements, each touching a random part of the roster and mixing rows whose pool facts
    /// change with rows where only other columns do: what the service never does and a migration or a
    /// fix-up script might. Every date moves, so the ledger gets rows on many days.
    /// </summary>
    private static async Task RunRandomStatementsAsync(Random random)
    {
        string[] statements =
        [
            "UPDATE experts SET created_at = created_at - make_interval(days => @n), cv_text = 'moved' WHERE get_byte(uuid_send(id), @k) < 128",
            "UPDATE experts SET consent_recorded_at = consent_recorded_at - make_interval(days => @n) WHERE consent_recorded_at IS NOT NULL AND get_byte(uuid_send(id), @k) < 160",
            "UPDATE experts SET status = CASE status WHEN 'active' THEN 'inactive' ELSE 'active' END, phone = '+2' WHERE erased_at IS NULL AND get_byte(uuid_send(id), @k) < 96",
            "UPDATE experts SET member_state = CASE WHEN get_byte(uuid_send(id), 0) < 128 THEN 'NL' ELSE 'ES' END WHERE kind = 'eu_civil_servant' AND get_byte(uuid_send(id), @k) < 128",
            "UPDATE experts SET erased_at = erased_at - make_interval(days => @n) WHERE erased_at IS NOT NULL",
            "UPDATE experts SET bio = 'unrelated', version = version + 1",
            """
            INSERT INTO experts (id, given_name, family_name, gender, nationality, kind, member_state, status,
                                 consent_recorded_at, consent_recorded_by, consent_basis, created_at, updated_at)
            SELECT gen_random_uuid(), 'Copy', family_name, gender, nationality, kind, member_state, status,
                   consent_recorded_at, consent_recorded_by, consent_basis, created_at - make_interval(days => @n), now()
            FROM experts WHERE erased_at IS NULL AND get_byte(uuid_send(id), @k) < 128
            """,
            "DELETE FROM experts WHERE given_name = 'Copy' AND get_byte(uuid_send(id), @k) < 128",
        ];
        await using var connection = await RosterWorld.OpenAsync();
        for (var i = 0; i < 24; i++)
        {
            await connection.ExecuteAsync(statements[random.Next(statements.Length)], new { n = random.Next(1, 400), k = random.Next(16) });
        }
    }

    /// <summary>
    /// Every day on which either side can change, and every member state: the ledger's pool (the sum of
    /// its deltas up to the day) against a count of the experts in the pool that day, and likewise for the
    /// experts created. Empty when they agree.
    /// </summary>
    private static async Task<string[]> PoolMismatchesAsync()
    {
        const string sql = """
            WITH days AS (
                SELECT day FROM pool_ledger
                UNION SELECT created_at::date FROM experts
                UNION SELECT consent_recorded_at::date FROM experts WHERE consent_recorded_at IS NOT NULL
                UNION SELECT erased_at::date FROM experts WHERE erased_at IS NOT NULL
            ), states AS (
                SELECT member_state FROM pool_ledger
                UNION SELECT coalesce(member_state::text, '') FROM experts
            ), ledger AS (
                SELECT d.day, s.member_state, coalesce(sum(l.pool_delta), 0) AS pool, coalesce(sum(l.created), 0) AS created
                FROM days d CROSS JOIN states s
                LEFT JOIN pool_ledger l ON l.member_state = s.member_state AND l.day <= d.day
                GROUP BY d.day, s.member_state
            ), recount AS (
                SELECT d.day, s.member_state,
                       count(e.id) FILTER (WHERE e.status = 'active' AND e.consent_recorded_at::date <= d.day
                                             AND (e.erased_at IS NULL OR e.erased_at::date > d.day)) AS pool,
                       count(e.id) AS created
                FROM days d CROSS JOIN states s
                LEFT JOIN experts e ON coalesce(e.member_state::text, '') = s.member_state AND e.created_at::date <= d.day
                GROUP BY d.day, s.member_state
            )
            SELECT concat(l.day, ' ', quote_literal(l.member_state), ': ledger pool ', l.pool, ' created ', l.created,
                          ', recount pool ', r.pool, ' created ', r.created)
            FROM ledger l JOIN recount r USING (day, member_state)
            WHERE l.pool <> r.pool OR l.created <> r.created
            ORDER BY l.day, l.member_state
            """;
        await using var connection = await RosterWorld.OpenAsync();
        return (await connection.QueryAsync<string>(sql)).ToArray();
    }

    /// <summary>
    /// The deployment figures by their definitions, from the deployments table: not cancelled, first day in
    /// the period; experts ever deployed per member state up to the period's end; the member state being
    /// the expert's at booking, counted for each member state of the period.
    /// </summary>
    private static async Task<Dictionary<string, long>> DeploymentRecountAsync(DateOnly from, DateOnly to)
    {
        const string sql = """
            SELECT 'deployments', count(*) FROM deployments
            WHERE cancelled_at IS NULL AND lower(period) BETWEEN @from AND @to
            UNION ALL
            SELECT 'expertsDeployed', count(DISTINCT expert_id) FROM deployments
            WHERE cancelled_at IS NULL AND lower(period) BETWEEN @from AND @to
            UNION ALL
            SELECT 'experts deployed by kind, summed', count(DISTINCT expert_id) FROM deployments
            WHERE cancelled_at IS NULL AND lower(period) BETWEEN @from AND @to
            UNION ALL
            SELECT 'kind ' || x.expert_kind, count(*)
            FROM (SELECT DISTINCT ON (expert_id) expert_kind FROM deployments
                  WHERE cancelled_at IS NULL AND lower(period) BETWEEN @from AND @to
                  ORDER BY expert_id, lower(period) DESC, id DESC) x
            GROUP BY x.expert_kind
            UNION ALL
            SELECT 'member state ' || x.expert_member_state, count(*)
            FROM (SELECT DISTINCT ON (expert_id) expert_member_state FROM deployments
                  WHERE cancelled_at IS NULL AND lower(period) BETWEEN @from AND @to
                  ORDER BY expert_id, lower(period) DESC, id DESC) x
            WHERE x.expert_member_state IS NOT NULL
            GROUP BY x.expert_member_state
            UNION ALL
            SELECT s.member_state || ' deployments', count(d.id)
            FROM (SELECT DISTINCT country_code AS member_state FROM eu_memberships WHERE period && daterange(@from, @to, '[]')) s
            LEFT JOIN deployments d ON d.expert_member_state = s.member_state AND d.cancelled_at IS NULL AND lower(d.period) BETWEEN @from AND @to
            GROUP BY s.member_state
            UNION ALL
            SELECT 'activities ' || type, count(*) FROM activities
            WHERE lower(period) BETWEEN @from AND @to
            GROUP BY type
            UNION ALL
            SELECT s.member_state || ' ever deployed', count(DISTINCT d.expert_id)
            FROM (SELECT DISTINCT country_code AS member_state FROM eu_memberships WHERE period && daterange(@from, @to, '[]')) s
            LEFT JOIN deployments d ON d.expert_member_state = s.member_state AND d.cancelled_at IS NULL AND lower(d.period) <= @to
            GROUP BY s.member_state
            """;
        await using var connection = await RosterWorld.OpenAsync();
        return (await connection.QueryAsync<(string Figure, long Value)>(sql, new { from, to })).ToDictionary(r => r.Figure, r => r.Value);
    }
}
