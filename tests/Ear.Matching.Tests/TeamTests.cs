using Ear.Matching;
using static Ear.Matching.Tests.ExpertBuilder;

namespace Ear.Matching.Tests;

public sealed class TeamTests
{
    /// <summary>
    /// Hundreds of random small rosters and constraints: the proposal is the brute-force optimum, and of
    /// equal totals the team first in the ranking order.
    /// </summary>
    [Test]
    public void The_team_is_optimal_against_brute_force_on_random_small_rosters()
    {
        var random = new Random(2009);
        var feasibleSeen = 0;
        for (var round = 0; round < 400; round++)
        {
            var pool = RandomRoster.Make(random, random.Next(4, 13));
            var spec = new TeamSpec(
                Size: random.Next(1, 5),
                MinEu: random.Next(0, 3),
                MinSouth: random.Next(0, 2),
                MaxOther: random.Next(0, 3) == 0 ? null : random.Next(0, 3),
                MaxPerCountry: random.Next(0, 2) == 0 ? null : random.Next(1, 3),
                MinWomen: random.Next(0, 3));
            var criteria = Criteria.ForPeru(c => c with
            {
                Team = spec,
                Themes = random.Next(0, 2) == 0 ? [new ThemeNeed("irregular", 1)] : [new ThemeNeed("irregular.trafficking", 1), new ThemeNeed("development.diaspora", 0.5)],
                Languages = [new LanguageNeed("es", random.Next(2, 6), Required: false)],
            });

            var result = MatchingEngine.Run(pool, criteria, Criteria.Taxonomy);
            var best = BruteForce(result, criteria, spec);

            Assert.That(result.Team!.Feasible, Is.EqualTo(best is not null), $"round {round}");
            if (best is not null)
            {
                feasibleSeen++;
                Assert.That(result.Team.TotalScore, Is.EqualTo(best.Value.Total).Within(1e-9), $"round {round}");
                Assert.That(result.Team.Members, Is.EqualTo(best.Value.Members), $"round {round}");
                Assert.That(result.Team.TotalScore, Is.EqualTo(result.Team.Members.Sum(m => result.Candidates.Single(c => c.Expert.Id == m).Score)).Within(1e-9));
            }
        }

        Assert.That(feasibleSeen, Is.GreaterThan(100), "the random cases must exercise feasible teams too");
    }

    [Test]
    public void Every_team_member_appears_among_the_candidates_even_past_the_limit()
    {
        var pool = Enumerable.Range(0, 5).Select(_ => (Candidate)AnExpert().Knowing("irregular.trafficking", 3)).ToList();
        Candidate south = AnExpert().Of(ExpertKind.SouthCivilServant, "SN").Knowing("legal", 1);
        pool.Add(south);

        var result = MatchingEngine.Run(pool, Criteria.ForPeru(c => c with { Limit = 2, Languages = [], Team = new TeamSpec(2, MinSouth: 1) }), Criteria.Taxonomy);

        Assert.Multiple(() =>
        {
            Assert.That(result.Team!.Members, Does.Contain(south.Id));
            Assert.That(result.Candidates.Select(c => c.Expert.Id), Is.SupersetOf(result.Team.Members));
            Assert.That(result.Candidates, Has.Count.EqualTo(3));
        });
    }

    [TestCase(2, 0, 3, 0, "minSouth")]
    [TestCase(3, 0, 0, 4, "minWomen")]
    [TestCase(6, 0, 0, 0, "size")]
    [TestCase(2, 3, 0, 0, "minEu")]
    public void An_infeasible_team_names_the_unmet_constraints(int size, int minEu, int minSouth, int minWomen, string unmet)
    {
        Candidate[] pool = [AnExpert(), AnExpert().Man(), AnExpert().Of(ExpertKind.SouthCivilServant, "SN"), AnExpert().Of(ExpertKind.Academic, "BE")];

        var result = Criteria.Run(Criteria.ForPeru(c => c with { Team = new TeamSpec(size, minEu, minSouth, MinWomen: minWomen) }), pool);

        Assert.Multiple(() =>
        {
            Assert.That(result.Team!.Feasible, Is.False);
            Assert.That(result.Team.Members, Is.Empty);
            Assert.That(result.Team.Unmet, Has.Some.StartsWith(unmet));
        });
    }

    [Test]
    public void A_requested_theme_nobody_holds_is_unmet()
    {
        var result = Criteria.Run(Criteria.ForPeru(c => c with { Themes = [new ThemeNeed("development.diaspora", 1)], Team = new TeamSpec(1) }), AnExpert());

        Assert.That(result.Team!.Unmet, Has.Some.Contains("development.diaspora"));
    }

    [Test]
    public void The_team_respects_the_limit_per_nationality_and_on_other_experts()
    {
        Candidate[] pool =
        [
            AnExpert().Knowing("irregular.trafficking", 3), AnExpert().Knowing("irregular.trafficking", 3),
            AnExpert().Of(ExpertKind.EuCivilServant, "ES", "ES").Knowing("irregular.trafficking", 1),
            AnExpert().Of(ExpertKind.Academic, "BE").Knowing("irregular.trafficking", 3),
        ];

        var result = Criteria.Run(Criteria.ForPeru(c => c with { Languages = [], Team = new TeamSpec(2, MaxPerCountry: 1, MaxOther: 0) }), pool);

        var members = result.Team!.Members.Select(id => pool.Single(p => p.Id == id)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(members.Select(m => m.Nationality), Is.EquivalentTo(new[] { "FR", "ES" }));
            Assert.That(members.Any(m => m.Kind == ExpertKind.Academic), Is.False);
        });
    }

    /// <summary>The best total, and of equal totals the team first in the ranking order (members listed in it).</summary>
    private static (double Total, List<Guid> Members)? BruteForce(MatchResult result, MatchCriteria criteria, TeamSpec spec)
    {
        var eligible = result.EligibleCount;
        var all = MatchingEngine.Run(result.Candidates.Select(c => c.Expert).ToList(), criteria with { Limit = 1000, Team = null }, Criteria.Taxonomy).Candidates;
        Assert.That(all, Has.Count.EqualTo(eligible));
        (double Total, List<Guid> Members)? best = null;
        foreach (var team in Combinations(all.ToList(), spec.Size))
        {
            if (Satisfies(team, criteria, spec))
            {
                var total = team.Sum(c => c.Score);
                if (best is null || total > best.Value.Total)
                {
                    best = (total, team.Select(c => c.Expert.Id).ToList());
                }
            }
        }

        return best;
    }

    private static bool Satisfies(List<RankedCandidate> team, MatchCriteria criteria, TeamSpec spec)
    {
        var experts = team.Select(t => t.Expert).ToList();
        return experts.Count(e => e.Origin == Origin.Eu) >= spec.MinEu
            && experts.Count(e => e.Origin == Origin.South) >= spec.MinSouth
            && (spec.MaxOther is null || experts.Count(e => e.Origin == Origin.Other) <= spec.MaxOther)
            && (spec.MaxPerCountry is null || experts.GroupBy(e => e.Nationality).All(g => g.Count() <= spec.MaxPerCountry))
            && experts.Count(e => e.IsWoman) >= spec.MinWomen
            && criteria.Themes.All(t => experts.Any(e => e.Themes.Keys.Any(held => Criteria.Taxonomy.IsWithin(held, t.Code))))
            && criteria.Languages.Where(l => !l.Required).All(l => experts.Any(e => e.Languages.GetValueOrDefault(l.Code) >= l.MinRank));
    }

    private static IEnumerable<List<T>> Combinations<T>(List<T> items, int size, int start = 0)
    {
        if (size == 0)
        {
            yield return [];
            yield break;
        }

        for (var i = start; i <= items.Count - size; i++)
        {
            foreach (var rest in Combinations(items, size - 1, i + 1))
            {
                yield return [items[i], .. rest];
            }
        }
    }
}
