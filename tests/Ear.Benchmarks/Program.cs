using System.Globalization;
using Ear.Benchmarks;

// dotnet run -c Release --project tests/Ear.Benchmarks -- search [--experts 100000] [--requests 200]
// Builds the service in Release, seeds a roster of that size once (kept in /tmp/ear-bench-<size>, or
// EAR_BENCH_DATA_DIR), starts the service on it and times realistic requests through HTTP.
var verb = args.FirstOrDefault() ?? "search";
var experts = Option("--experts", 100_000);
var requests = Option("--requests", 200);
var root = ServiceProcess.RepositoryRoot();
var dataDirectory = Environment.GetEnvironmentVariable("EAR_BENCH_DATA_DIR") is { Length: > 0 } configured
    ? configured
    : Path.Combine(Path.GetTempPath(), $"ear-bench-{experts}");

await ServiceProcess.BuildAsync(root);
await ServiceProcess.SeedIfNewAsync(root, dataDirectory, experts);
await using var service = await ServiceProcess.StartAsync(root, dataDirectory);
using var client = new HttpClient { BaseAddress = service.Address };
client.DefaultRequestHeaders.Add("X-Api-Key", ServiceProcess.AdminKey);

switch (verb)
{
    case "search":
        Console.WriteLine($"Expert search over {experts:N0} generated experts, one client, {requests} requests each:");
        foreach (var (name, query) in SearchScenarios.All)
        {
            var summary = await Latency.MeasureAsync(() => client.GetAsync($"/api/v1/experts?{query}"), warmup: 20, requests);
            Console.WriteLine($"  {name,-44} {summary}");
        }

        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{verb}'. Known: search.");
        return 2;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  service peak memory: {service.PeakMemoryMiB():F0} MiB"));
return 0;

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
