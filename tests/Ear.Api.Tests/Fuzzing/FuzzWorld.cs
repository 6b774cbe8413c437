using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ear.Api.Auth;
using Ear.Api.Tests.Infrastructure;
using Npgsql;

namespace Ear.Api.Tests.Fuzzing;

/// <summary>
/// What exists before the fuzzing of one operation starts, so that valid ids reach the handlers' happy
/// paths: an expert with a CV and a deployment, a second expert free to be deployed, an approved action
/// with an activity, a stored matching run, a key that may be revoked, and a CSV the import accepts.
/// </summary>
internal sealed record FuzzWorld(
    Guid ExpertId,
    Guid FreeExpertId,
    Guid ActionId,
    Guid ActivityId,
    Guid DeploymentId,
    Guid MatchingRunId,
    Guid SpareKeyId,
    string ImportCsv,
    byte[] Pdf)
{
    public const string ImportEmail = "fuzz-import@example.org";

    /// <summary>A world that was never created: for planning the requests without sending them.</summary>
    public static FuzzWorld Imaginary { get; } = new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(),
        Guid.CreateVersion7(), Guid.CreateVersion7(),
        "givenName,familyName,email,nationality,kind,memberState,languages,themes\nAnna,Fuzz,fuzz-import@example.org,FR,eu_civil_servant,FR,fr:C1,legal:3\n",
        "%PDF-1.7 imaginary"u8.ToArray());

    /// <summary>The existing id a path parameter names, from the collection segment before it.</summary>
    public string? ExistingId(string collection, string parameter) => (collection, parameter) switch
    {
        (_, "version") => "1",
        ("experts", _) => ExpertId.ToString(),
        ("actions", _) => ActionId.ToString(),
        ("activities", _) => ActivityId.ToString(),
        ("deployments", _) => DeploymentId.ToString(),
        ("runs", _) => MatchingRunId.ToString(),
        ("api-keys", _) => SpareKeyId.ToString(),
        _ => null,
    };

    public static async Task<FuzzWorld> CreateAsync(HttpClient admin)
    {
        var expert = ExpertBuilder.AnExpert().CreateAsync(admin);
        var freeExpert = ExpertBuilder.AnExpert().Speaking("es", "C1").WithEmail("fuzz-source@example.org").CreateAsync(admin);
        var action = ActionBuilder.AnAction().CreateApprovedAsync(admin);
        var spareKey = IssueSpareKeyAsync(admin);
        var (expertId, freeExpertId, actionId) = (await expert, await freeExpert, await action);

        var activity = ActionBuilder.AddActivityAsync(admin, actionId, "2025-03-01", "2025-03-10");
        var pdf = Documents.Pdf("Fuzzing curriculum vitae", "Border management, return, readmission.");
        var upload = UploadAsync(admin, expertId, pdf);
        var run = ReadIdAsync(admin.PostAsJsonAsync($"/api/v1/actions/{actionId}/matching", new { }, ApiTest.Json), "runId");
        var csv = ImportableCsvAsync(admin);
        var activityId = await activity;
        var deployment = await ReadIdAsync(
            admin.PostAsJsonAsync($"/api/v1/activities/{activityId}/deployments", new { expertId, role = "expert", from = "2025-03-02", to = "2025-03-06" }, ApiTest.Json),
            "id");
        await upload;

        return new FuzzWorld(expertId, freeExpertId, actionId, activityId, deployment, await run, await spareKey, await csv, pdf);
    }

    private static async Task<Guid> IssueSpareKeyAsync(HttpClient admin)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "fuzz spare", role = "reader" }, ApiTest.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("key").GetProperty("id").GetGuid();
    }

    private static async Task UploadAsync(HttpClient admin, Guid expertId, byte[] pdf)
    {
        using var upload = Documents.Upload(pdf, "cv.pdf");
        var response = await admin.PostAsync($"/api/v1/experts/{expertId}/cv", upload);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
    }

    /// <summary>The export's line of the free expert, under another e-mail and without its id: a CSV the import takes as it is.</summary>
    private static async Task<string> ImportableCsvAsync(HttpClient admin)
    {
        using var export = new HttpRequestMessage(HttpMethod.Get, "/api/v1/experts");
        export.Headers.Accept.ParseAdd("text/csv");
        var lines = (await (await admin.SendAsync(export)).Content.ReadAsStringAsync()).ReplaceLineEndings("\n").Split('\n');
        var row = lines.FirstOrDefault(l => l.Contains("fuzz-source@example.org", StringComparison.Ordinal));
        Assert.That(row, Is.Not.Null, "The CSV export did not hold the expert to import again:\n" + string.Join("\n", lines));
        var cells = Csv.Split(row!.Replace("fuzz-source@example.org", ImportEmail, StringComparison.Ordinal));
        var id = Csv.Split(lines[0]).IndexOf("id");
        if (id >= 0)
        {
            cells[id] = "";
        }

        return $"{lines[0]}\n{Csv.Join(cells)}\n";
    }

    private static async Task<Guid> ReadIdAsync(Task<HttpResponseMessage> request, string property)
    {
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.AnyOf(200, 201), body);
        return JsonDocument.Parse(body).RootElement.GetProperty(property).GetGuid();
    }
}

/// <summary>
/// Real keys of every role. The service allows each key a number of requests a minute, so a key is
/// replaced by a fresh one of the same role well before that, and fuzzing reaches the handlers rather
/// than the rate limiter (a 429 would still be judged like any other answer).
/// </summary>
internal sealed class FuzzKeys(HttpClient? client = null) : IDisposable
{
    private const int UsesPerKey = 800;

    private readonly Dictionary<Credential, (string Secret, int Uses)> _keys = [];
    private readonly SemaphoreSlim _lock = new(1, 1);
    private string? _revoked;
    private string? _rateLimited;

    public void Dispose() => _lock.Dispose();

    public async Task<string?> SecretAsync(FuzzRequest request)
    {
        switch (request.Credential)
        {
            case Credential.None:
                return null;
            case Credential.Garbage:
                return request.GarbageKey;
        }

        await _lock.WaitAsync();
        try
        {
            if (request.Credential == Credential.Revoked)
            {
                return _revoked ??= await IssueRevokedAsync();
            }

            if (request.Credential == Credential.RateLimited)
            {
                return _rateLimited ??= await IssueExhaustedAsync(client ?? throw new InvalidOperationException("Exhausting a key needs a client."));
            }

            if (!_keys.TryGetValue(request.Credential, out var key) || key.Uses >= UsesPerKey)
            {
                key = (await IssueAsync(request.Credential), 0);
            }

            _keys[request.Credential] = (key.Secret, key.Uses + 1);
            return key.Secret;
        }
        finally
        {
            _lock.Release();
        }
    }

    private static Task<string> IssueAsync(Credential credential) => credential switch
    {
        Credential.Admin => Keys.IssueAsync("admin"),
        Credential.FocalPoint => Keys.IssueAsync("focal_point", "FR"),
        Credential.Reader => Keys.IssueAsync("reader"),
        _ => throw new ArgumentOutOfRangeException(nameof(credential)),
    };

    /// <summary>A reader key that has been sent the cheapest request until the rate limiter refused it.</summary>
    private static async Task<string> IssueExhaustedAsync(HttpClient client)
    {
        var secret = await Keys.IssueAsync("reader");
        for (var sent = 0; sent < 10_000; sent += 8)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/languages");
                request.Headers.Add(ApiKeyAuthentication.HeaderName, secret);
                using var response = await client.SendAsync(request);
                return (int)response.StatusCode;
            }));
            if (answers.Contains(429))
            {
                return secret;
            }
        }

        throw new InvalidOperationException("10,000 requests did not exhaust a key: is the rate limit switched off?");
    }

    private static async Task<string> IssueRevokedAsync()
    {
        var secret = await Keys.IssueAsync("reader");
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres.ConnectionString);
        await connection.ExecuteAsync("UPDATE api_keys SET revoked_at = now() WHERE key_hash = @hash", new { hash = ApiKeySecrets.Hash(secret) });
        return secret;
    }
}
