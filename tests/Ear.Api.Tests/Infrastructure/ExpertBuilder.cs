using System.Net.Http.Json;
using System.Text.Json;

namespace Ear.Api.Tests.Infrastructure;

/// <summary>A valid expert by default; each method changes one thing. Build() gives the JSON body.</summary>
internal sealed class ExpertBuilder
{
    private static int _sequence;
    private readonly Dictionary<string, object?> _body;

    public ExpertBuilder()
    {
        var n = Interlocked.Increment(ref _sequence);
        _body = new Dictionary<string, object?>
        {
            ["givenName"] = "Anna",
            ["familyName"] = $"Expert{n}",
            ["email"] = $"expert{n}@example.org",
            ["phone"] = "+33 1 23 45 67 89",
            ["gender"] = "female",
            ["nationality"] = "FR",
            ["kind"] = "eu_civil_servant",
            ["memberState"] = "FR",
            ["employer"] = "Ministère de l'Intérieur",
            ["position"] = "Border police officer",
            ["bio"] = "Twenty years of border management.",
            ["languages"] = new List<object> { new { code = "fr", level = "native" } },
            ["themes"] = new List<object> { new { code = "irregular.border-management", level = 3 } },
            ["countriesOfExperience"] = new List<string>(),
            ["unavailability"] = new List<object>(),
            ["status"] = "active",
            ["consent"] = new { recordedAt = "2026-01-15T10:00:00Z", recordedBy = "MIEUX team", basis = "Written consent form" },
            // The usual form covers every purpose; tests of a purpose's absence take it out with WithoutConsentTo.
            ["consentPurposes"] = new List<string> { "cv_sharing", "evaluation_use", "cv_text_extraction" },
        };
    }

    public static ExpertBuilder AnExpert() => new();

    public ExpertBuilder Named(string given, string family) => With("givenName", given).With("familyName", family);

    public ExpertBuilder WithEmail(string email) => With("email", email);

    public ExpertBuilder Of(string kind, string nationality, string? memberState = null) =>
        With("kind", kind).With("nationality", nationality).With("memberState", memberState);

    public ExpertBuilder Gender(string gender) => With("gender", gender);

    public ExpertBuilder Speaking(string code, string level)
    {
        ((List<object>)_body["languages"]!).Add(new { code, level });
        return this;
    }

    public ExpertBuilder OnlySpeaking(string code, string level) => With("languages", new List<object> { new { code, level } });

    public ExpertBuilder Knowing(string code, int level) => With("themes", new List<object> { new { code, level } });

    public ExpertBuilder ExperiencedIn(params string[] countries) => With("countriesOfExperience", countries.ToList());

    public ExpertBuilder UnavailableFrom(string from, string to)
    {
        ((List<object>)_body["unavailability"]!).Add(new { from, to });
        return this;
    }

    public ExpertBuilder Inactive() => With("status", "inactive");

    public ExpertBuilder WithoutConsent() => With("consent", null).With("consentPurposes", null);

    /// <summary>The profile's consent does not cover this purpose (cv_sharing, evaluation_use or cv_text_extraction).</summary>
    public ExpertBuilder WithoutConsentTo(string purpose)
    {
        ((List<string>)_body["consentPurposes"]!).Remove(purpose);
        return this;
    }

    public ExpertBuilder With(string field, object? value)
    {
        _body[field] = value;
        return this;
    }

    public Dictionary<string, object?> Build() => new(_body);

    /// <summary>Creates the expert through the API and returns its id.</summary>
    public async Task<Guid> CreateAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/experts", Build(), ApiTest.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }
}
