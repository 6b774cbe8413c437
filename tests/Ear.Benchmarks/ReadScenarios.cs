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
/// The load comes from wrk when it is installed (`apt-get install wrk`): a C client like pgbench's own, so that the
/// client's cost does not count against the service on a machine they share. Without it, or with `--client dotnet`,
/// from HttpClient loops in this process, which take about as much CPU per request as the service.
/// </summary>
internal static partial class ReadScenarios
{
    private const int Connections = 8;
    private const int Rounds = 3;
    private const string PgbenchDatabase = "pgbench";

    public static async Task RunAsync(Uri service, int serviceProcessId, string adminKey, string databaseConnectionString, int seconds, string? clientChoice)
    {
        if (clientChoice is not (null or "wrk" or "dotnet"))
        {
            throw new ArgumentException($"--client {clientChoice}: wrk or dotnet.");
        }

        var wrk = clientChoice == "dotnet" ? null : FindOnPath("wrk");
        if (clientChoice == "wrk" && wrk is null)
        {
            throw new InvalidOperationException("--client wrk: wrk is not installed (apt-get install wrk).");
        }

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
        Console.WriteLine($"Reads by id at {Connections} connections ({(wrk is null ? "HttpClient loops" : "wrk -t2")}), in {Rounds} rounds of {slice} s each, " +
            $"taking turns with pgbench -S -M prepared -c {Connections} -j 2 -T {slice} on the same cluster:");
        Func<Func<int, string>, TimeSpan, Task<(Latency.Summary Latency, double Seconds)>> load = wrk is null
            ? (url, duration) => ConcurrentAsync(client, url, duration)
            : (url, duration) => WrkAsync(wrk, service, adminKey, url, ids.Experts.Length, duration);
        foreach (var (_, url) in reads)
        {
            await load(url, TimeSpan.FromSeconds(Math.Min(3, seconds)));
        }

        var measured = reads.ToDictionary(r => r.Name, _ => (Rounds: new List<Latency.Summary>(), Seconds: 0.0, Cpu: TimeSpan.Zero));
        var pgbenchRates = new List<double> { await PgbenchSelectOnlyAsync(pgbench, databaseConnectionString, slice) };
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var (name, url) in reads)
            {
                var cpuBefore = ProcessCpu(serviceProcessId);
                var (latency, elapsed) = await load(url, TimeSpan.FromSeconds(slice));
                var sofar = measured[name];
                sofar.Rounds.Add(latency);
                measured[name] = (sofar.Rounds, sofar.Seconds + elapsed, sofar.Cpu + (ProcessCpu(serviceProcessId) - cpuBefore));
            }

            pgbenchRates.Add(await PgbenchSelectOnlyAsync(pgbench, databaseConnectionString, slice));
        }

        var pgbenchTps = pgbenchRates.Average();
        foreach (var (name, (rounds, elapsed, cpu)) in measured)
        {
            var requests = rounds.Sum(r => r.Requests);
            var perSecond = requests / elapsed;
            var cpuPerRequest = cpu.TotalMicroseconds / requests;
            // The rounds' percentiles, weighted by their requests: wrk reports each run's, not its samples.
            var latency = new Latency.Summary(
                rounds.Sum(r => r.P50 * r.Requests) / requests, rounds.Sum(r => r.P95 * r.Requests) / requests, rounds.Sum(r => r.P99 * r.Requests) / requests, requests);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-30} {perSecond,8:F0} req/s   {latency}   service CPU {cpuPerRequest,4:F0} µs/request   {100 * perSecond / pgbenchTps,5:F1} % of pgbench -S"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"pgbench -S -M prepared",-30} {pgbenchTps,8:F0} tps (mean of {string.Join(", ", pgbenchRates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))})"));
    }

    /// <summary><see cref="Connections"/> loops, each sending its next request as soon as the last answer is read.</summary>
    private static async Task<(Latency.Summary Latency, double Seconds)> ConcurrentAsync(HttpClient client, Func<int, string> url, TimeSpan duration)
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
        return (Latency.Summarise(perLoop.SelectMany(l => l).ToList()), Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// wrk at <see cref="Connections"/> connections on two threads, asking for the same paths in turn (a Lua script
    /// holds them), reporting its own percentiles; any answer but 2xx fails the run.
    /// </summary>
    private static async Task<(Latency.Summary Latency, double Seconds)> WrkAsync(string wrk, Uri service, string adminKey, Func<int, string> url, int distinct, TimeSpan duration)
    {
        var script = Path.Combine(Path.GetTempPath(), $"ear-reads-{Environment.ProcessId}.lua");
        var paths = string.Join(",\n", Enumerable.Range(0, distinct).Select(i => $"  \"{url(i)}\""));
        await File.WriteAllTextAsync(script, $$"""
            local paths = {
            {{paths}}
            }
            local i = 0
            wrk.headers["X-Api-Key"] = "{{adminKey}}"
            request = function()
              i = i + 1
              return wrk.format("GET", paths[(i % #paths) + 1])
            end
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("EAR requests=%d seconds=%f p50=%f p95=%f p99=%f failed=%d\n", summary.requests, summary.duration / 1e6,
                latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
                e.connect + e.read + e.write + e.status + e.timeout))
            end
            """);
        try
        {
            var seconds = Math.Max(1, (int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            var output = await RunProgramAsync(wrk, ["-t2", $"-c{Connections}", $"-d{seconds}s", "-s", script, service.ToString().TrimEnd('/')], null);
            var line = WrkLine().Match(output);
            if (!line.Success || line.Groups["failed"].Value != "0")
            {
                throw new InvalidOperationException($"wrk reported failures or no figures:\n{output}");
            }

            double Read(string group) => double.Parse(line.Groups[group].Value, CultureInfo.InvariantCulture);
            var requests = (int)Read("requests");
            return (new Latency.Summary(Read("p50"), Read("p95"), Read("p99"), requests), Read("seconds"));
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program)).FirstOrDefault(File.Exists);

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

    private static Task<string> RunPgbenchAsync(string pgbench, string connectionString, params string[] arguments)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        return RunProgramAsync(pgbench, [.. arguments, "-h", settings.Host!, "-p", settings.Port.ToString(CultureInfo.InvariantCulture), "-U", settings.Username!, PgbenchDatabase],
            settings.Password);
    }

    private static async Task<string> RunProgramAsync(string program, string[] arguments, string? pgPassword)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (pgPassword is not null)
        {
            start.Environment["PGPASSWORD"] = pgPassword;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await errors}");
        }

        return await output;
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"EAR requests=(?<requests>[0-9]+) seconds=(?<seconds>[0-9.]+) p50=(?<p50>[0-9.]+) p95=(?<p95>[0-9.]+) p99=(?<p99>[0-9.]+) failed=(?<failed>[0-9]+)")]
    private static partial Regex WrkLine();
}
