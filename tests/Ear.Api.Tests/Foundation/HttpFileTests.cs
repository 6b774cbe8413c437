using System.Text.Json;
using System.Text.RegularExpressions;
using Ear.Api.Tests.Infrastructure;

namespace Ear.Api.Tests.Foundation;

/// <summary>
/// src/Ear.Api/Ear.Api.http is the README's "one runnable request per endpoint": it must run top to
/// bottom with only the admin key filled in, and keep up with the contract.
/// </summary>
public sealed class HttpFileTests : ApiTest
{
    private static HttpFileRunner ReadHttpFile() => HttpFileRunner.Parse(File.ReadAllText(RepositoryRoot.Find("src/Ear.Api/Ear.Api.http")));

    [Test]
    public async Task The_http_file_runs_top_to_bottom_and_exercises_every_endpoint_of_the_contract()
    {
        var client = TestEnvironment.Factory.CreateValidatedClient();
        var runner = ReadHttpFile().With(new Dictionary<string, string>
        {
            ["ear"] = client.BaseAddress!.ToString().TrimEnd('/'),
            ["key"] = TestEnvironment.AdminKey,
        });
        var endpoints = ContractEndpoints();
        var exercised = new HashSet<string>();

        foreach (var request in runner.Requests)
        {
            var exchange = await runner.SendAsync(client, request);
            var outcome = $"'{request.Title}' ({request.Method} {exchange.Url.PathAndQuery}) answered {exchange.Status}: {exchange.Body}";
            if (request.ExpectedStatus is { } expected)
            {
                Assert.That(exchange.Status, Is.EqualTo(expected), $"{outcome} (the file expects {expected})");
            }
            else
            {
                Assert.That(exchange.Status, Is.InRange(200, 299), $"{outcome} (mark a request that is there to show an error with '# expect NNN')");
            }

            var endpoint = endpoints.FirstOrDefault(e => e.Method == request.Method && e.Path.IsMatch(exchange.Url.AbsolutePath));
            Assert.That(endpoint, Is.Not.Null, $"'{request.Title}' ({request.Method} {exchange.Url.AbsolutePath}) is to no endpoint of openapi/ear.v1.json");
            exercised.Add(endpoint!.Name);
        }

        var missing = endpoints.Select(e => e.Name).Where(name => !exercised.Contains(name)).ToList();
        Assert.That(missing, Is.Empty, "Endpoints of openapi/ear.v1.json that src/Ear.Api/Ear.Api.http never calls");
    }

    [Test]
    public void Every_request_of_the_http_file_has_a_title_and_the_file_leaves_only_the_key_to_fill_in()
    {
        var file = ReadHttpFile();
        Assert.Multiple(() =>
        {
            Assert.That(file.Requests.Where(r => r.Title.Length == 0).Select(r => $"{r.Method} {r.Url}"), Is.Empty,
                "Requests without a title after their ###: a failure could not name them");
            Assert.That(file.Requests.GroupBy(r => r.Title).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, "Titles used twice");
            Assert.That(file.FileVariables.Keys, Is.EquivalentTo(new[] { "ear", "key" }),
                "Ids and ETags come from earlier answers ({{name.response.body.$.id}}), not from variables to edit");
            Assert.That(file.FileVariables["ear"], Is.EqualTo("http://localhost:5080"), "where dotnet run listens");
        });
    }

    private sealed record Endpoint(string Method, string Template, Regex Path)
    {
        public string Name => $"{Method} {Template}";
    }

    private static List<Endpoint> ContractEndpoints()
    {
        using var contract = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Find("openapi/ear.v1.json")));
        return contract.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => new Endpoint(
                operation.Name.ToUpperInvariant(),
                path.Name,
                new Regex("^" + Regex.Replace(Regex.Escape(path.Name), @"\\\{[^/]+?}", "[^/]+") + "$", RegexOptions.CultureInvariant))))
            .ToList();
    }
}
