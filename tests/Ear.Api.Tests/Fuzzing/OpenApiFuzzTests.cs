using System.Diagnostics;
using Ear.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Ear.Api.Tests.Fuzzing;

/// <summary>
/// Every operation of the committed contract gets a few hundred malformed and boundary requests through
/// the real pipeline with real keys. The service may refuse any of them, but only with a 4xx RFC 9457
/// problem: a 5xx, or an error in another shape, fails the operation's test with every failure grouped
/// and one request per group to send again. The requests follow from the seed (EAR_FUZZ_SEED, printed).
/// </summary>
public sealed class OpenApiFuzzTests : ApiTest
{
    private static int _sent;
    private static int _failed;
    private static long _fuzzingTicks;

    public static IEnumerable<TestCaseData> Operations() =>
        Contract.Committed.Operations.Select(o => new TestCaseData(o.Id).SetArgDisplayNames(o.Id));

    [OneTimeTearDown]
    public void PrintTotals()
    {
        if (_sent > 0)
        {
            TestContext.Progress.WriteLine($"Fuzzing in all: {_sent} requests in {TimeSpan.FromTicks(_fuzzingTicks).TotalSeconds:0.0} s of sending, {_failed} failed (seed {RequestPlan.Seed}).");
        }
    }

    private static void Count(IReadOnlyList<Outcome> outcomes, TimeSpan elapsed)
    {
        Interlocked.Add(ref _sent, outcomes.Count);
        Interlocked.Add(ref _failed, outcomes.Count(o => o.Failure is not null));
        Interlocked.Add(ref _fuzzingTicks, elapsed.Ticks);
    }

    [Test]
    public void The_plan_covers_every_operation_of_the_contract_with_at_least_5000_requests()
    {
        var contract = Contract.Committed;
        var sizes = contract.Operations.ToDictionary(o => o.Id, o => RequestPlan.For(o, contract, FuzzWorld.Imaginary, RequestPlan.Seed).Count);
        TestContext.Out.WriteLine($"{sizes.Values.Sum()} requests: " + string.Join(", ", sizes.Select(s => $"{s.Key} {s.Value}")));

        Assert.Multiple(() =>
        {
            Assert.That(sizes.Values.Sum(), Is.GreaterThanOrEqualTo(5000));
            Assert.That(sizes.Where(s => s.Value < 100).Select(s => s.Key), Is.Empty, "operations with fewer than 100 requests");
            foreach (var operation in new[] { "CreateExpert", "SearchExperts", "UploadCv" }.Select(contract.Find))
            {
                var once = RequestPlan.For(operation, contract, FuzzWorld.Imaginary, RequestPlan.Seed);
                var twice = RequestPlan.For(operation, contract, FuzzWorld.Imaginary, RequestPlan.Seed);
                Assert.That(twice.Select(Fingerprint), Is.EqualTo(once.Select(Fingerprint)), $"the same seed gave {operation.Id} other requests");
            }
        });
    }

    private static string Fingerprint(FuzzRequest request) =>
        $"{request.Kind} {request.Detail} {request.Url} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(request.Body ?? []))}";

    [TestCaseSource(nameof(Operations))]
    public async Task Malformed_and_boundary_requests_get_a_problem_and_never_a_server_error(string operationId)
    {
        var operation = Contract.Committed.Find(operationId);
        using var client = TestEnvironment.Factory.CreateValidatedClient();
        client.Timeout = TimeSpan.FromMinutes(2);
        using var admin = AsAdmin();
        var clock = Stopwatch.StartNew();
        var world = await FuzzWorld.CreateAsync(admin);
        var setUp = clock.Elapsed;
        var plan = RequestPlan.For(operation, Contract.Committed, world, RequestPlan.Seed);
        var eTagUrl = operation.Method == HttpMethod.Put ? plan[0].Url : null;

        using var keys = new FuzzKeys();
        using var runner = new FuzzRunner(client, keys, eTagUrl);
        clock.Restart();
        var outcomes = await runner.RunAsync(plan);
        clock.Stop();
        Count(outcomes, clock.Elapsed);

        TestContext.Progress.WriteLine($"Fuzzing (set-up {setUp.TotalSeconds:0.0} s) " + FuzzReport.Summary(operation.ToString(), RequestPlan.Seed, outcomes, clock.Elapsed));
        Assert.That(outcomes.Count(o => o.Failure is not null), Is.Zero,
            FuzzReport.Failures(operation.ToString(), operation.Id, RequestPlan.Seed, outcomes, clock.Elapsed));
    }

    [Test]
    public async Task A_key_past_its_rate_limit_gets_a_problem_from_every_operation_whatever_it_accepts()
    {
        using var client = TestEnvironment.Factory.CreateValidatedClient();
        using var admin = AsAdmin();
        var world = await FuzzWorld.CreateAsync(admin);
        var plan = Contract.Committed.Operations
            .Where(o => !o.PathTemplate.StartsWith("/health", StringComparison.Ordinal))
            .SelectMany(o => RequestPlan.PastTheRateLimit(o, Contract.Committed, world, RequestPlan.Seed))
            .ToList();

        using var keys = new FuzzKeys(client);
        using var runner = new FuzzRunner(client, keys, eTagUrl: null);
        var clock = Stopwatch.StartNew();
        var outcomes = await runner.RunAsync(plan);
        clock.Stop();
        Count(outcomes, clock.Elapsed);

        const string subject = "Every operation with a rate-limited key";
        TestContext.Progress.WriteLine("Fuzzing " + FuzzReport.Summary(subject, RequestPlan.Seed, outcomes, clock.Elapsed));
        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Where(o => o.Failure is null).Select(o => o.Status), Is.All.EqualTo(429), "requests past the limit that were not refused");
            Assert.That(outcomes.Count(o => o.Failure is not null), Is.Zero,
                FuzzReport.Failures(subject, nameof(A_key_past_its_rate_limit_gets_a_problem_from_every_operation_whatever_it_accepts), RequestPlan.Seed, outcomes, clock.Elapsed));
        });
    }
}
