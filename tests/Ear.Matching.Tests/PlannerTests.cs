using Ear.Matching.Planning;
using static Ear.Matching.Tests.ExpertBuilder;

namespace Ear.Matching.Tests;

public sealed class PlannerTests
{
    private static readonly DateOnly March = new(2027, 3, 1);

    /// <summary>
    /// Hundreds of tiny actions (2-3 activities, some overlapping, 6-10 candidates, random mixes, bonus
    /// and cap, sometimes an expert already deployed): the plan staffs as many activities as the brute
    /// force and is worth as much, and it is a valid plan.
    /// </summary>
    [Test]
    public void The_plan_is_optimal_against_brute_force_on_tiny_actions()
    {
        var random = new Random(2015);
        var staffedSeen = 0;
        var bonusEarned = 0;
        for (var round = 0; round < 150; round++)
        {
            var (pool, criteria) = RandomAction(random, experts: random.Next(6, 11), activities: random.Next(2, 4), maxSize: 3);

            var result = Planner.Plan(new Roster(pool), criteria, Criteria.Taxonomy);
            var best = BruteForce(pool, criteria);

            Assert.That(result.Optimal, Is.True, $"round {round}");
            AssertValid(result, pool, criteria, $"round {round}");
            Assert.That(result.Activities.Count(a => a.Staffed && a.Needed > 0), Is.EqualTo(best.Staffed), $"round {round}");
            Assert.That(result.Value, Is.EqualTo(best.Value).Within(1e-5), $"round {round}");
            staffedSeen += best.Staffed;
            bonusEarned += result.Continuity.Count;
        }

        Assert.Multiple(() =>
        {
            Assert.That(staffedSeen, Is.GreaterThan(150), "the random cases must staff activities");
            Assert.That(bonusEarned, Is.GreaterThan(20), "the random cases must earn continuity bonuses");
        });
    }

    /// <summary>
    /// Larger pools, where the exchange argument drops candidates: the plan over the kept candidates is
    /// worth exactly as much as the plan over every eligible expert.
    /// </summary>
    [Test]
    public void Dropping_candidates_never_changes_the_optimum()
    {
        var random = new Random(2024);
        var dropped = 0;
        for (var round = 0; round < 40; round++)
        {
            var (pool, criteria) = RandomAction(random, experts: random.Next(40, 90), activities: random.Next(2, 5), maxSize: 3);
            var roster = new Roster(pool);

            var reduced = CandidatePools.Prepare(roster, criteria, Criteria.Taxonomy);
            var full = CandidatePools.Prepare(roster, criteria, Criteria.Taxonomy, reduce: false);
            var parameters = Planner.Parameters(TimeSpan.FromSeconds(30), workers: 2);
            var fromReduced = Planner.Solve(reduced, parameters, CancellationToken.None);
            var fromAll = Planner.Solve(full, parameters, CancellationToken.None);

            Assert.That(fromReduced.Optimal && fromAll.Optimal, Is.True, $"round {round}");
            Assert.That(fromReduced.Value, Is.EqualTo(fromAll.Value).Within(1e-5), $"round {round}");
            Assert.That(fromReduced.Activities.Count(a => a.Staffed), Is.EqualTo(fromAll.Activities.Count(a => a.Staffed)), $"round {round}");
            dropped += full.Activities.Sum(a => a.Kept.Count) - reduced.Activities.Sum(a => a.Kept.Count);
        }

        Assert.That(dropped, Is.GreaterThan(500), "the reduction must drop candidates in these cases");
    }

    [Test]
    public void Stopped_by_the_time_limit_the_plan_is_not_claimed_optimal_and_its_bound_is_at_least_its_value()
    {
        var random = new Random(7);
        var (pool, criteria) = RandomAction(random, experts: 400, activities: 8, maxSize: 4, minSize: 2);
        criteria = criteria with { ContinuityBonus = 0.2 };
        var problem = CandidatePools.Prepare(new Roster(pool), criteria, Criteria.Taxonomy, reduce: false);

        // A deterministic budget, so that the same search stops at the same place on any machine.
        var result = Planner.Solve(problem, "max_deterministic_time:0.3 num_workers:1 random_seed:1", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo("feasible"));
            Assert.That(result.Optimal, Is.False);
            Assert.That(result.Bound, Is.Not.Null);
            Assert.That(result.Bound!.Value, Is.GreaterThanOrEqualTo(result.Value));
            Assert.That(result.Value, Is.GreaterThan(0));
        });
        AssertValid(result, pool, criteria, "stopped");
    }

    /// <summary>The greedy plan is what answers when the solver finds nothing in time: it must be valid whatever it is worth.</summary>
    [Test]
    public void The_greedy_plan_the_solver_starts_from_is_valid()
    {
        var random = new Random(1789);
        var staffed = 0;
        for (var round = 0; round < 100; round++)
        {
            var (pool, criteria) = RandomAction(random, experts: random.Next(6, 40), activities: random.Next(2, 6), maxSize: 4);
            var problem = CandidatePools.Prepare(new Roster(pool), criteria, Criteria.Taxonomy);

            var teams = GreedyPlan.Build(problem, Enumerable.Range(0, problem.Activities.Count).Where(a => problem.Activities[a].Needed > 0 && problem.Activities[a].Unmet.Count == 0).ToList());

            var outcomes = problem.Activities.Select((a, i) => new ActivityOutcome(a.Activity.Id, a.Needed, teams.ContainsKey(i),
                teams.TryGetValue(i, out var team) ? team.Select(m => new PlannedMember(problem.Experts[m.Expert].Id, m.Score)).ToList() : [],
                team?.Sum(m => m.Score) ?? 0, [], a.Eligible, a.Kept.Count)).ToList();
            AssertValid(new PlanResult(outcomes, [], outcomes.Sum(o => o.TeamScore), null, false, "unknown", new PlanModelSize(0, 0, 0), TimeSpan.Zero), pool, criteria, $"round {round}");
            staffed += teams.Count;
        }

        Assert.That(staffed, Is.GreaterThan(100), "the random cases must staff activities");
    }

    [Test]
    public void An_expert_is_not_booked_on_activities_that_share_a_day_but_may_staff_those_that_do_not()
    {
        Candidate star = AnExpert().Knowing("irregular.trafficking", 3).Speaking("es", 7);
        Candidate[] pool = [star, AnExpert().Knowing("irregular.trafficking", 1).Speaking("es", 4), AnExpert().Knowing("irregular", 1).Speaking("es", 4)];
        var criteria = PlanFor(
            Activity(0, 4, new TeamSpec(1)),
            Activity(2, 6, new TeamSpec(1)),
            Activity(10, 12, new TeamSpec(1)));

        var result = Planner.Plan(new Roster(pool), criteria, Criteria.Taxonomy);

        var starOn = result.Activities.Where(a => a.Members.Any(m => m.ExpertId == star.Id)).Select(a => a.ActivityId).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Optimal, Is.True);
            Assert.That(starOn, Has.Count.EqualTo(2));
            Assert.That(starOn, Does.Contain(criteria.Activities[2].Id));
            Assert.That(result.Continuity.Single().ExpertId, Is.EqualTo(star.Id));
            Assert.That(result.Continuity.Single().Bonus, Is.EqualTo(criteria.ContinuityBonus));
        });
    }

    [Test]
    public void An_activity_that_cannot_be_staffed_names_the_constraint_and_the_others_are_still_staffed()
    {
        Candidate[] pool = [AnExpert(), AnExpert().Man()];
        var criteria = PlanFor(Activity(0, 2, new TeamSpec(2, MinSouth: 1)), Activity(5, 6, new TeamSpec(1)));

        var result = Planner.Plan(new Roster(pool), criteria with { Action = criteria.Action with { Languages = [] } }, Criteria.Taxonomy);

        Assert.Multiple(() =>
        {
            Assert.That(result.Activities[0].Staffed, Is.False);
            Assert.That(result.Activities[0].Unmet, Has.Some.StartsWith("minSouth"));
            Assert.That(result.Activities[1].Staffed, Is.True);
            Assert.That(result.Activities[1].Members, Has.Count.EqualTo(1));
        });
    }

    /// <summary>
    /// Better candidates of one nationality do not make a weaker one of another nationality droppable when
    /// maxPerCountry keeps them from the same team: the reduction counts each nationality at most P times
    /// and asks for more of them when some nationalities may be full.
    /// </summary>
    [Test]
    public void Better_candidates_who_share_a_nationality_do_not_crowd_out_another_when_a_team_takes_one_per_country()
    {
        var french = Enumerable.Range(0, 3).Select(_ => (Candidate)AnExpert().Knowing("irregular.trafficking", 3)).ToList();
        Candidate spanish = AnExpert().Of(ExpertKind.EuCivilServant, "ES", "ES").Knowing("irregular.trafficking", 1);
        var criteria = PlanFor(Activity(0, 2, new TeamSpec(2, MaxPerCountry: 1)));

        var problem = CandidatePools.Prepare(new Roster([.. french, spanish]), criteria with { Action = criteria.Action with { Languages = [] } }, Criteria.Taxonomy);
        var result = Planner.Solve(problem, Planner.Parameters(TimeSpan.FromSeconds(10), workers: 1), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(problem.Activities[0].Kept.Select(k => problem.Experts[k.Expert].Id), Does.Contain(spanish.Id));
            Assert.That(result.Activities[0].Members.Select(m => m.ExpertId), Does.Contain(spanish.Id));
        });
    }

    /// <summary>A better candidate busy on an overlapping activity cannot replace a weaker one: the reduction counts the places of overlapping activities.</summary>
    [Test]
    public void Two_overlapping_activities_take_one_of_two_experts_each_however_far_apart_their_scores()
    {
        Candidate strong = AnExpert().Knowing("irregular.trafficking", 3);
        Candidate weak = AnExpert().Man().Knowing("irregular.trafficking", 1);
        var criteria = PlanFor(Activity(0, 2, new TeamSpec(1)), Activity(1, 3, new TeamSpec(1)));

        var result = Planner.Plan(new Roster([strong, weak]), criteria with { Action = criteria.Action with { Languages = [] } }, Criteria.Taxonomy);

        Assert.That(result.Activities.SelectMany(a => a.Members).Select(m => m.ExpertId), Is.EquivalentTo(new[] { strong.Id, weak.Id }));
    }

    /// <summary>
    /// Experts already on the action reach the cap with fewer new activities: two strong ones, each one
    /// activity short of the cap, leave the third activity to a weaker expert, whom the reduction must keep.
    /// </summary>
    [Test]
    public void Experts_near_the_cap_through_earlier_deployments_leave_room_for_a_weaker_one()
    {
        var earlier = new DayRange(March.AddDays(40), March.AddDays(41));
        var strong = Enumerable.Range(0, 2).Select(_ => (Candidate)AnExpert().Knowing("irregular.trafficking", 3)
            .With(c => c with { Deployments = [new PastDeployment(earlier, ["PE"], ["irregular"], null, null)] })).ToList();
        Candidate weak = AnExpert().Man().Knowing("irregular.trafficking", 1);
        var criteria = PlanFor(Activity(0, 1, new TeamSpec(1)), Activity(5, 6, new TeamSpec(1)), Activity(10, 11, new TeamSpec(1))) with
        {
            MaxActivitiesPerExpert = 2,
            ActionDeployments = strong.ToDictionary(c => c.Id, _ => 1),
        };

        var result = Planner.Plan(new Roster([.. strong, weak]), criteria with { Action = criteria.Action with { Languages = [] } }, Criteria.Taxonomy);

        Assert.Multiple(() =>
        {
            Assert.That(result.Activities.All(a => a.Staffed), Is.True);
            Assert.That(result.Activities.SelectMany(a => a.Members).Select(m => m.ExpertId), Is.EquivalentTo(new[] { strong[0].Id, strong[1].Id, weak.Id }));
        });
    }

    [Test]
    public void Activities_competing_for_the_same_few_experts_leave_one_unstaffed_and_say_so()
    {
        Candidate[] pool = [AnExpert(), AnExpert().Man()];
        var criteria = PlanFor(Activity(0, 2, new TeamSpec(2)), Activity(1, 3, new TeamSpec(1)));

        var result = Planner.Plan(new Roster(pool), criteria with { Action = criteria.Action with { Languages = [] } }, Criteria.Taxonomy);

        Assert.Multiple(() =>
        {
            Assert.That(result.Activities.Count(a => a.Staffed), Is.EqualTo(1));
            Assert.That(result.Activities.Single(a => !a.Staffed).Unmet.Single(), Does.StartWith("its candidates are needed elsewhere"));
        });
    }

    private static PlanActivity Activity(int from, int to, TeamSpec team, params Guid[] members) =>
        new(Guid.NewGuid(), new DayRange(March.AddDays(from), March.AddDays(to)), team, members);

    private static PlanCriteria PlanFor(params PlanActivity[] activities) => new()
    {
        Action = Criteria.ForPeru(),
        Activities = activities,
        ContinuityBonus = 0.05,
        MaxActivitiesPerExpert = 3,
    };

    /// <summary>A random roster and action: activities in March 2027 (some overlapping), random team mixes, bonus and cap, and sometimes a member already deployed.</summary>
    private static (List<Candidate> Pool, PlanCriteria Criteria) RandomAction(Random random, int experts, int activities, int maxSize, int minSize = 1)
    {
        var pool = RandomRoster.Make(random, experts);
        var list = new List<PlanActivity>();
        for (var i = 0; i < activities; i++)
        {
            var from = random.Next(0, 20);
            var size = random.Next(minSize, maxSize + 1);
            var spec = new TeamSpec(
                size,
                MinEu: random.Next(0, 3) == 0 ? 1 : 0,
                MinSouth: random.Next(0, 5) == 0 ? 1 : 0,
                MaxOther: random.Next(0, 3) == 0 ? random.Next(0, 2) : null,
                MaxPerCountry: random.Next(0, 3) == 0 ? random.Next(1, 3) : null,
                MinWomen: random.Next(0, 3) == 0 ? 1 : 0);
            list.Add(new PlanActivity(new Guid(i + 1, 0, 0, new byte[8]), new DayRange(March.AddDays(from), March.AddDays(from + random.Next(0, 5))), spec, []));
        }

        var already = new Dictionary<Guid, int>();
        if (random.Next(0, 3) == 0)
        {
            // The first expert is deployed on the first activity already (and so busy on its days).
            var member = pool[0];
            pool[0] = member with { Deployments = [.. member.Deployments, new PastDeployment(list[0].Days, ["PE"], ["irregular"], null, null)] };
            list[0] = list[0] with { Members = [member.Id] };
            already[member.Id] = 1;
        }

        var criteria = new PlanCriteria
        {
            Action = Criteria.ForPeru(c => c with
            {
                Themes = random.Next(0, 2) == 0 ? [new ThemeNeed("irregular", 1)] : [new ThemeNeed("irregular.trafficking", 1), new ThemeNeed("development.diaspora", 0.5)],
                Languages = [new LanguageNeed("es", random.Next(2, 6), Required: false)],
            }),
            Activities = list,
            ContinuityBonus = new[] { 0, 0.02, 0.05, 0.3 }[random.Next(4)],
            MaxActivitiesPerExpert = random.Next(1, 4),
            ActionDeployments = already,
            TimeLimit = TimeSpan.FromSeconds(30),
        };
        return (pool, criteria);
    }

    /// <summary>The best (activities staffed, value) over every combination of teams, found by enumeration with the matching engine's scores.</summary>
    private static (int Staffed, double Value) BruteForce(List<Candidate> pool, PlanCriteria criteria)
    {
        var capped = criteria.ActionDeployments.Where(d => d.Value >= criteria.MaxActivitiesPerExpert).Select(d => d.Key).ToHashSet();
        var eligible = criteria.Activities.Select(a => MatchingEngine.Run(pool,
            criteria.Action with { Period = a.Days, Team = null, Limit = 1000, Excluded = capped }, Criteria.Taxonomy).Candidates).ToList();
        var byId = pool.ToDictionary(p => p.Id);
        var chosen = new List<Guid>[criteria.Activities.Count];
        var best = (Staffed: -1, Value: double.NegativeInfinity);

        void Visit(int a)
        {
            if (a == criteria.Activities.Count)
            {
                var staffed = chosen.Count(c => c.Count > 0);
                var value = Enumerable.Range(0, chosen.Length).Sum(i => chosen[i].Sum(id => eligible[i].Single(c => c.Expert.Id == id).Score))
                    + chosen.SelectMany(c => c).GroupBy(id => id).Sum(g =>
                        criteria.ContinuityBonus * (criteria.ActionDeployments.GetValueOrDefault(g.Key) > 0 ? g.Count() : g.Count() - 1));
                if (staffed > best.Staffed || (staffed == best.Staffed && value > best.Value))
                {
                    best = (staffed, value);
                }

                return;
            }

            var activity = criteria.Activities[a];
            var needed = activity.Team.Size - activity.Members.Count;
            chosen[a] = [];
            Visit(a + 1);
            if (needed <= 0)
            {
                return;
            }

            foreach (var team in Combinations(eligible[a].Select(c => c.Expert.Id).ToList(), needed))
            {
                var whole = team.Concat(activity.Members).Select(id => byId[id]).ToList();
                var free = team.All(id =>
                    Enumerable.Range(0, a).All(b => !chosen[b].Contains(id) || !criteria.Activities[b].Days.Overlaps(activity.Days))
                    && Enumerable.Range(0, a).Count(b => chosen[b].Contains(id)) + 1 + criteria.ActionDeployments.GetValueOrDefault(id) <= criteria.MaxActivitiesPerExpert);
                if (free && Satisfies(whole, criteria.Action, activity.Team))
                {
                    chosen[a] = team;
                    Visit(a + 1);
                }
            }

            chosen[a] = [];
        }

        Visit(0);
        return best;
    }

    /// <summary>Checks the plan itself: teams of the right size and mix, nobody twice on a day or over the cap, eligible for the activity, and the value adds up.</summary>
    private static void AssertValid(PlanResult result, List<Candidate> pool, PlanCriteria criteria, string round)
    {
        var byId = pool.ToDictionary(p => p.Id);
        var booked = new Dictionary<Guid, List<DayRange>>();
        for (var i = 0; i < criteria.Activities.Count; i++)
        {
            var activity = criteria.Activities[i];
            var outcome = result.Activities[i];
            Assert.That(outcome.ActivityId, Is.EqualTo(activity.Id), round);
            if (outcome.Members.Count == 0)
            {
                continue;
            }

            Assert.That(outcome.Members, Has.Count.EqualTo(activity.Team.Size - activity.Members.Count), round);
            Assert.That(Satisfies(outcome.Members.Select(m => m.ExpertId).Concat(activity.Members).Select(id => byId[id]).ToList(), criteria.Action, activity.Team), round);
            foreach (var member in outcome.Members)
            {
                var days = booked.TryGetValue(member.ExpertId, out var list) ? list : booked[member.ExpertId] = [];
                Assert.That(days.Any(d => d.Overlaps(activity.Days)), Is.False, $"{round}: {member.ExpertId} booked twice on a day");
                Assert.That(byId[member.ExpertId].Deployments.Any(d => d.Days.Overlaps(activity.Days)), Is.False, $"{round}: already deployed");
                days.Add(activity.Days);
            }
        }

        Assert.That(booked.All(b => b.Value.Count + criteria.ActionDeployments.GetValueOrDefault(b.Key) <= criteria.MaxActivitiesPerExpert), round);
        Assert.That(result.Value, Is.EqualTo(result.Activities.Sum(a => a.TeamScore) + result.Continuity.Sum(c => c.Bonus)).Within(1e-9), round);
    }

    private static bool Satisfies(List<Candidate> experts, MatchCriteria criteria, TeamSpec spec) =>
        experts.Count == spec.Size
        && experts.Count(e => e.Origin == Origin.Eu) >= spec.MinEu
        && experts.Count(e => e.Origin == Origin.South) >= spec.MinSouth
        && (spec.MaxOther is null || experts.Count(e => e.Origin == Origin.Other) <= spec.MaxOther)
        && (spec.MaxPerCountry is null || experts.GroupBy(e => e.Nationality).All(g => g.Count() <= spec.MaxPerCountry))
        && experts.Count(e => e.IsWoman) >= spec.MinWomen
        && criteria.Themes.All(t => experts.Any(e => e.Themes.Keys.Any(held => Criteria.Taxonomy.IsWithin(held, t.Code))))
        && criteria.Languages.Where(l => !l.Required).All(l => experts.Any(e => e.Languages.GetValueOrDefault(l.Code) >= l.MinRank));

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
