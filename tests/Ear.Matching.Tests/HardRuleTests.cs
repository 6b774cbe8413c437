using Ear.Matching;
using static Ear.Matching.Tests.ExpertBuilder;

namespace Ear.Matching.Tests;

public sealed class HardRuleTests
{
    private static IEnumerable<TestCaseData> Rules()
    {
        yield return Rule(AnExpert().With(c => c with { IsActive = false }), "inactive", "An inactive expert is excluded");
        yield return Rule(AnExpert().With(c => c with { HasConsent = false }), "no_consent", "An expert without consent is excluded");
        yield return Rule(AnExpert().Speaking("es", 3), "required_language", "Below the level of a required language is excluded");
        yield return Rule(AnExpert().Speaking("pt", 7), "required_language", "Without a required language is excluded");
        yield return Rule(AnExpert().Unavailable("2027-03-10", "2027-04-01"), "unavailable", "Unavailable on the last day is excluded");
        yield return Rule(AnExpert().Deployed("2027-02-20", "2027-03-01"), "already_deployed", "Deployed on the first day is excluded");
        yield return Rule(AnExpert().Of(ExpertKind.SouthCivilServant, "PE"), "conflict_of_interest", "A national of a beneficiary country is excluded");
        yield return Rule(AnExpert().Deployed("2020-01-01", "2020-01-05", recommendation: Recommendation.DoNotRedeploy), "do_not_redeploy", "An expert evaluated do_not_redeploy is excluded");
    }

    private static TestCaseData Rule(Candidate expert, string reason, string name) => new TestCaseData(expert, reason).SetName(name);

    [TestCaseSource(nameof(Rules))]
    public void Each_hard_rule_excludes_and_is_counted(Candidate expert, string reason)
    {
        var criteria = Criteria.ForPeru(c => c with { Languages = [new LanguageNeed("es", 4, Required: true)] });

        var result = Criteria.Run(criteria, expert, AnExpert().Speaking("es", 5));

        Assert.Multiple(() =>
        {
            Assert.That(result.Candidates.Select(c => c.Expert.Id), Does.Not.Contain(expert.Id));
            Assert.That(result.Excluded, Does.ContainKey(reason).WithValue(1));
            Assert.That(result.EligibleCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void An_expert_named_in_exclude_expert_ids_is_excluded()
    {
        Candidate expert = AnExpert();

        var result = Criteria.Run(Criteria.ForPeru(c => c with { Excluded = new HashSet<Guid> { expert.Id } }), expert);

        Assert.That(result.Excluded, Does.ContainKey("excluded_by_request").WithValue(1));
    }

    [TestCase("2027-02-20", "2027-02-28")]
    [TestCase("2027-03-11", "2027-03-20")]
    public void Days_just_outside_the_period_do_not_exclude(string from, string to)
    {
        var result = Criteria.Run(Criteria.ForPeru(), AnExpert().Unavailable(from, to), AnExpert().Deployed(from, to));

        Assert.That(result.EligibleCount, Is.EqualTo(2));
    }

    [Test]
    public void A_non_required_language_does_not_exclude()
    {
        var result = Criteria.Run(Criteria.ForPeru(), AnExpert().Speaking("en", 4));

        Assert.That(result.EligibleCount, Is.EqualTo(1));
    }

    [TestCase(3, 5, "es")]
    [TestCase(5, 2, "en")]
    [TestCase(2, 0, "es and en")]
    public void The_words_of_required_language_name_each_required_language_below_its_level(int es, int en, string named)
    {
        Candidate expert = AnExpert().With(c => c with { Languages = new Dictionary<string, int> { ["es"] = es, ["en"] = en } });
        var criteria = Criteria.ForPeru(c => c with
        {
            Languages = [new LanguageNeed("es", 4, Required: true), new LanguageNeed("en", 4, Required: true)],
            Explain = [expert.Id],
        });

        var result = Criteria.Run(criteria, expert);

        var expected = "Does not speak " + string.Join(" and ", named.Split(" and ").Select(code => $"{code} at the required level")) + ".";
        Assert.That(result.Explanations.Single().FailedRules, Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void An_excluded_expert_asked_about_is_explained_in_words()
    {
        Candidate expert = AnExpert().Of(ExpertKind.SouthCivilServant, "PE").With(c => c with { HasConsent = false });

        var result = Criteria.Run(Criteria.ForPeru(c => c with { Explain = [expert.Id] }), expert);

        var explanation = result.Explanations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(explanation.Candidate, Is.Null);
            Assert.That(explanation.FailedRules, Has.Count.EqualTo(2));
            Assert.That(explanation.FailedRules, Has.Some.Contains("conflict of interest"));
            Assert.That(explanation.FailedRules, Has.Some.Contains("consent"));
        });
    }
}
