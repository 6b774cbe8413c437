using System.Globalization;
using System.Text.RegularExpressions;
using Ear.Matching;

namespace Ear.Matching.Tests;

/// <summary>
/// Each score component and each hard rule is one entry of a table; these tests pin what the entry says in
/// words to what it computes, and the README's table to the code's.
/// </summary>
public sealed partial class OneDefinitionTests
{
    private static readonly MatchCriteria Peru = Criteria.ForPeru(c => c with
    {
        Themes = [new ThemeNeed("irregular.trafficking", 1.0), new ThemeNeed("irregular.border-management", 0.5)],
        Languages = [new LanguageNeed("es", 4, Required: false), new LanguageNeed("en", 5, Required: false)],
        Limit = 200,
    });

    [Test]
    public void The_tables_are_in_index_order()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ScoreComponents.All.Select(c => c.Index), Is.EqualTo(Enumerable.Range(0, ScoreComponents.Count)));
            Assert.That(ScoreComponents.All.Select(c => c.Name), Is.Unique);
            Assert.That(HardRules.Entries.Select(r => r.Rule), Is.EqualTo(Enum.GetValues<Exclusion>()));
            Assert.That(HardRules.Entries.Select(r => r.Name), Is.Unique);
        });
    }

    [Test]
    public void The_readme_lists_exactly_the_components_with_their_default_weights()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var header = Array.FindIndex(readme, line => line.StartsWith("| Component (default weight)", StringComparison.Ordinal));
        Assert.That(header, Is.GreaterThanOrEqualTo(0), "The README's components table is gone.");
        var rows = readme.Skip(header + 2).TakeWhile(line => line.StartsWith('|'))
            .Select(line => ReadmeRow().Match(line))
            .Select(m => (Name: m.Groups[1].Value, Weight: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), Description: m.Groups[3].Value))
            .ToList();

        Assert.That(rows, Is.EqualTo(ScoreComponents.All.Select(c => (c.Name, c.DefaultWeight, c.Description))));
    }

    private static IEnumerable<TestCaseData> ComponentRows()
    {
        yield return Component("themeFit", ThemeFitFromWords);
        yield return Component("language", LanguageFromWords);
        yield return Component("regionExperience", RegionExperienceFromWords);
        yield return Component("trackRecord", TrackRecordFromWords);
        yield return Component("southSouth", SouthSouthFromWords);
        yield return Component("rotation", RotationFromWords);
    }

    [Test]
    public void Every_component_has_a_row_pinning_its_words() =>
        Assert.That(ComponentRows().Select(row => row.Arguments[0]), Is.EqualTo(ScoreComponents.All.Select(c => c.Name)));

    /// <summary>Over random candidates, the figures the reasons quote give the component's value (within their rounding).</summary>
    [TestCaseSource(nameof(ComponentRows))]
    public void The_words_of_a_component_quote_its_value(string component, Func<IReadOnlyList<string>, (double Low, double High)> fromWords)
    {
        // Every fifth expert has not consented to the use of evaluations, so the words of both cases are pinned.
        var pool = RandomRoster.Make(new Random(17), 150).Select((c, i) => i % 5 == 0 ? c with { UsesEvaluations = false } : c).ToList();
        var result = MatchingEngine.Run(pool, Peru, Criteria.Taxonomy);

        Assert.That(result.Candidates, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var candidate in result.Candidates)
            {
                var (low, high) = fromWords(candidate.Reasons);
                Assert.That(candidate.Components[component], Is.InRange(low - 1e-9, high + 1e-9),
                    $"{candidate.Expert.Id}: {string.Join(" | ", candidate.Reasons)}");
            }
        });
    }

    private static IEnumerable<TestCaseData> RuleRows()
    {
        yield return Rule("inactive", c => c with { IsActive = false });
        yield return Rule("no_consent", c => c with { HasConsent = false });
        yield return Rule("required_language", c => c with { Languages = new Dictionary<string, int> { ["es"] = 3 } });
        yield return Rule("unavailable", c => c with { Unavailability = [Days("2027-03-05", "2027-03-06")] });
        yield return Rule("already_deployed", c => c with { Deployments = [.. c.Deployments, new PastDeployment(Days("2027-03-05", "2027-03-20"), ["BO"], ["legal"], null, null)] });
        yield return Rule("conflict_of_interest", c => c with { Nationality = "PE" });
        yield return Rule("do_not_redeploy", c => c with { Deployments = [.. c.Deployments, new PastDeployment(Days("2020-01-01", "2020-01-05"), ["BO"], ["legal"], 2, Recommendation.DoNotRedeploy)] });
        yield return Rule("excluded_by_request", c => c);
    }

    [Test]
    public void Every_hard_rule_has_a_row_pinning_its_words() =>
        Assert.That(RuleRows().Select(row => row.Arguments[0]), Is.EqualTo(HardRules.Entries.Select(r => r.Name)));

    /// <summary>Half of a random pool breaks the rule; its words are given exactly for those, alone, and the count agrees.</summary>
    [TestCaseSource(nameof(RuleRows))]
    public void The_words_of_a_hard_rule_are_given_exactly_when_its_check_fails(string rule, Func<Candidate, Candidate> breakIt)
    {
        var entry = HardRules.Entries.Single(r => r.Name == rule);
        var pool = RandomRoster.Make(new Random(23), 40)
            .Select((c, i) => c with { Languages = new Dictionary<string, int>(c.Languages) { ["es"] = 5 } })
            .Select((c, i) => i % 2 == 0 ? breakIt(c) : c)
            .ToList();
        var broken = pool.Where((_, i) => i % 2 == 0).Select(c => c.Id).ToHashSet();
        var criteria = Criteria.ForPeru(c => c with
        {
            Languages = [new LanguageNeed("es", 4, Required: true)],
            Excluded = rule == "excluded_by_request" ? broken : new HashSet<Guid>(),
            Explain = pool.Select(c => c.Id).ToList(),
            Limit = 200,
        });

        var result = MatchingEngine.Run(pool, criteria, Criteria.Taxonomy);

        Assert.Multiple(() =>
        {
            Assert.That(result.Excluded, Is.EqualTo(new Dictionary<string, int> { [rule] = broken.Count }));
            foreach (var explanation in result.Explanations)
            {
                var expert = pool.Single(c => c.Id == explanation.ExpertId);
                Assert.That(explanation.FailedRules, broken.Contains(expert.Id) ? Is.EqualTo(new[] { entry.Explain(expert, criteria) }) : Is.Empty);
            }
        });
    }

    private static (double, double) ThemeFitFromWords(IReadOnlyList<string> reasons)
    {
        var sum = 0.0;
        foreach (var need in Peru.Themes)
        {
            var within = reasons.Select(r => HoldsWithin().Match(r)).FirstOrDefault(m => m.Success && m.Groups[2].Value == need.Code);
            var broader = reasons.Select(r => HoldsBroader().Match(r)).FirstOrDefault(m => m.Success && m.Groups[2].Value == need.Code);
            sum += need.Weight * (within is null ? 0 : within.Groups[3].Success
                ? int.Parse(within.Groups[3].Value, CultureInfo.InvariantCulture) / 6.0
                : int.Parse(within.Groups[1].Value, CultureInfo.InvariantCulture) / 3.0);
            sum += need.Weight * (within is null && broader is not null ? int.Parse(broader.Groups[1].Value, CultureInfo.InvariantCulture) / 6.0 : 0);
        }

        var value = sum / Peru.Themes.Sum(t => t.Weight);
        return (value, value);
    }

    private static (double, double) LanguageFromWords(IReadOnlyList<string> reasons)
    {
        string[] ranks = ["none", "A1", "A2", "B1", "B2", "C1", "C2", "native"];
        var sum = 0.0;
        foreach (var need in Peru.Languages)
        {
            var spoken = reasons.Select(r => Speaks().Match(r)).FirstOrDefault(m => m.Success && m.Groups[1].Value == need.Code);
            var rank = spoken is null ? 0 : Array.IndexOf(ranks, spoken.Groups[2].Value);
            sum += rank >= need.MinRank ? 0.75 + 0.25 * (rank - need.MinRank) / Math.Max(1, 7 - need.MinRank) : 0.5 * rank / need.MinRank;
        }

        var value = sum / Peru.Languages.Count;
        return (value, value);
    }

    private static (double, double) RegionExperienceFromWords(IReadOnlyList<string> reasons) =>
        reasons.Any(r => r.StartsWith("Deployed before in ", StringComparison.Ordinal)) ? (1, 1)
        : reasons.Contains("Declares experience in a beneficiary country.") ? (0.7, 0.7)
        : reasons.Contains("Has experience in the region.") ? (0.4, 0.6)
        : (0, 0);

    private static (double, double) TrackRecordFromWords(IReadOnlyList<string> reasons)
    {
        var m = reasons.Select(r => TrackRecordWords().Match(r)).Single(m => m.Success);
        var relevant = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var themes = 0.5 * Math.Min(1.0, relevant / 3.0);
        if (m.Groups[3].Success)
        {
            return (themes, themes);
        }

        if (!m.Groups[2].Success)
        {
            return (themes + 0.25, themes + 0.25);
        }

        // The mean is quoted to one decimal.
        var mean = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return (themes + 0.5 * (mean - 0.05 - 1) / 4, themes + 0.5 * (mean + 0.05 - 1) / 4);
    }

    private static (double, double) SouthSouthFromWords(IReadOnlyList<string> reasons) =>
        reasons.Any(r => r.StartsWith("South-South: ", StringComparison.Ordinal)) ? (1, 1)
        : reasons.Any(r => r.StartsWith("South expert (", StringComparison.Ordinal)) ? (0.25, 0.25)
        : (0, 0);

    private static (double, double) RotationFromWords(IReadOnlyList<string> reasons)
    {
        var m = reasons.Select(r => RotationWords().Match(r)).Single(m => m.Success);
        var recent = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);

        // The share is quoted as a whole percentage.
        var share = m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) / 100.0 : 0;
        var spread = m.Groups[2].Success ? 0.005 : 0;
        double Value(double s) => 0.7 / (1 + recent) + 0.3 * (1 - Math.Min(1, 3 * Math.Max(0, s)));
        return (Value(share + spread), Value(share - spread));
    }

    private static TestCaseData Component(string name, Func<IReadOnlyList<string>, (double, double)> fromWords) =>
        new TestCaseData(name, fromWords).SetArgDisplayNames(name);

    private static TestCaseData Rule(string name, Func<Candidate, Candidate> breakIt) => new TestCaseData(name, breakIt).SetArgDisplayNames(name);

    private static DayRange Days(string from, string to) =>
        new(DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ear.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No Ear.sln above the test directory.");
    }

    [GeneratedRegex(@"^\| `(\w+)` \(([\d.]+)\) \| (.*) \|$")]
    private static partial Regex ReadmeRow();

    [GeneratedRegex(@"^Holds (?!the broader)\S+ at level (\d) \(.*\), within the requested ([^\s;]+)(?:; the broader theme \S+ at level (\d) counts more)?\.$")]
    private static partial Regex HoldsWithin();

    [GeneratedRegex(@"^Holds the broader theme \S+ at level (\d), not (\S+) itself\.$")]
    private static partial Regex HoldsBroader();

    [GeneratedRegex(@"^Speaks (\w+) at (\w+) \(")]
    private static partial Regex Speaks();

    [GeneratedRegex(@"^(\d+) past deployment\(s\) on these themes; (?:mean evaluation ([\d.]+)/5 over \d+|no evaluation yet|(past evaluations not used): the expert has not consented to their use in matching \(evaluation_use\))\.$")]
    private static partial Regex TrackRecordWords();

    [GeneratedRegex(@"^(\d+) deployment\(s\) in the two years before the period(?:; \w+ had (\d+) ?% of that time's deployments)?\.$")]
    private static partial Regex RotationWords();
}
