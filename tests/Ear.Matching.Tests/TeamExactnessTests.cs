using System.Diagnostics;
using Ear.Matching;
using Google.OrTools.Sat;
using static Ear.Matching.Tests.ExpertBuilder;

namespace Ear.Matching.Tests;

/// <summary>
/// The team is the optimum over the whole eligible roster, not over its best few: rosters built so that
/// the members needed rank far down, and an independent exact solver (CP-SAT) on large random rosters.
/// </summary>
public sealed class TeamExactnessTests
{
    private static readonly string[] Themes = ["irregular.trafficking", "development.diaspora", "legal.labour-migration", "irregular.border-management"];
    private static readonly string[] Languages = ["es", "pt", "ar"];
    private static readonly string[] Nationalities = ["FR", "DE", "IT", "ES", "NL", "BE", "SN", "MA", "BR", "CO", "BO", "AR", "TN", "GH", "KE", "IN", "PH", "MX", "CL", "EC"];

    [Test]
    public void Three_South_experts_of_three_nationalities_are_found_below_many_of_one_nationality()
    {
        var pool = Enumerable.Range(0, 250).Select(_ => (Candidate)AnExpert().Of(ExpertKind.SouthCivilServant, "BR").Knowing("irregular.trafficking", 3)).ToList();
        Candidate senegalese = AnExpert().Of(ExpertKind.SouthCivilServant, "SN").Knowing("irregular.trafficking", 2);
        Candidate moroccan = AnExpert().Of(ExpertKind.SouthCivilServant, "MA").Knowing("irregular.trafficking", 1);
        Candidate secondSenegalese = AnExpert().Of(ExpertKind.SouthCivilServant, "SN").Knowing("irregular.trafficking", 1);
        pool.AddRange([senegalese, moroccan, secondSenegalese]);
        pool.AddRange(Enumerable.Range(0, 100).Select(_ => (Candidate)AnExpert().Knowing("irregular.trafficking", 2)));

        var result = MatchingEngine.Run(pool, Criteria.ForPeru(c => c with { Languages = [], Team = new TeamSpec(3, MinSouth: 3, MaxPerCountry: 1) }), Criteria.Taxonomy);

        Assert.Multiple(() =>
        {
            Assert.That(result.Team!.Feasible, Is.True, string.Join("; ", result.Team.Unmet));
            Assert.That(result.Team.Members, Is.EqualTo(new[] { pool[0].Id, senegalese.Id, moroccan.Id }));
        });
    }

    [Test]
    public void A_South_woman_is_found_when_the_best_South_experts_are_men_and_the_best_women_are_European()
    {
        var pool = Enumerable.Range(0, 250).Select(_ => (Candidate)AnExpert().Of(ExpertKind.SouthCivilServant, "BR").Man().Knowing("irregular.trafficking", 3)).ToList();
        pool.AddRange(Enumerable.Range(0, 250).Select(_ => (Candidate)AnExpert().Knowing("irregular.trafficking", 3)));
        Candidate southWoman = AnExpert().Of(ExpertKind.SouthCivilServant, "SN").Knowing("irregular.trafficking", 1);
        pool.Add(southWoman);

        var result = MatchingEngine.Run(pool, Criteria.ForPeru(c => c with { Languages = [], Team = new TeamSpec(2, MinSouth: 1, MaxOther: 0, MinWomen: 2) }), Criteria.Taxonomy);

        Assert.Multiple(() =>
        {
            Assert.That(result.Team!.Feasible, Is.True, string.Join("; ", result.Team.Unmet));
            Assert.That(result.Team.Members, Is.EqualTo(new[] { pool[250].Id, southWoman.Id }));
        });
    }

    [Test]
    public void The_one_expert_holding_the_theme_and_speaking_the_language_is_found_though_ranked_last()
    {
        var pool = Enumerable.Range(0, 300).Select(_ => (Candidate)AnExpert().Knowing("development.diaspora", 3)).ToList();
        pool.AddRange(Enumerable.Range(0, 30).Select(_ => (Candidate)AnExpert().Knowing("irregular.trafficking", 3).Speaking("pt", 7).ExperiencedIn("PE")));
        Candidate rare = AnExpert().Knowing("development.diaspora", 1).Speaking("pt", 4);
        pool.Add(rare);
        var criteria = Criteria.ForPeru(c => c with
        {
            Themes = [new ThemeNeed("development.diaspora", 1)],
            Languages = [new LanguageNeed("pt", 4, Required: false)],
            Team = new TeamSpec(1),
            Explain = [rare.Id],
        });

        var result = MatchingEngine.Run(pool, criteria, Criteria.Taxonomy);

        Assert.Multiple(() =>
        {
            Assert.That(result.Explanations.Single().Candidate!.Rank, Is.EqualTo(result.EligibleCount), "the only fit ranks last");
            Assert.That(result.Team!.Feasible, Is.True, string.Join("; ", result.Team.Unmet));
            Assert.That(result.Team.Members, Is.EqualTo(new[] { rare.Id }));
        });
    }

    /// <summary>
    /// Random rosters of 300 to 3,000 eligible experts, with rare themes and languages, few or many
    /// nationalities and every team constraint: the engine's team has the optimal total (as CP-SAT,
    /// solving over every eligible expert, finds it) and meets every constraint, or neither finds a team.
    /// </summary>
    [Test]
    public void The_team_is_as_good_as_an_independent_exact_solver_finds_over_the_whole_roster()
    {
        var random = new Random(1313);
        var clock = new Stopwatch();
        var engineClock = new Stopwatch();
        var slowest = TimeSpan.Zero;
        var largest = 0;
        int feasible = 0, infeasible = 0;
        for (var round = 0; round < 400; round++)
        {
            var criteria = RandomCriteria(random);
            var pool = RandomPool(random, (int)Math.Round(300 * Math.Pow(10, random.NextDouble())), criteria);
            var scored = MatchingEngine.Run(pool, criteria with { Team = null, Limit = pool.Count }, Criteria.Taxonomy).Candidates;

            var started = engineClock.Elapsed;
            engineClock.Start();
            var result = MatchingEngine.Run(pool, criteria, Criteria.Taxonomy);
            engineClock.Stop();
            slowest = TimeSpan.FromTicks(Math.Max(slowest.Ticks, (engineClock.Elapsed - started).Ticks));
            largest = Math.Max(largest, result.ShortlistSize);
            var team = result.Team!;
            clock.Start();
            var oracle = Optimum(scored, criteria);
            clock.Stop();

            var context = $"round {round}: {scored.Count} eligible, {criteria.Team}, themes {string.Join(",", criteria.Themes.Select(t => t.Code))}, languages {string.Join(",", criteria.Languages.Select(l => l.Code))}";
            Assert.That(team.Feasible, Is.EqualTo(oracle is not null), context);
            if (oracle is null)
            {
                infeasible++;
                continue;
            }

            feasible++;
            var members = team.Members.Select(id => scored.Single(c => c.Expert.Id == id)).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(Satisfies(members.Select(m => m.Expert).ToList(), criteria), Is.True, context);
                Assert.That(team.TotalScore, Is.EqualTo(members.Sum(m => m.Score)).Within(1e-9), context);
                Assert.That(team.TotalScore, Is.EqualTo(oracle.Value).Within(1e-9), context);
            });
        }

        TestContext.Out.WriteLine($"{feasible} feasible, {infeasible} infeasible; CP-SAT took {clock.Elapsed.TotalSeconds:F1} s, "
            + $"the engine {engineClock.Elapsed.TotalSeconds:F1} s (slowest run {slowest.TotalMilliseconds:F0} ms, largest reduced pool {largest})");
        Assert.Multiple(() =>
        {
            Assert.That(feasible, Is.GreaterThan(40), "feasible cases must be exercised");
            Assert.That(infeasible, Is.GreaterThan(10), "infeasible cases must be exercised");
        });
    }

    /// <summary>The optimal total found by CP-SAT over every eligible expert (scores scaled to integers), or null when no team exists.</summary>
    private static double? Optimum(IReadOnlyList<RankedCandidate> scored, MatchCriteria criteria)
    {
        var spec = criteria.Team!;
        var experts = scored.Select(c => c.Expert).ToList();
        var model = new CpModel();
        var chosen = experts.Select((_, i) => model.NewBoolVar($"x{i}")).ToArray();
        BoolVar[] Where(Func<Candidate, bool> test) => chosen.Where((_, i) => test(experts[i])).ToArray();

        model.Add(LinearExpr.Sum(chosen) == spec.Size);
        model.Add(LinearExpr.Sum(Where(e => e.Origin == Origin.Eu)) >= spec.MinEu);
        model.Add(LinearExpr.Sum(Where(e => e.Origin == Origin.South)) >= spec.MinSouth);
        model.Add(LinearExpr.Sum(Where(e => e.IsWoman)) >= spec.MinWomen);
        if (spec.MaxOther is { } maxOther)
        {
            model.Add(LinearExpr.Sum(Where(e => e.Origin == Origin.Other)) <= maxOther);
        }

        if (spec.MaxPerCountry is { } perCountry)
        {
            foreach (var nationality in experts.Select(e => e.Nationality).Distinct())
            {
                model.Add(LinearExpr.Sum(Where(e => e.Nationality == nationality)) <= perCountry);
            }
        }

        foreach (var theme in criteria.Themes)
        {
            model.Add(LinearExpr.Sum(Where(e => Holds(e, theme.Code))) >= 1);
        }

        foreach (var language in criteria.Languages.Where(l => !l.Required))
        {
            model.Add(LinearExpr.Sum(Where(e => Speaks(e, language))) >= 1);
        }

        model.Maximize(LinearExpr.WeightedSum(chosen, scored.Select(c => (long)Math.Round(c.Score * 1e12))));
        var solver = new CpSolver { StringParameters = "num_workers:1,max_time_in_seconds:60" };
        var status = solver.Solve(model);
        Assert.That(status, Is.EqualTo(CpSolverStatus.Optimal).Or.EqualTo(CpSolverStatus.Infeasible), "CP-SAT must settle the case");
        return status == CpSolverStatus.Infeasible ? null : scored.Where((_, i) => solver.BooleanValue(chosen[i])).Sum(c => c.Score);
    }

    internal static bool Satisfies(List<Candidate> team, MatchCriteria criteria)
    {
        var spec = criteria.Team!;
        return team.Count == spec.Size
            && team.Count(e => e.Origin == Origin.Eu) >= spec.MinEu
            && team.Count(e => e.Origin == Origin.South) >= spec.MinSouth
            && (spec.MaxOther is null || team.Count(e => e.Origin == Origin.Other) <= spec.MaxOther)
            && (spec.MaxPerCountry is null || team.GroupBy(e => e.Nationality).All(g => g.Count() <= spec.MaxPerCountry))
            && team.Count(e => e.IsWoman) >= spec.MinWomen
            && criteria.Themes.All(t => team.Any(e => Holds(e, t.Code)))
            && criteria.Languages.Where(l => !l.Required).All(l => team.Any(e => Speaks(e, l)));
    }

    private static bool Holds(Candidate expert, string theme) => expert.Themes.Keys.Any(held => Criteria.Taxonomy.IsWithin(held, theme));

    private static bool Speaks(Candidate expert, LanguageNeed language) => expert.Languages.GetValueOrDefault(language.Code) >= language.MinRank;

    internal static MatchCriteria RandomCriteria(Random random)
    {
        var size = random.Next(1, 7);
        var spec = new TeamSpec(
            size,
            MinEu: random.Next(0, Math.Min(size, 3) + 1),
            MinSouth: random.Next(0, Math.Min(size, 3) + 1),
            MaxOther: random.Next(0, 2) == 0 ? null : random.Next(0, 3),
            MaxPerCountry: random.Next(0, 3) == 0 ? null : random.Next(1, 3),
            MinWomen: random.Next(0, Math.Min(size, 4) + 1));
        return Criteria.ForPeru(c => c with
        {
            Team = spec,
            Themes = Themes.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Select((t, i) => new ThemeNeed(t, i == 0 ? 1 : random.NextDouble())).ToList(),
            Languages = Languages.OrderBy(_ => random.Next()).Take(random.Next(0, 3)).Select(l => new LanguageNeed(l, random.Next(3, 6), Required: false)).ToList(),
        });
    }

    /// <summary>
    /// A roster where the constraints bite: nationalities of very unequal sizes, the requested themes
    /// and languages after the first rare or very rare, and the best levels more common among EU men.
    /// </summary>
    internal static List<Candidate> RandomPool(Random random, int count, MatchCriteria criteria)
    {
        var nationalities = Nationalities.OrderBy(_ => random.Next()).Take(random.Next(2, Nationalities.Length + 1)).ToArray();
        var rarity = new Dictionary<string, double>();
        foreach (var code in criteria.Themes.Select(t => t.Code).Skip(1).Concat(criteria.Languages.Select(l => l.Code)))
        {
            rarity[code] = new[] { 0.3, 0.03, 0.003 }[random.Next(3)];
        }

        var first = criteria.Themes[0].Code;
        return Enumerable.Range(0, count).Select(i =>
        {
            var kind = (ExpertKind)random.Next(0, 7);
            var isWoman = random.Next(0, 2) == 0;
            var favoured = kind == ExpertKind.EuCivilServant && !isWoman;
            var nationality = nationalities[(int)(nationalities.Length * Math.Pow(random.NextDouble(), 3))];
            var themes = new Dictionary<string, int> { [random.Next(0, 4) == 0 ? "legal" : first] = favoured ? random.Next(2, 4) : random.Next(1, 4) };
            foreach (var theme in criteria.Themes.Skip(1).Where(t => random.NextDouble() < rarity[t.Code]))
            {
                themes[theme.Code] = random.Next(1, 4);
            }

            var languages = new Dictionary<string, int> { ["en"] = random.Next(3, 8) };
            foreach (var language in criteria.Languages.Where(l => random.NextDouble() < rarity[l.Code]))
            {
                languages[language.Code] = random.Next(language.MinRank - 1, 8);
            }

            return new Candidate
            {
                Id = new Guid(i + 1, (short)random.Next(), 0, new byte[8]),
                Kind = kind,
                Nationality = nationality,
                MemberState = kind == ExpertKind.EuCivilServant ? nationality : null,
                IsWoman = isWoman,
                Gender = isWoman ? "female" : "male",
                IsActive = true,
                HasConsent = true,
                Languages = languages,
                Themes = themes,
                CountriesOfExperience = random.Next(0, 4) == 0 ? new HashSet<string> { "PE" } : new HashSet<string>(),
                Unavailability = [],
                Deployments = [],
            };
        }).ToList();
    }
}
