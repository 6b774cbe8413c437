using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ear.Api.Tests.Fuzzing;

/// <summary>A place in a JSON body: the steps to it (property names and array indexes) and what the schema says it holds.</summary>
internal sealed record Slot(IReadOnlyList<object> Steps, string Type, string? Format, bool IsProperty)
{
    public string Path => Steps.Count == 0
        ? "(root)"
        : string.Concat(Steps.Select((s, i) => s is int n ? $"[{n}]" : i == 0 ? (string)s : "." + s));
}

/// <summary>
/// A valid-looking body for a schema of the contract, and the places in it a mutation can change. The
/// schemas carry no examples, enums or required lists, so plausible values come from a table of hints
/// by schema and property (reference data codes, the vocabulary the service documents, the world's ids),
/// then from the type and format.
/// </summary>
internal sealed class BodyExamples(Contract contract, FuzzWorld world)
{
    /// <summary>Values that must be unique in the roster; each request gets its own in their place.</summary>
    public const string UniqueEmail = "fuzz@example.org";
    public const string UniqueCode = "FUZZ-0001";

    /// <summary>Bodies carry text as it is (accents, '+', '&lt;'), as clients send it; only what JSON requires is escaped.</summary>
    public static readonly JsonSerializerOptions Wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Dictionary<string, Func<FuzzWorld, JsonNode?>> Hints = new(StringComparer.Ordinal)
    {
        ["ExpertRequest.givenName"] = _ => "Anna",
        ["ExpertRequest.familyName"] = _ => "Fuzz",
        ["ExpertRequest.email"] = _ => UniqueEmail,
        ["ExpertRequest.phone"] = _ => "+33 1 23 45 67 89",
        ["ExpertRequest.gender"] = _ => "female",
        ["ExpertRequest.nationality"] = _ => "FR",
        ["ExpertRequest.kind"] = _ => "eu_civil_servant",
        ["ExpertRequest.memberState"] = _ => "FR",
        ["ExpertRequest.countriesOfExperience[]"] = _ => "PE",
        ["ExpertRequest.status"] = _ => "active",
        ["LanguageSkill.code"] = _ => "fr",
        ["LanguageSkill.level"] = _ => "C1",
        ["ThemeSkill.code"] = _ => "irregular.border-management",
        ["ThemeSkill.level"] = _ => 3,
        ["DatePeriod.from"] = _ => "2027-01-01",
        ["DatePeriod.to"] = _ => "2027-01-10",
        ["ConsentRecord.recordedBy"] = _ => "MIEUX team",
        ["ConsentRecord.basis"] = _ => "Written consent form",
        ["ActionRequest.code"] = _ => UniqueCode,
        ["ActionRequest.beneficiaryCountries[]"] = _ => "PE",
        ["ActionRequest.regionalOrganisation"] = _ => null,
        ["ActionRequest.region"] = _ => "latin_america_caribbean",
        ["ActionRequest.themes[]"] = _ => "irregular.border-management",
        ["ActionRequest.workingLanguages[]"] = _ => "es",
        ["ActionRequest.requestedAt"] = _ => "2024-11-01",
        ["ActionPeriod.from"] = _ => "2025-01-01",
        ["ActionPeriod.to"] = _ => "2025-12-31",
        ["ActivityRequest.type"] = _ => "workshop",
        ["ActivityRequest.from"] = _ => "2025-04-01",
        ["ActivityRequest.to"] = _ => "2025-04-03",
        ["ActivityRequest.country"] = _ => "PE",
        ["ActivityRequest.remote"] = _ => false,
        ["ApiKeyRequest.role"] = _ => "reader",
        ["ApiKeyRequest.memberState"] = _ => null,
        ["DeploymentRequest.expertId"] = w => w.FreeExpertId.ToString(),
        ["DeploymentRequest.role"] = _ => "expert",
        ["DeploymentRequest.from"] = _ => "2025-03-02",
        ["DeploymentRequest.to"] = _ => "2025-03-04",
        ["EvaluationRequest.rating"] = _ => 4,
        ["EvaluationRequest.recommendation"] = _ => "redeploy",
        ["StatusChangeRequest.to"] = _ => "in_implementation",
        ["ThemeWeight.code"] = _ => "irregular.border-management",
        ["ThemeWeight.weight"] = _ => 1.0,
        ["MatchingRequest.beneficiaryCountries[]"] = _ => "PE",
        ["MatchingRequest.region"] = _ => "latin_america_caribbean",
        ["LanguageRequirement.code"] = _ => "es",
        ["LanguageRequirement.minLevel"] = _ => "B1",
        ["LanguageRequirement.required"] = _ => false,
        ["MatchingPeriod.from"] = _ => "2026-06-01",
        ["MatchingPeriod.to"] = _ => "2026-06-10",
        ["TeamRequest.size"] = _ => 2,
        ["TeamRequest.minEu"] = _ => 1,
        ["TeamRequest.minSouth"] = _ => 0,
        ["TeamRequest.maxOther"] = _ => 1,
        ["TeamRequest.maxPerCountry"] = _ => 2,
        ["TeamRequest.minWomen"] = _ => 0,
        ["MatchingRequest.limit"] = _ => 10,
        ["MatchingRequest.excludeExpertIds[]"] = w => w.ActionId.ToString(),
        ["MatchingRequest.explainExpertIds[]"] = w => w.FreeExpertId.ToString(),
        ["MatchingRequest.weights"] = _ => new JsonObject { ["themeFit"] = 0.5, ["language"] = 0.2 },
    };

    public JsonNode? Example(JsonObject schema) => Build(schema, "", "", 0);

    /// <summary>Every place of <paramref name="example"/> the schema describes, outermost first.</summary>
    public IReadOnlyList<Slot> Slots(JsonObject schema, JsonNode? example)
    {
        var slots = new List<Slot>();
        Walk(schema, example, [], slots, isProperty: false);
        return slots;
    }

    private JsonNode? Build(JsonObject schema, string owner, string property, int depth)
    {
        if (Hints.TryGetValue($"{owner}.{property}", out var hint))
        {
            return hint(world);
        }

        var name = Contract.NameOf(schema) ?? owner;
        var resolved = contract.Resolve(schema);
        switch (resolved["type"]?.GetValue<string>())
        {
            case "object" when resolved["properties"] is JsonObject properties && depth < 8:
                var body = new JsonObject();
                foreach (var (key, value) in properties)
                {
                    body[key] = Build(value!.AsObject(), name, key, depth + 1);
                }

                return body;
            case "object":
                return new JsonObject();
            case "array" when resolved["items"] is JsonObject items:
                return new JsonArray(Build(items, owner, property + "[]", depth + 1));
            case "integer":
                return 1;
            case "number":
                return 0.5;
            case "boolean":
                return true;
            default:
                return resolved["format"]?.GetValue<string>() switch
                {
                    "date" => "2025-03-02",
                    "date-time" => "2026-01-15T10:00:00Z",
                    "uuid" => world.FreeExpertId.ToString(),
                    _ => $"Fuzz {property}",
                };
        }
    }

    private void Walk(JsonObject schema, JsonNode? node, List<object> steps, List<Slot> slots, bool isProperty)
    {
        var resolved = contract.Resolve(schema);
        var type = resolved["type"]?.GetValue<string>() ?? "object";
        if (steps.Count > 0)
        {
            slots.Add(new Slot(steps.ToArray(), type, resolved["format"]?.GetValue<string>(), isProperty));
        }

        switch (node)
        {
            case JsonObject obj when resolved["properties"] is JsonObject properties:
                foreach (var (key, value) in properties)
                {
                    if (obj.ContainsKey(key))
                    {
                        Walk(value!.AsObject(), obj[key], [.. steps, key], slots, isProperty: true);
                    }
                }

                break;
            case JsonObject obj when resolved["additionalProperties"] is JsonObject values:
                foreach (var (key, value) in obj)
                {
                    Walk(values, value, [.. steps, key], slots, isProperty: true);
                }

                break;
            case JsonArray { Count: > 0 } array when resolved["items"] is JsonObject items:
                Walk(items, array[0], [.. steps, 0], slots, isProperty: false);
                break;
        }
    }

    /// <summary>A copy of <paramref name="root"/> with the value at <paramref name="slot"/> replaced, or removed when <paramref name="remove"/>.</summary>
    public static JsonNode? With(JsonNode? root, Slot slot, JsonNode? value, bool remove = false)
    {
        if (slot.Steps.Count == 0)
        {
            return value;
        }

        var copy = root?.DeepClone();
        switch (slot.Steps[^1], Step(copy, slot.Steps.SkipLast(1)))
        {
            case (string key, JsonObject obj) when remove:
                obj.Remove(key);
                break;
            case (string key, JsonObject obj):
                obj[key] = value;
                break;
            case (int index, JsonArray array) when index < array.Count && remove:
                array.RemoveAt(index);
                break;
            case (int index, JsonArray array) when index < array.Count:
                array[index] = value;
                break;
        }

        return copy;
    }

    /// <summary>Whether <paramref name="slot"/> still has a container to live in (an earlier change may have replaced it).</summary>
    public static bool CanReach(JsonNode? root, Slot slot) => slot.Steps.Count == 0 || (slot.Steps[^1], Step(root, slot.Steps.SkipLast(1))) switch
    {
        (string, JsonObject) => true,
        (int index, JsonArray array) => index < array.Count,
        _ => false,
    };

    /// <summary>The value at <paramref name="slot"/> in <paramref name="root"/>, null when it is not there.</summary>
    public static JsonNode? At(JsonNode? root, Slot slot) => Step(root, slot.Steps);

    private static JsonNode? Step(JsonNode? node, IEnumerable<object> steps)
    {
        foreach (var step in steps)
        {
            node = (step, node) switch
            {
                (int index, JsonArray array) when index < array.Count => array[index],
                (string key, JsonObject obj) => obj[key],
                _ => null,
            };
        }

        return node;
    }
}
