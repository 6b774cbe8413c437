using System.Globalization;
using Ear.Benchmarks;

// dotnet run -c Release --project tests/Ear.Benchmarks -- search|matching|reports|plan|reads|retention|changes [--experts 100000] [--requests 200 (plan: 20)] [--baseline-requests 10] [--seconds 10 (reads)] [--client wrk|dotnet (reads)]
// Builds the service in Release, seeds a roster of that size once (kept in /tmp/ear-bench-<size>, or
// EAR_BENCH_DATA_DIR), starts the service on it and times realistic requests through HTTP.
var verb = args.FirstOrDefault() ?? "search";
var experts = Option("--experts", 100_000);
var requests = Option("--requests", 200);
var baselineRequests = Option("--baseline-requests", Math.Max(5, requests / 20));
var root = ServiceProcess.RepositoryRoot();
var dataDirectory = Environment.GetEnvironmentVariable("EAR_BENCH_DATA_DIR") is { Length: > 0 } configured
    ? configured
    : Path.Combine(Path.GetTempPath(), $"ear-bench-{experts}");

await ServiceProcess.BuildAsync(root);
await ServiceProcess.SeedIfNewAsync(root, dataDirectory, experts);
// Latency and throughput, not the per-key rate limit (1200 a minute by default), are measured; the service
// inherits this. Every verb needs it: the budgets are kept in the database, so one run's minute carries over
// into the next run's.
Environment.SetEnvironmentVariable("Ear__RateLimit__PermitsPerMinute", "1000000000");

await using var service = await ServiceProcess.StartAsync(root, dataDirectory);
using var client = new HttpClient { BaseAddress = service.Address };
client.DefaultRequestHeaders.Add("X-Api-Key", ServiceProcess.AdminKey);

switch (verb)
{
    case "search":
        Console.WriteLine($"Expert search over {experts:N0} generated experts, one client, {requests} requests each:");
        foreach (var (name, query) in await SearchScenarios.WithDeepPageAsync(client))
        {
            var summary = await Latency.MeasureAsync(() => client.GetAsync($"/api/v1/experts?{query}"), warmup: 20, requests);
            Console.WriteLine($"  {name,-44} {summary}");
        }

        break;
    case "matching":
        var scenarios = MatchingScenarios.All;
        Task<HttpResponseMessage> Send(int i) =>
            client.PostAsync("/api/v1/matching", System.Net.Http.Json.JsonContent.Create(scenarios[i % scenarios.Length].Body));
        Console.WriteLine($"Matching over {experts:N0} generated experts and their histories ({scenarios.Length} requests in turn, with teams):");
        var single = await Latency.MeasureAsync(() => Send(Random.Shared.Next(scenarios.Length)), warmup: 20, requests);
        Console.WriteLine($"  1 client      {single}   {1000 / single.P50:F0} req/s at p50");
        var (concurrent, throughput) = await Latency.MeasureConcurrentAsync(Send, clients: 4, requests);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  4 clients     {concurrent}   {throughput:F0} req/s"));
        var database = ServiceProcess.DatabaseConnectionString(dataDirectory);
        foreach (var scenario in scenarios)
        {
            var body = System.Text.Json.JsonSerializer.SerializeToElement(scenario.Body).GetProperty("period");
            var from = DateOnly.Parse(body.GetProperty("from").GetString()!, CultureInfo.InvariantCulture);
            var to = DateOnly.Parse(body.GetProperty("to").GetString()!, CultureInfo.InvariantCulture);
            var served = await Latency.MeasureAsync(() => client.PostAsync("/api/v1/matching", System.Net.Http.Json.JsonContent.Create(scenario.Body)), warmup: 3, Math.Max(10, requests / 10));
            var baseline = await SqlBaseline.MeasureAsync(database, scenario, from, to, baselineRequests);
            Console.WriteLine($"  {scenario.Name,-56}\n      service {served}\n      SQL     {baseline}");
        }

        break;
    case "reports":
        Console.WriteLine($"Reports over {experts:N0} generated experts and their histories, one client, {requests} requests each:");
        foreach (var (name, url) in new[]
        {
            ("summary, one month (2024-03)", "/api/v1/reports/summary?from=2024-03-01&to=2024-03-31"),
            ("summary, one year (2024)", "/api/v1/reports/summary?from=2024-01-01&to=2024-12-31"),
            ("summary, 2009 to 2026", "/api/v1/reports/summary?from=2009-01-01&to=2026-12-31"),
            ("member states, one month (2024-03)", "/api/v1/reports/member-states?from=2024-03-01&to=2024-03-31"),
            ("member states, one year (2024)", "/api/v1/reports/member-states?from=2024-01-01&to=2024-12-31"),
            ("member states, 2009 to 2026", "/api/v1/reports/member-states?from=2009-01-01&to=2026-12-31"),
        })
        {
            var summary = await Latency.MeasureAsync(() => client.GetAsync(url), warmup: 3, requests);
            Console.WriteLine($"  {name,-34} {summary}");
        }

        break;
    case "plan":
        await PlanScenarios.RunAsync(client, experts, Option("--requests", 20));
        break;
    case "reads":
        await ReadScenarios.RunAsync(service.Address, service.ProcessId, ServiceProcess.AdminKey, ServiceProcess.DatabaseConnectionString(dataDirectory), Option("--seconds", 10),
            TextOption("--client"));
        break;
    case "retention":
        await RetentionScenario.RunAsync(client, ServiceProcess.DatabaseConnectionString(dataDirectory), experts);
        break;
    case "changes":
        await ChangeScenarios.RunAsync(client, ServiceProcess.DatabaseConnectionString(dataDirectory), requests);
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{verb}'. Known: search, matching, reports, plan, reads, retention, changes.");
        return 2;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  service peak memory: {service.PeakMemoryMiB():F0} MiB"));
return 0;

int Option(string name, int fallback) =>
    TextOption(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

string? TextOption(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
