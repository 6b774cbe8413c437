using System.Globalization;
using Ear.Matching;
using static Ear.Matching.Tests.ExpertBuilder;

namespace Ear.Matching.Tests;

/// <summary>
/// "Why not in the team": for an eligible expert the proposed team leaves out, the best team that holds
/// it, what that costs, or the constraint that no team holding it can meet.
/// </summary>
public sealed class WhyNotTests
{
    /// <summary>
    /// Small random rosters with every team constraint, every expert explained: each alternative is the
    /// best team holding the expert as an exhaustive search over every eligible expert finds it.
    /// </summary>
    [Test]
    public void The_alternative_is_the_best_team_holding_the_expert_that_exhaustive_search_finds()
    {
        var random = new Random(1313);
        int feasible = 0, infeasible = 0, droppedByTheReduction = 0;
        for (var round = 0; round < 1000; round++)
        {
            // Every other round asks for one theme and no language, so that most teams are feasible.
            var criteria = TeamExactnessTests.RandomCriteria(random);
            criteria = round % 2 == 0 ? criteria : criteria with { Themes = criteria.Themes.Take(1).ToList(), Languages = [] };
            var pool = TeamExactnessTests.RandomPool(random, random.Next(6, 15), criteria);
            var scored = MatchingEngine.Run(pool, criteria with { Team = null, Limit = pool.Count }, Criteria.Taxonomy).Candidates;
            var result = MatchingEngine.Run(pool, criteria with { Explain = pool.Select(e => e.Id).ToList() }, Criteria.Taxonomy);
            var team = result.Team!;

            foreach (var explanation in result.Explanations.Where(e => e.Candidate is not null))
            {
                var context = $"round {round}: {scored.Count} eligible, {criteria.Team}, expert {explanation.ExpertId}";
                if (team.Members.Contains(explanation.ExpertId))
                {
                    Assert.That(explanation.Alternative, Is.Null, context);
                    continue;
                }

                var alternative = explanation.Alternative!;
                var oracle = BestHolding(scored, criteria, explanation.ExpertId);
                Assert.That(alternative.Feasible, Is.EqualTo(oracle is not null), context);
                if (oracle is null)
                {
                    infeasible++;
                    Assert.That(alternative.Unmet, Is.Not.Empty, context);
                    continue;
                }

                feasible++;
                droppedByTheReduction += result.ShortlistSize < scored.Count ? 1 : 0;
                var members = alternative.Members.Select(id => scored.Single(c => c.Expert.Id == id)).ToList();
                Assert.Multiple(() =>
                {
                    Assert.That(alternative.Members, Does.Contain(explanation.ExpertId), context);
                    Assert.That(TeamExactnessTests.Satisfies(members.Select(m => m.Expert).ToList(), criteria), Is.True, context);
                    Assert.That(alternative.TotalScore, Is.EqualTo(members.Sum(m => m.Score)).Within(1e-9), context);
                    Assert.That(alternative.TotalScore, Is.EqualTo(oracle.Value).Within(1e-9), context);
                    Assert.That(alternative.Difference, Is.GreaterThanOrEqualTo(0), context);
                    Assert.That(alternative.Difference, Is.EqualTo(team.TotalScore - alternative.TotalScore).Within(1e-9), context);
                    Assert.That(alternative.Summary, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"by {alternative.Difference:F2}:")), context);
                    Assert.That(alternative.Summary, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"total {alternative.TotalScore:F2} against {team.TotalScore:F2}")), context);
                });
            }
        }

        TestContext.Out.WriteLine($"{feasible} feasible alternatives ({droppedByTheReduction} from a reduced pool), {infeasible} infeasible");
        Assert.Multiple(() =>
        {
            Assert.That(feasible, Is.GreaterThan(400), "feasible alternatives must be exercised");
            Assert.That(droppedByTheReduction, Is.GreaterThan(100), "alternatives from a reduced pool must be exercised");
            Assert.That(infeasible, Is.GreaterThan(20), "infeasible alternatives must be exercised");
        });
    }

    [Test]
    public void An_expert_the_reduction_dropped_is_still_placed_and_the_cost_is_its_gap_to_the_member_it_replaces()
    {
        var best = AnExpert().Knowing("irregular.trafficking", 3).Candidate;
        var second = AnExpert().Knowing("irregular.trafficking", 3).Candidate;
        var others = Enumerable.Range(0, 4).Select(_ => AnExpert().Knowing("irregular.trafficking", 3).Candidate).ToList();
        var weaker = AnExpert().Knowing("irregular.trafficking", 1).Candidate;
        var criteria = Criteria.ForPeru(c => c with { Languages = [], Team = new TeamSpec(2), Explain = [weaker.Id] });

        var result = Criteria.Run(criteria, [best, second, .. others, weaker]);

        var alternative = result.Explanations.Single().Alternative!;
        var score = result.Explanations.Single().Candidate!.Score;
        Assert.Multiple(() =>
        {
            Assert.That(result.ShortlistSize, Is.EqualTo(2), "the weaker expert is not in the reduced pool");
            Assert.That(alternative.Feasible, Is.True);
            Assert.That(alternative.Members, Does.Contain(weaker.Id));
            Assert.That(alternative.Members, Has.Count.EqualTo(2));
            Assert.That(alternative.Difference, Is.EqualTo(result.Team!.TotalScore - alternative.TotalScore).Within(1e-12));
            Assert.That(alternative.TotalScore, Is.EqualTo(result.Candidates[0].Score + score).Within(1e-12));
        });
    }

    /// <summary>An expert whose own traits leave no team possible: the constraint is named, as the team's unmet names it.</summary>
    [TestCase("minSouth", 2, 0, 2, null, 0, TestName = "An_EU_expert_cannot_join_a_team_of_two_that_must_be_all_South")]
    [TestCase("maxOther", 2, 0, 0, 0, 0, TestName = "An_other_expert_cannot_join_a_team_that_allows_no_other_experts")]
    [TestCase("minWomen", 2, 0, 0, null, 2, TestName = "A_man_cannot_join_a_team_of_two_that_must_be_all_women")]
    [TestCase("minEu + minSouth", 2, 1, 1, null, 0, TestName = "An_other_expert_cannot_join_a_team_of_two_that_must_hold_an_EU_and_a_South_expert")]
    [TestCase("the constraints together", 2, 0, 1, null, 1, TestName = "An_EU_man_cannot_join_when_the_one_place_left_must_be_a_South_woman_and_none_exists")]
    public void An_expert_no_feasible_team_can_hold_names_the_constraint(string constraint, int size, int minEu, int minSouth, int? maxOther, int minWomen)
    {
        var expert = constraint switch
        {
            "maxOther" or "minEu + minSouth" => AnExpert().Of(ExpertKind.Academic, "US").Man().Candidate,
            _ => AnExpert().Man().Candidate,
        };
        List<Candidate> pool =
        [
            AnExpert().Of(ExpertKind.SouthCivilServant, "SN").Candidate,
            AnExpert().Of(ExpertKind.SouthCivilServant, "MA").Candidate,
            AnExpert().Of(ExpertKind.SouthCivilServant, "BR").Man().Candidate,
            AnExpert().Candidate,
            expert,
        ];
        if (constraint == "the constraints together")
        {
            pool.RemoveRange(0, 2);
        }

        var criteria = Criteria.ForPeru(c => c with
        {
            Languages = [],
            Team = new TeamSpec(size, minEu, minSouth, maxOther, MinWomen: minWomen),
            Explain = [expert.Id],
        });

        var result = MatchingEngine.Run(pool, criteria, Criteria.Taxonomy);

        var alternative = result.Explanations.Single().Alternative!;
        Assert.Multiple(() =>
        {
            Assert.That(result.Team!.Feasible, Is.True, string.Join("; ", result.Team.Unmet));
            Assert.That(alternative.Feasible, Is.False);
            Assert.That(alternative.Members, Is.Empty);
            Assert.That(alternative.Difference, Is.Null);
            Assert.That(alternative.Unmet, Has.Count.EqualTo(1));
            Assert.That(alternative.Unmet[0], Does.StartWith(constraint + (constraint == "the constraints together" ? " (" : ":")));
            Assert.That(alternative.Summary, Does.StartWith($"No team that includes {expert.Id} meets the constraints: {alternative.Unmet[0]}"));
        });
    }

    [Test]
    public void No_alternative_is_given_without_a_team_for_a_member_or_for_an_excluded_expert()
    {
        var member = AnExpert().Knowing("irregular.trafficking", 3).Candidate;
        var excluded = AnExpert().With(c => c with { IsActive = false }).Candidate;
        var other = AnExpert().Knowing("irregular.trafficking", 1).Candidate;
        var withTeam = Criteria.ForPeru(c => c with { Languages = [], Team = new TeamSpec(1), Explain = [member.Id, excluded.Id, other.Id] });

        var result = Criteria.Run(withTeam, member, excluded, other);
        var withoutTeam = Criteria.Run(withTeam with { Team = null }, member, excluded, other);

        Assert.Multiple(() =>
        {
            Assert.That(result.Explanations.Select(e => e.Alternative is not null), Is.EqualTo(new[] { false, false, true }));
            Assert.That(withoutTeam.Explanations.Select(e => e.Alternative), Has.All.Null);
        });
    }

    /// <summary>The best total of a team holding the expert, by trying every team of the eligible experts; null when none meets the constraints.</summary>
    private static double? BestHolding(IReadOnlyList<RankedCandidate> scored, MatchCriteria criteria, Guid expert)
    {
        var size = criteria.Team!.Size;
        var forced = scored.Single(c => c.Expert.Id == expert);
        var others = scored.Where(c => c.Expert.Id != expert).ToList();
        double? best = null;
        foreach (var rest in Subsets(others.Count, size - 1))
        {
            var team = rest.Select(i => others[i]).Append(forced).ToList();
            if (TeamExactnessTests.Satisfies(team.Select(m => m.Expert).ToList(), criteria))
            {
                var total = team.Sum(m => m.Score);
                best = best is null ? total : Math.Max(best.Value, total);
            }
        }

        return best;
    }

    private static IEnumerable<int[]> Subsets(int n, int k, int from = 0)
    {
        if (k == 0)
        {
            yield return [];
            yield break;
        }

        for (var i = from; i <= n - k; i++)
        {
            foreach (var rest in Subsets(n, k - 1, i + 1))
            {
                yield return [i, .. rest];
            }
        }
    }
}
