using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Ear.Benchmarks;

/// <summary>
/// Reads by id at 8 concurrent connections, taking turns with `pgbench -S -M prepared` (one prepared
/// primary-key select per transaction) at 8 connections on the same cluster: the ratio says how much of the
/// database's own read rate the service keeps (issue #15). The service's CPU time per request is printed too,
/// a figure a busy machine moves far less than either rate.
/// </summary>
internal static partial class ReadScenarios
{
    private const int Connections = 8;
    private const int Rounds = 3;
    private const string PgbenchDatabase = "pgbench";

    public static async Task RunAsync(Uri service, int serviceProcessId, string adminKey, string databaseConnectionString, int seconds)
    {
        var ids = await SampleIdsAsync(databaseConnectionString);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = service,
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", adminKey);

        var reads = new List<(string Name, Func<int, string> Url)>
        {
            ("GET /api/v1/experts/{id}", i => $"/api/v1/experts/{ids.Experts[i % ids.Experts.Length]}"),
        };
        if (ids.Actions.Length > 0)
        {
            reads.Add(("GET /api/v1/actions/{id}", i => $"/api/v1/actions/{ids.Actions[i % ids.Actions.Length]}"));
        }

        if (ids.Deployments.Length > 0)
        {
            reads.Add(("GET /api/v1/deployments/{id}", i => $"/api/v1/deployments/{ids.Deployments[i % ids.Deployments.Length]}"));
        }

        await WaitForStartUpWorkAsync(client, serviceProcessId);
        var pgbench = PgbenchBinary();
        await InitialisePgbenchAsync(pgbench, databaseConnectionString);
        // The machine is shared: its load moves both rates from one second to the next. The service's reads and
        // pgbench therefore take turns, in rounds, and each ratio compares the reads with the pgbench runs that
        // surround them.
        var slice = Math.Max(1, seconds / Rounds);
        Console.WriteLine($"Reads by id at {Connections} connections, in {Rounds} rounds of {slice} s each, taking turns with " +
            $"pgbench -S -M prepared -c {Connections} -j 2 -T {slice} on the same cluster:");
        foreach (var (_, url) in reads)
        {
            await ConcurrentAsync(client, url, TimeSpan.FromSeconds(Math.Min(3, seconds)));
        }

        var measured = reads.ToDictionary(r => r.Name, _ => (Milliseconds: new List<double>(), Seconds: 0.0, Cpu: TimeSpan.Zero));
        var pgbenchRates = new List<double> { await PgbenchSelectOnlyAsync(pgbench, databaseConnectionString, slice) };
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var (name, url) in reads)
            {
                var cpuBefore = ProcessCpu(serviceProcessId);
                var (milliseconds, elapsed) = await ConcurrentAsync(client, url, TimeSpan.FromSeconds(slice));
                var sofar = measured[name];
                sofar.Milliseconds.AddRange(milliseconds);
                measured[name] = (sofar.Milliseconds, sofar.Seconds + elapsed, sofar.Cpu + (ProcessCpu(serviceProcessId) - cpuBefore));
            }

            pgbenchRates.Add(await PgbenchSelectOnlyAsync(pgbench, databaseConnectionString, slice));
        }

        var pgbenchTps = pgbenchRates.Average();
        foreach (var (name, (milliseconds, elapsed, cpu)) in measured)
        {
            var perSecond = milliseconds.Count / elapsed;
            var cpuPerRequest = cpu.TotalMicroseconds / milliseconds.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-30} {perSecond,8:F0} req/s   {Latency.Summarise(milliseconds)}   service CPU {cpuPerRequest,4:F0} µs/request   {100 * perSecond / pgbenchTps,5:F1} % of pgbench -S"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"pgbench -S -M prepared",-30} {pgbenchTps,8:F0} tps (mean of {string.Join(", ", pgbenchRates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))})"));
    }

    /// <summary><see cref="Connections"/> loops, each sending its next request as soon as the last answer is read.</summary>
    private static async Task<(List<double> Milliseconds, double Seconds)> ConcurrentAsync(HttpClient client, Func<int, string> url, TimeSpan duration)
    {
        var started = Stopwatch.GetTimestamp();
        var perLoop = await Task.WhenAll(Enumerable.Range(0, Connections).Select(loop => Task.Run(async () =>
        {
            var milliseconds = new List<double>();
            for (var i = loop * 7919; Stopwatch.GetElapsedTime(started) < duration; i++)
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(url(i));
                await response.Content.ReadAsByteArrayAsync();
                milliseconds.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{url(i)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }

            return milliseconds;
        })));
        return (perLoop.SelectMany(l => l).ToList(), Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// The service loads its matching roster and rehearses matching in the background after it is ready;
    /// measured meanwhile, the first read would pay for it. A matching request waits for the roster, then
    /// the service's own CPU time shows when the rest is done.
    /// </summary>
    private static async Task WaitForStartUpWorkAsync(HttpClient client, int serviceProcessId)
    {
        (await client.PostAsync("/api/v1/matching", System.Net.Http.Json.JsonContent.Create(MatchingScenarios.All[0].Body))).EnsureSuccessStatusCode();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var before = ProcessCpu(serviceProcessId);
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (ProcessCpu(serviceProcessId) - before < TimeSpan.FromMilliseconds(100))
            {
                return;
            }
        }
    }

    /// <summary>User and system time the process has used (Linux /proc), so that a noisy machine still shows what a request costs.</summary>
    private static TimeSpan ProcessCpu(int processId)
    {
        var fields = File.ReadAllText($"/proc/{processId}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ, 100 on Linux
    }

    private static async Task<(Guid[] Experts, Guid[] Actions, Guid[] Deployments)> SampleIdsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        async Task<Guid[]> SampleAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var ids = new List<Guid>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetGuid(0));
            }

            return [.. ids];
        }

        // A few thousand different rows, as a caller paging through profiles would ask for, not one hot row.
        return (
            await SampleAsync("SELECT id FROM experts TABLESAMPLE SYSTEM (5) WHERE erased_at IS NULL LIMIT 5000"),
            await SampleAsync("SELECT id FROM actions LIMIT 5000"),
            await SampleAsync("SELECT id FROM deployments TABLESAMPLE SYSTEM (10) LIMIT 5000"));
    }

    private static string PgbenchBinary()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin", "pgbench"))
            : [];
        return candidates.FirstOrDefault(File.Exists) ?? "pgbench";
    }

    /// <summary>pgbench's own tables (scale 10, a million accounts) in a database of their own on the same cluster, made once.</summary>
    private static async Task InitialisePgbenchAsync(string pgbench, string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var exists = new NpgsqlCommand($"SELECT count(*) FROM pg_database WHERE datname = '{PgbenchDatabase}'", connection))
        {
            if ((long)(await exists.ExecuteScalarAsync())! > 0)
            {
                return;
            }
        }

        await using (var create = new NpgsqlCommand($"CREATE DATABASE {PgbenchDatabase}", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        Console.WriteLine("initialising pgbench's tables (scale 10) once ...");
        await RunPgbenchAsync(pgbench, connectionString, "-i", "-s", "10", "-q");
    }

    private static async Task<double> PgbenchSelectOnlyAsync(string pgbench, string connectionString, int seconds)
    {
        var output = await RunPgbenchAsync(pgbench, connectionString,
            "-S", "-M", "prepared", "-n", "-c", Connections.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture));
        var tps = TpsLine().Match(output);
        return tps.Success
            ? double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench printed no rate:\n{output}");
    }

    private static async Task<string> RunPgbenchAsync(string pgbench, string connectionString, params string[] arguments)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(pgbench, [.. arguments, "-h", settings.Host!, "-p", settings.Port.ToString(CultureInfo.InvariantCulture), "-U", settings.Username!, PgbenchDatabase])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = settings.Password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pgbench {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await errors}");
        }

        return await output;
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();
}
