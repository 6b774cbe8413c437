using System.Text.Encodings.Web;
using Ear.Api.Tests;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ear.Api.Tests.Infrastructure;

namespace Ear.Api.Tests.Foundation;

public sealed class OpenApiContractTests : ApiTest
{
    /// <summary>
    /// openapi/ear.v1.json is what clients code against; it must be exactly what the service serves.
    /// To accept a deliberate change: EAR_UPDATE_OPENAPI=1 dotnet test --filter OpenApiContractTests
    /// </summary>
    [Test]
    public async Task The_committed_contract_is_what_the_service_serves()
    {
        var served = Normalise(await Anonymous().GetStringAsync("/swagger/v1/swagger.json"));
        var path = RepositoryRoot.Find("openapi/ear.v1.json");

        if (Environment.GetEnvironmentVariable("EAR_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, served);
        }

        var committed = File.Exists(path) ? Normalise(await File.ReadAllTextAsync(path)) : "(missing)";
        Assert.That(committed, Is.EqualTo(served),
            "openapi/ear.v1.json differs from the served document. If the change is intended, run " +
            "EAR_UPDATE_OPENAPI=1 dotnet test --filter OpenApiContractTests and commit the file.");
    }

    private static string Normalise(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).ReplaceLineEndings("\n") + "\n";
}
