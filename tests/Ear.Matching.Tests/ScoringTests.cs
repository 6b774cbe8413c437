using Ear.Matching;
using static Ear.Matching.Tests.ExpertBuilder;

namespace Ear.Matching.Tests;

/// <summary>Each row: a better and a worse expert for one component; the component must order them.</summary>
public sealed class ScoringTests
{
    private static IEnumerable<TestCaseData> Rows()
    {
        yield return Row("themeFit", AnExpert().Knowing("irregular.trafficking", 3), AnExpert().Knowing("irregular.trafficking", 2), "a higher level of the requested theme");
        yield return Row("themeFit", AnExpert().Knowing("irregular.trafficking", 1), AnExpert().Knowing("irregular", 1), "the theme itself over only its broader area");
        yield return Row("themeFit", AnExpert().Knowing("irregular", 1), AnExpert().Knowing("legal.labour-migration", 3), "a broader area over an unrelated theme");
        yield return Row("language", AnExpert().Speaking("es", 7), AnExpert().Speaking("es", 5), "native over C1");
        yield return Row("language", AnExpert().Speaking("es", 4), AnExpert().Speaking("es", 3), "at the minimum over just below it");
        yield return Row("language", AnExpert().Speaking("es", 2), AnExpert().Speaking("pt", 7), "some Spanish over none");
        yield return Row("regionExperience", AnExpert().Deployed("2015-01-01", "2015-01-05", country: "PE"), AnExpert().ExperiencedIn("PE"), "a deployment there over declared experience");
        yield return Row("regionExperience", AnExpert().ExperiencedIn("PE"), AnExpert().ExperiencedIn("BO"), "the beneficiary country over the region");
        yield return Row("regionExperience", AnExpert().ExperiencedIn("BO"), AnExpert().ExperiencedIn("SN"), "the region over elsewhere");
        yield return Row("trackRecord", AnExpert().Deployed("2015-01-01", "2015-01-05").Deployed("2016-01-01", "2016-01-05"), AnExpert().Deployed("2015-01-01", "2015-01-05"), "more deployments on these themes");
        yield return Row("trackRecord", AnExpert().Deployed("2015-01-01", "2015-01-05", rating: 5), AnExpert().Deployed("2015-01-01", "2015-01-05", rating: 2), "better evaluations");
        yield return Row("trackRecord", AnExpert().Deployed("2015-01-01", "2015-01-05"), AnExpert().Deployed("2015-01-01", "2015-01-05", theme: "legal.labour-migration"), "deployments on these themes over other themes");
        yield return Row("southSouth", AnExpert().Of(ExpertKind.SouthCivilServant, "BO"), AnExpert().Of(ExpertKind.SouthCivilServant, "SN"), "a South expert of the region over one from elsewhere");
        yield return Row("southSouth", AnExpert().Of(ExpertKind.SouthCivilServant, "SN"), AnExpert(), "a South expert over an EU one");
        yield return Row("rotation", AnExpert(), AnExpert().Deployed("2026-06-01", "2026-06-05"), "no recent deployment over one");
        yield return Row("rotation", AnExpert().Deployed("2024-01-01", "2024-01-05"), AnExpert().Deployed("2026-01-01", "2026-01-05").Deployed("2026-06-01", "2026-06-05"), "one recent deployment over two");
    }

    [TestCaseSource(nameof(Rows))]
    public void A_component_moves_in_the_right_direction(string component, Candidate better, Candidate worse)
    {
        var result = Criteria.Run(Criteria.ForPeru(), better, worse);

        var scores = result.Candidates.ToDictionary(c => c.Expert.Id, c => c.Components[component]);
        Assert.Multiple(() =>
        {
            Assert.That(scores[better.Id], Is.GreaterThan(scores[worse.Id]));
            Assert.That(scores.Values, Is.All.InRange(0.0, 1.0));
        });
    }

    [Test]
    public void A_member_state_with_a_large_share_of_recent_deployments_lowers_rotation()
    {
        Candidate busyState = AnExpert().Of(ExpertKind.EuCivilServant, "NL", "NL");
        Candidate quietState = AnExpert().Of(ExpertKind.EuCivilServant, "MT", "MT");
        var colleagues = Enumerable.Range(0, 3).Select(i => (Candidate)AnExpert().Of(ExpertKind.EuCivilServant, "NL", "NL").Deployed($"2026-0{i + 1}-01", $"2026-0{i + 1}-03")).ToArray();

        var result = Criteria.Run(Criteria.ForPeru(), [busyState, quietState, .. colleagues]);

        var rotation = result.Candidates.ToDictionary(c => c.Expert.Id, c => c.Components["rotation"]);
        Assert.That(rotation[quietState.Id], Is.GreaterThan(rotation[busyState.Id]));
    }

    [Test]
    public void The_score_is_the_weighted_sum_of_the_components()
    {
        var random = new Random(11);
        var pool = RandomRoster.Make(random, 60);
        foreach (var _ in Enumerable.Range(0, 20))
        {
            var weights = new Weights(random.NextDouble(), random.NextDouble(), random.NextDouble(), random.NextDouble(), random.NextDouble(), random.NextDouble());
            var result = MatchingEngine.Run(pool, Criteria.ForPeru(c => c with { Weights = weights, Limit = 100 }), Criteria.Taxonomy);

            foreach (var candidate in result.Candidates)
            {
                var sum = Weights.Names.Sum(name => weights[name] * candidate.Components[name]);
                Assert.That(candidate.Score, Is.EqualTo(sum).Within(1e-9));
            }
        }
    }

    [Test]
    public void The_ranking_is_deterministic_whatever_the_order_of_the_roster()
    {
        var pool = RandomRoster.Make(new Random(5), 80);
        var shuffled = pool.OrderBy(c => c.Id.GetHashCode()).ToList();

        var first = MatchingEngine.Run(pool, Criteria.ForPeru(c => c with { Limit = 80 }), Criteria.Taxonomy);
        var second = MatchingEngine.Run(shuffled, Criteria.ForPeru(c => c with { Limit = 80 }), Criteria.Taxonomy);

        Assert.That(second.Candidates.Select(c => (c.Expert.Id, c.Rank, c.Score)), Is.EqualTo(first.Candidates.Select(c => (c.Expert.Id, c.Rank, c.Score))));
    }

    [Test]
    public void Equal_scores_are_ranked_by_expert_id()
    {
        Candidate a = AnExpert();
        Candidate b = AnExpert().With(c => c with { Id = Guid.Empty });

        var result = Criteria.Run(Criteria.ForPeru(), a, b);

        Assert.That(result.Candidates.Select(c => c.Expert.Id), Is.EqualTo(new[] { Guid.Empty, a.Id }));
    }

    private static TestCaseData Row(string component, Candidate better, Candidate worse, string what) =>
        new TestCaseData(component, better, worse).SetName($"{component}: {what}");
}
