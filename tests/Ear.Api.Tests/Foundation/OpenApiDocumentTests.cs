using System.Text.Json.Nodes;
using Ear.Api.Auth;
using Ear.Api.Features.Actions;
using Ear.Api.Features.Audit;
using Ear.Api.Features.CvDocuments;
using Ear.Api.Features.Deployments;
using Ear.Api.Features.Experts;
using Ear.Api.Tests.Infrastructure;
using Ear.Matching;

namespace Ear.Api.Tests.Foundation;

/// <summary>Facts about the served OpenAPI document that a client generator relies on.</summary>
public sealed class OpenApiDocumentTests : ApiTest
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private static async Task<JsonObject> DocumentAsync() =>
        JsonNode.Parse(await Anonymous().GetStringAsync("/swagger/v1/swagger.json"))!.AsObject();

    private static IEnumerable<(string Name, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(o => Methods.Contains(o.Key))
            .Select(o => ($"{o.Key.ToUpperInvariant()} {path.Key}", o.Value!.AsObject())));

    private static JsonObject Schema(JsonObject document, string name) => document["components"]!["schemas"]![name]!.AsObject();

    private static List<string> Enum(JsonObject document, string schema, string property)
    {
        var node = Schema(document, schema)["properties"]![property]!;
        var values = node["enum"] ?? node["items"]!["enum"]!;
        return values.AsArray().Where(v => v is not null).Select(v => v!.GetValue<string>()).ToList();
    }

    private static List<string> Keys(JsonObject document, string schema, string property) =>
        Schema(document, schema)["properties"]![property]!["properties"]!.AsObject().Select(p => p.Key).ToList();

    [Test]
    public async Task Every_operation_parameter_schema_and_property_is_described()
    {
        var document = await DocumentAsync();
        var undescribed = new List<string>();
        foreach (var (name, operation) in Operations(document))
        {
            if (string.IsNullOrWhiteSpace(operation["description"]?.GetValue<string>()))
            {
                undescribed.Add(name);
            }

            undescribed.AddRange((operation["parameters"]?.AsArray() ?? [])
                .Where(p => string.IsNullOrWhiteSpace(p!["description"]?.GetValue<string>()))
                .Select(p => $"{name} parameter {p!["name"]}"));
        }

        foreach (var (schemaName, schema) in document["components"]!["schemas"]!.AsObject())
        {
            if (string.IsNullOrWhiteSpace(schema!["description"]?.GetValue<string>()))
            {
                undescribed.Add(schemaName);
            }

            undescribed.AddRange((schema["properties"]?.AsObject() ?? [])
                .Where(p => string.IsNullOrWhiteSpace(p.Value!["description"]?.GetValue<string>()))
                .Select(p => $"{schemaName}.{p.Key}"));
        }

        Assert.That(undescribed, Is.Empty);
    }

    [Test]
    public async Task Every_error_answer_is_a_problem()
    {
        var document = await DocumentAsync();
        var wrong = new List<string>();
        foreach (var (name, operation) in Operations(document))
        {
            foreach (var (status, response) in operation["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5'))
            {
                var reference = response!["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>();
                var expected = status == "400" ? "#/components/schemas/HttpValidationProblemDetails" : "#/components/schemas/ProblemDetails";
                if (reference != expected || response["content"]!.AsObject().Count != 1)
                {
                    wrong.Add($"{name} {status}");
                }
            }
        }

        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public async Task Every_keyed_operation_declares_the_refusals_and_rate_limit_headers_it_may_meet()
    {
        var document = await DocumentAsync();
        foreach (var (name, operation) in Operations(document).Where(o => !o.Name.Contains(" /health/", StringComparison.Ordinal)))
        {
            var responses = operation["responses"]!.AsObject();
            Assert.That(responses.Select(r => r.Key), Is.SupersetOf(new[] { "400", "401", "429", "503" }), name);
            Assert.That(responses["401"]!["headers"]!.AsObject().Select(h => h.Key), Does.Contain("WWW-Authenticate"), name);
            Assert.That(responses["429"]!["headers"]!.AsObject().Select(h => h.Key), Does.Contain("Retry-After"), name);
            // A 503 may come before the key was looked up, and so before any budget was counted.
            foreach (var (status, response) in responses.Where(r => r.Key != "503"))
            {
                Assert.That(response!["headers"]!.AsObject().Select(h => h.Key), Is.SupersetOf(new[] { "RateLimit-Policy", "RateLimit" }), $"{name} {status}");
            }
        }
    }

    [Test]
    public async Task Enumerations_are_the_code_s_own_tables()
    {
        var document = await DocumentAsync();
        Assert.Multiple(() =>
        {
            Assert.That(Enum(document, "ExpertResponse", "gender"), Is.EqualTo(ExpertVocabulary.Genders));
            Assert.That(Enum(document, "ExpertResponse", "kind"), Is.EqualTo(ExpertVocabulary.Kinds.Keys));
            Assert.That(Enum(document, "ExpertResponse", "origin"), Is.EqualTo(ExpertVocabulary.Origins));
            Assert.That(Enum(document, "ExpertResponse", "status"), Is.EqualTo(ExpertVocabulary.Statuses));
            Assert.That(Enum(document, "LanguageSkill", "level"), Is.EqualTo(LanguageLevels.All));
            Assert.That(Enum(document, "ActionResponse", "status"), Is.EqualTo(ActionWorkflow.Statuses));
            Assert.That(Enum(document, "ActionResponse", "allowedTransitions"), Is.EqualTo(ActionWorkflow.Statuses));
            Assert.That(Enum(document, "ActivityRequest", "type"), Is.EqualTo(ActionValidation.ActivityTypes));
            Assert.That(Enum(document, "EvaluationRequest", "recommendation"), Is.EqualTo(DeploymentsApi.Recommendations));
            Assert.That(Enum(document, "DeploymentResponse", "role"), Is.EqualTo(DeploymentsApi.Roles));
            Assert.That(Enum(document, "ApiKeyRequest", "role"), Is.EqualTo(Roles.All));
            Assert.That(Enum(document, "CvVersion", "textStatus"), Is.EqualTo(CvTextStatuses.All));
            Assert.That(Enum(document, "AuditEntry", "outcome"), Is.EqualTo(AuditTrail.Outcomes));
            Assert.That(Keys(document, "CandidateResult", "components"), Is.EqualTo(Weights.Names));
            Assert.That(Keys(document, "MatchingResponse", "excluded"), Is.EqualTo(HardRules.All.Select(HardRules.Name)));
        });
    }

    [Test]
    public async Task Absent_records_are_declared_as_the_record_or_null_and_always_sent_properties_required()
    {
        var deployment = Schema(await DocumentAsync(), "DeploymentResponse");
        static string? OneOf(JsonNode property) => property["oneOf"]?.ToJsonString();
        const string nullOnly = """{"enum":[null],"type":"object","nullable":true}""";
        Assert.Multiple(() =>
        {
            Assert.That(OneOf(deployment["properties"]!["cancellation"]!),
                Is.EqualTo($$"""[{"$ref":"#/components/schemas/CancellationResponse"},{{nullOnly}}]"""));
            Assert.That(OneOf(deployment["properties"]!["evaluation"]!),
                Is.EqualTo($$"""[{"$ref":"#/components/schemas/EvaluationResponse"},{{nullOnly}}]"""));
            Assert.That(deployment["properties"]!["action"]!["allOf"]?.ToJsonString(), Is.EqualTo("""[{"$ref":"#/components/schemas/DeploymentAction"}]"""));
            Assert.That(deployment["required"]!.AsArray().Select(r => r!.GetValue<string>()),
                Is.EquivalentTo(deployment["properties"]!.AsObject().Select(p => p.Key)));
        });
    }
}
