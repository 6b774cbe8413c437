using System.Net;
using System.Text;
using Ear.Api.Tests.Infrastructure.Contract;

namespace Ear.Api.Tests.Foundation;

/// <summary>
/// The contract check that every test's responses go through must itself be able to fail: fabricated
/// exchanges against a small document of known shape, and the committed document's routes.
/// </summary>
public sealed class ContractConformanceTests
{
    private const string Document = """
        {
          "openapi": "3.0.4",
          "info": { "title": "fabricated", "version": "1" },
          "paths": {
            "/things/{id}": {
              "get": {
                "operationId": "GetThing",
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } } ],
                "responses": {
                  "200": {
                    "description": "OK",
                    "headers": { "ETag": { "required": true, "schema": { "type": "string" } }, "Ear-Read-From": { "schema": { "type": "string" } } },
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } }
                  },
                  "401": { "description": "No key." },
                  "4XX": { "description": "A problem.", "content": { "application/problem+json": { "schema": { "type": "object" } } } }
                }
              }
            },
            "/things/special": {
              "get": { "operationId": "GetSpecialThing", "responses": { "204": { "description": "Nothing." } } }
            },
            "/things/{id}/versions/{version}": {
              "get": {
                "operationId": "GetThingVersion",
                "parameters": [
                  { "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } },
                  { "name": "version", "in": "path", "required": true, "schema": { "type": "integer", "format": "int32" } }
                ],
                "responses": { "200": { "description": "The file.", "content": { "application/pdf": { } } } }
              }
            }
          },
          "components": {
            "schemas": {
              "Thing": {
                "type": "object",
                "required": [ "id", "name", "note", "parts" ],
                "properties": {
                  "id": { "type": "string", "format": "uuid" },
                  "name": { "type": "string" },
                  "note": { "type": "string", "nullable": true },
                  "parts": { "type": "array", "items": { "type": "object", "required": [ "code" ], "properties": { "code": { "type": "string" } } } },
                  "owner": { "oneOf": [ { "$ref": "#/components/schemas/Owner" }, { "type": "object", "nullable": true, "enum": [ null ] } ] },
                  "keeper": { "allOf": [ { "$ref": "#/components/schemas/Owner" } ], "nullable": true },
                  "maker": { "$ref": "#/components/schemas/Owner" }
                }
              },
              "Owner": { "type": "object", "required": [ "name" ], "properties": { "name": { "type": "string" } } }
            }
          }
        }
        """;

    private static readonly Guid Id = Guid.Parse("0190a8d2-7c3e-7a51-8f2b-3c4d5e6f7a80");

    private static readonly string ValidThing = $$"""{ "id": "{{Id}}", "name": "A thing", "note": null, "parts": [ { "code": "a" } ], "owner": null, "keeper": null, "maker": { "name": "M" } }""";

    [Test]
    public async Task A_body_valid_against_the_schema_with_its_declared_header_conforms_and_null_is_accepted_where_nullable_even_around_a_reference()
    {
        var verdict = await CheckAsync($"/things/{Id}", Json(HttpStatusCode.OK, ValidThing, etag: true));

        Assert.Multiple(() =>
        {
            Assert.That(verdict.Outcome, Is.EqualTo(ContractOutcome.Checked));
            Assert.That(verdict.Subject, Is.EqualTo("GET /things/{id} (GetThing)"));
            Assert.That(verdict.Violations, Is.Empty);
        });
    }

    [Test]
    public async Task An_undeclared_status_does_not_conform()
    {
        var verdict = await CheckAsync($"/things/{Id}", Json(HttpStatusCode.InternalServerError, """{ "title": "boom" }"""));

        Assert.That(Kinds(verdict), Is.EqualTo(new[] { "undeclared status (declared: 200, 401, 4XX)" }));
    }

    [Test]
    public async Task A_body_missing_a_required_property_does_not_conform_and_names_its_path()
    {
        var body = $$"""{ "id": "{{Id}}", "name": "A thing", "note": "n", "parts": [ { "code": "a" }, { } ] }""";

        var verdict = await CheckAsync($"/things/{Id}", Json(HttpStatusCode.OK, body, etag: true));

        Assert.Multiple(() =>
        {
            Assert.That(Kinds(verdict), Is.EqualTo(new[] { "schema: PropertyRequired at #/parts[].code" }));
            Assert.That(verdict.Describe(), Does.Contain("GET /things/{id} (GetThing) answered 200 application/json")
                .And.Contain("schema: PropertyRequired at #/parts[1].code"));
        });
    }

    [Test]
    public async Task A_null_where_the_schema_is_not_nullable_does_not_conform()
    {
        var body = $$"""{ "id": "{{Id}}", "name": null, "note": null, "parts": [], "owner": { "name": "O" }, "keeper": { "name": "K" }, "maker": null }""";

        var verdict = await CheckAsync($"/things/{Id}", Json(HttpStatusCode.OK, body, etag: true));

        Assert.Multiple(() =>
        {
            Assert.That(Kinds(verdict), Does.Contain("schema: StringExpected at #/name (found null)").And.Contain("schema: ObjectExpected at #/maker (found null)"));
            Assert.That(Kinds(verdict), Has.None.Contains("#/owner").And.None.Contains("#/keeper"), "a record where the record or null is declared conforms");
        });
    }

    [Test]
    public async Task An_undeclared_media_type_a_missing_declared_header_and_a_body_that_is_not_json_do_not_conform()
    {
        var text = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("a thing", Encoding.UTF8, "text/plain") };
        var broken = Json(HttpStatusCode.OK, "{ \"id\": ", etag: true);
        var withoutEtag = Json(HttpStatusCode.OK, ValidThing);

        Assert.Multiple(async () =>
        {
            Assert.That(Kinds(await CheckAsync($"/things/{Id}", text)),
                Does.Contain("undeclared media type text/plain (declared: application/json)"));
            Assert.That(Kinds(await CheckAsync($"/things/{Id}", broken)), Is.EqualTo(new[] { "body is not JSON (application/json)" }));
            Assert.That(Kinds(await CheckAsync($"/things/{Id}", withoutEtag)), Is.EqualTo(new[] { "missing header ETag" }),
                "a required header is missing; Ear-Read-From, declared but not required, may be");
        });
    }

    [Test]
    public async Task An_empty_answer_conforms_where_no_content_is_declared_and_not_where_content_is()
    {
        var empty = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        var problemWhereNoneIsDeclared = Json(HttpStatusCode.Unauthorized, """{ "status": 401 }""", "application/problem+json");
        var emptyWhereJsonIsDeclared = new HttpResponseMessage(HttpStatusCode.OK) { Headers = { { "ETag", "\"1\"" } } };

        Assert.Multiple(async () =>
        {
            Assert.That(Kinds(await CheckAsync($"/things/{Id}", empty)), Is.Empty);
            Assert.That(Kinds(await CheckAsync($"/things/{Id}", problemWhereNoneIsDeclared)),
                Is.EqualTo(new[] { "body of application/problem+json where the response declares no content" }));
            Assert.That(Kinds(await CheckAsync($"/things/{Id}", emptyWhereJsonIsDeclared)),
                Is.EqualTo(new[] { "empty body (declared: application/json)" }));
            Assert.That(Kinds(await CheckAsync($"/things/{Id}", Json(HttpStatusCode.NotFound, "{}", "application/problem+json"))),
                Is.Empty, "404 is declared by 4XX");
        });
    }

    [Test]
    public async Task Requests_match_operations_by_method_literal_segments_first_and_typed_parameters()
    {
        var ok = new HttpResponseMessage(HttpStatusCode.OK);

        Assert.Multiple(async () =>
        {
            Assert.That((await CheckAsync("/things/special", new HttpResponseMessage(HttpStatusCode.NoContent))).Subject,
                Is.EqualTo("GET /things/special (GetSpecialThing)"));
            Assert.That((await CheckAsync($"/THINGS/{Id}/versions/2", Pdf())).Subject, Is.EqualTo("GET /things/{id}/versions/{version} (GetThingVersion)"));
            Assert.That(await CheckAsync($"/things/{Id}/versions/two", ok), Has.Property("Outcome").EqualTo(ContractOutcome.Unmatched)
                .And.Property("Subject").EqualTo("GET /things/{uuid}/versions/two"));
            Assert.That((await CheckAsync("/things/not-a-uuid", ok)).Outcome, Is.EqualTo(ContractOutcome.Unmatched));
            Assert.That((await CheckAsync($"/things/{Id}", ok, HttpMethod.Post)).Outcome, Is.EqualTo(ContractOutcome.Unmatched));
            Assert.That((await CheckAsync($"/things/{Id}", ok, HttpMethod.Head)).Outcome, Is.EqualTo(ContractOutcome.Skipped));
            Assert.That((await CheckAsync("/swagger/v1/swagger.json", ok)).Outcome, Is.EqualTo(ContractOutcome.Skipped));
        });
    }

    [Test]
    public async Task In_strict_mode_a_non_conforming_response_fails_the_test_that_received_it_and_in_report_mode_it_is_counted()
    {
        var strictLedger = new ContractLedger();
        var reportLedger = new ContractLedger();
        using var strict = ClientAnswering(HttpStatusCode.InternalServerError, ContractMode.Strict, strictLedger);
        using var report = ClientAnswering(HttpStatusCode.InternalServerError, ContractMode.Report, reportLedger);

        var failure = Assert.ThrowsAsync<AssertionException>(() => strict.GetAsync($"/things/{Id}"));
        using var reported = await report.GetAsync($"/things/{Id}");

        Assert.Multiple(() =>
        {
            Assert.That(failure.Message, Does.Contain("GET /things/{id} (GetThing) answered 500 application/json")
                .And.Contain("undeclared status"));
            Assert.That(reported.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(reportLedger.Validated, Is.EqualTo(1));
            Assert.That(reportLedger.Summary(ContractMode.Report), Does.Contain("1 did not conform")
                .And.Contain("GET /things/{id} (GetThing)")
                .And.Contain("500  undeclared status (declared: 200, 401, 4XX)  ×1"));
        });
    }

    [Test]
    public async Task The_committed_document_is_read_and_its_typed_routes_are_told_apart()
    {
        var contract = await ContractValidator.Committed;
        var ok = new HttpResponseMessage(HttpStatusCode.OK);

        Assert.Multiple(async () =>
        {
            Assert.That((await contract.CheckAsync(Get($"/api/v1/experts/{Id}"), ok)).Subject, Does.StartWith("GET /api/v1/experts/{id} "));
            Assert.That((await contract.CheckAsync(Get("/api/v1/experts/import"), ok)).Outcome, Is.EqualTo(ContractOutcome.Unmatched));
            Assert.That((await contract.CheckAsync(Get($"/api/v1/experts/{Id}/cv/versions/3"), ok)).Subject,
                Does.StartWith("GET /api/v1/experts/{id}/cv/versions/{version} "));
        });
    }

    private static async Task<ContractVerdict> CheckAsync(string path, HttpResponseMessage response, HttpMethod? method = null)
    {
        var contract = await ContractValidator.FromJsonAsync(Document);
        return await contract.CheckAsync(new HttpRequestMessage(method ?? HttpMethod.Get, new Uri(new Uri("http://localhost"), path)), response);
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, new Uri(new Uri("http://localhost"), path));

    private static string[] Kinds(ContractVerdict verdict) => [.. verdict.Violations.Select(v => v.Kind)];

    private static HttpResponseMessage Json(HttpStatusCode status, string body, string mediaType = "application/json", bool etag = false)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (etag)
        {
            response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"1\"");
        }

        return response;
    }

    private static HttpResponseMessage Pdf() => new(HttpStatusCode.OK)
    {
        Content = new ByteArrayContent("%PDF-1.7"u8.ToArray()) { Headers = { ContentType = new("application/pdf") } },
    };

    private static HttpClient ClientAnswering(HttpStatusCode status, ContractMode mode, ContractLedger ledger) =>
        new(new ContractValidatingHandler(ContractValidator.FromJsonAsync(Document), mode, ledger)
        {
            InnerHandler = new Answering(status),
        })
        { BaseAddress = new Uri("http://localhost") };

    private sealed class Answering(HttpStatusCode status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Json(status, """{ "title": "boom" }"""));
    }
}
