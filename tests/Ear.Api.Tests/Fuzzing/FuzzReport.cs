using System.Globalization;
using System.Text;

namespace Ear.Api.Tests.Fuzzing;

/// <summary>
/// Failures grouped by (status, what is wrong with the answer, family of mutation), biggest first, each
/// group with its count, the distinct changes that led to it, and one request to send again by hand.
/// </summary>
internal static class FuzzReport
{
    private const int DetailsShown = 8;

    public static string Summary(string subject, int seed, IReadOnlyList<Outcome> outcomes, TimeSpan elapsed)
    {
        var failed = outcomes.Count(o => o.Failure is not null);
        var statuses = string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} ×{g.Count()}"));
        var baseline = outcomes.FirstOrDefault(o => o.Request.Kind == "baseline");
        var undeliverable = outcomes.Where(o => o.Undeliverable).ToList();
        var notBuilt = undeliverable.Count == 0
            ? ""
            : $" The test server could not build {undeliverable.Count} of them ({undeliverable[0].Body} {undeliverable[0].Request.Detail}); they count as status 0 and pass.";
        return string.Create(CultureInfo.InvariantCulture,
            $"{subject}, seed {seed}: {outcomes.Count} requests in {elapsed.TotalSeconds:0.0} s, {failed} failed in {Groups(outcomes).Count} groups. " +
            $"{Baseline(baseline)}Answers: {statuses}.{notBuilt}");
    }

    /// <summary>How the unchanged request was answered: a refusal there means the happy path was not reached, and says why.</summary>
    private static string Baseline(Outcome? baseline) => baseline switch
    {
        null => "",
        { Status: < 400 } => $"The valid request got {baseline.Status}. ",
        _ => $"The valid request got {baseline.Status} ({FuzzRequest.Shorten(baseline.Body.ReplaceLineEndings(" "), 300)}). ",
    };

    public static IReadOnlyList<IGrouping<(int Status, string Failure, string Kind), Outcome>> Groups(IReadOnlyList<Outcome> outcomes) =>
        outcomes.Where(o => o.Failure is not null)
            .GroupBy(o => (o.Status, Failure: o.Failure!, o.Request.Kind))
            .OrderByDescending(g => g.Key.Status >= 500 || g.Key.Status == 0)
            .ThenByDescending(g => g.Count())
            .ThenBy(g => g.Key.Kind, StringComparer.Ordinal)
            .ToList();

    public static string Failures(string subject, string testName, int seed, IReadOnlyList<Outcome> outcomes, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.Append(Summary(subject, seed, outcomes, elapsed)).Append('\n');
        text.Append(CultureInfo.InvariantCulture,
            $"Run again: dotnet test tests/Ear.Api.Tests --filter \"FullyQualifiedName~Fuzzing&Name~{testName}\" (EAR_FUZZ_SEED={seed}; the ids differ from run to run).\n");
        var number = 0;
        foreach (var group in Groups(outcomes))
        {
            var sameKind = outcomes.Count(o => o.Request.Kind == group.Key.Kind);
            text.Append(CultureInfo.InvariantCulture,
                $"\n[{++number}] {(group.Key.Status == 0 ? "no status" : group.Key.Status.ToString(CultureInfo.InvariantCulture))}, {group.Key.Failure} — {group.Key.Kind}: {group.Count()} of {sameKind} requests\n");
            var details = group.Select(o => o.Request.Detail).Distinct(StringComparer.Ordinal).ToList();
            text.Append("    with: ").Append(string.Join(" | ", details.Take(DetailsShown).Select(d => FuzzRequest.Shorten(d, 120))));
            text.Append(details.Count > DetailsShown ? $" | … {details.Count - DetailsShown} more\n" : "\n");

            var example = group.OrderBy(o => o.Request.Body?.Length ?? 0).ThenBy(o => o.Request.Url.Length).First();
            text.Append("    for example: ").Append(example.Request.Describe(example.IfMatch, bodyChars: 300));
            text.Append(CultureInfo.InvariantCulture,
                $"    answered {example.Status}, Content-Type {example.ContentType ?? "(none)"}: {(example.Body.Length == 0 ? "(empty)" : FuzzRequest.Shorten(example.Body.ReplaceLineEndings(" ").Trim(), example.Status == 0 ? 3000 : 400))}\n");
        }

        return text.ToString();
    }
}
