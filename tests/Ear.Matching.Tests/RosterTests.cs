using Ear.Matching;

namespace Ear.Matching.Tests;

/// <summary>
/// The roster keeps columns, not candidates: what it describes must be what it was given, and a roster
/// loaded table by table, rows in any order, must be the roster built from the candidates.
/// </summary>
public sealed class RosterTests
{
    [Test]
    public void Each_expert_is_described_back_as_it_was_given()
    {
        var pool = Varied(new Random(31), 300);
        var roster = new Roster(pool);

        Assert.Multiple(() =>
        {
            foreach (var candidate in pool)
            {
                Assert.That(roster.TryGet(candidate.Id, out var described), Is.True);
                Assert.That(Facts(described), Is.EqualTo(Facts(candidate)), candidate.Id.ToString());
                Assert.That(Facts(roster[roster.SlotOf(candidate.Id)]), Is.EqualTo(Facts(candidate)));
            }
        });
    }

    [Test]
    public void A_roster_loaded_row_by_row_in_any_order_is_the_roster_built_from_its_candidates()
    {
        var random = new Random(37);
        var pool = Varied(random, 400);
        var stranger = Guid.NewGuid();
        var loader = new RosterLoader();
        foreach (var c in pool)
        {
            loader.Expert(c.Id, c.Kind, c.Nationality, c.MemberState, c.Gender, c.IsWoman, c.IsActive, c.HasConsent, c.CountriesOfExperience);
        }

        // Rows of an expert not given (erased, say) are left out.
        foreach (var (id, code, rank) in Shuffled(random, pool.SelectMany(c => c.Languages.Where(l => l.Value > 0).Select(l => (c.Id, l.Key, l.Value))).Append((stranger, "fr", 7))))
        {
            loader.Language(id, code, rank);
        }

        foreach (var (id, code, level) in Shuffled(random, pool.SelectMany(c => c.Themes.Select(t => (c.Id, t.Key, t.Value))).Append((stranger, "irregular", 3))))
        {
            loader.Theme(id, code, level);
        }

        foreach (var (id, days) in Shuffled(random, pool.SelectMany(c => c.Unavailability.Select(u => (c.Id, u)))))
        {
            loader.Unavailable(id, days);
        }

        foreach (var (id, d) in Shuffled(random, pool.SelectMany(c => c.Deployments.Select(d => (c.Id, d)))))
        {
            loader.Deployment(id, d.Days, d.Countries, d.Themes, d.Rating, d.Recommendation);
        }

        var loaded = loader.Build();
        var criteria = Criteria.ForPeru(c => c with { Limit = 400, Team = new TeamSpec(3, MinEu: 1, MinWomen: 1), Explain = pool.Select(c => c.Id).ToList() });
        var fromLoad = MatchingEngine.Run(loaded, criteria, Criteria.Taxonomy);
        var fromCandidates = MatchingEngine.Run(pool, criteria, Criteria.Taxonomy);

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Count, Is.EqualTo(pool.Count));
            Assert.That(loaded.SlotOf(stranger), Is.EqualTo(-1));
            Assert.That(pool.Select(c => Facts(loaded[loaded.SlotOf(c.Id)])), Is.EqualTo(pool.Select(Facts)));
            Assert.That(fromLoad.Candidates.Select(c => (c.Expert.Id, c.Rank, c.Score, c.Components)), Is.EqualTo(fromCandidates.Candidates.Select(c => (c.Expert.Id, c.Rank, c.Score, c.Components))));
            Assert.That(fromLoad.Excluded, Is.EqualTo(fromCandidates.Excluded));
            Assert.That(fromLoad.Team!.Members, Is.EqualTo(fromCandidates.Team!.Members));
            Assert.That(fromLoad.Explanations.Select(e => e.FailedRules), Is.EqualTo(fromCandidates.Explanations.Select(e => e.FailedRules)));
        });
    }

    [Test]
    public void A_built_loader_takes_no_more_rows()
    {
        var loader = new RosterLoader();
        loader.Build();

        Assert.Throws<InvalidOperationException>(() => loader.Language(Guid.NewGuid(), "fr", 7));
    }

    /// <summary>Random candidates with every kind of fact: unavailability, recommendations, several countries, no member state.</summary>
    private static List<Candidate> Varied(Random random, int count) => RandomRoster.Make(random, count).Select(c => c with
    {
        IsActive = random.Next(0, 10) > 0,
        HasConsent = random.Next(0, 10) > 0,
        Gender = c.IsWoman ? "female" : random.Next(0, 2) == 0 ? "male" : "undisclosed",
        CountriesOfExperience = new[] { "PE", "BO", "MA", "SN" }.Where(_ => random.Next(0, 3) == 0).ToHashSet(),
        Unavailability = Enumerable.Range(0, random.Next(0, 3)).Select(_ => new DayRange(new DateOnly(2026, 1, 1).AddDays(random.Next(0, 600)), new DateOnly(2028, 1, 1))).ToList(),
        Deployments = c.Deployments.Select(d => d with
        {
            Countries = random.Next(0, 2) == 0 ? d.Countries : [.. d.Countries, "MA", "SN"],
            Themes = random.Next(0, 2) == 0 ? d.Themes : [.. d.Themes, "development.diaspora"],
            Recommendation = random.Next(0, 5) switch { 0 => Recommendation.Redeploy, 1 => Recommendation.RedeployOtherArea, 2 => Recommendation.DoNotRedeploy, _ => null },
        }).ToList(),
    }).ToList();

    private static List<T> Shuffled<T>(Random random, IEnumerable<T> rows)
    {
        var list = rows.ToList();
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
        return list;
    }

    /// <summary>
    /// A candidate as comparable text. What the engine reads as a set is sorted (a deployment's countries and
    /// themes, and the order of an expert's deployments and days off, which rows do not keep either); a language
    /// at rank 0 is one not spoken (the database keeps ranks 1 to 7).
    /// </summary>
    private static string Facts(Candidate c) => string.Join(" | ",
        c.Id, c.Kind, c.Nationality, c.MemberState ?? "-", c.IsWoman, c.Gender, c.IsActive, c.HasConsent,
        string.Join(",", c.Languages.Where(l => l.Value > 0).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
        string.Join(",", c.Themes.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}")),
        string.Join(",", c.CountriesOfExperience.Order(StringComparer.Ordinal)),
        string.Join(",", c.Unavailability.Select(u => u.ToString()).Order(StringComparer.Ordinal)),
        string.Join(",", c.Deployments.Select(d => $"{d.Days}:{string.Join("+", d.Countries.Distinct().Order(StringComparer.Ordinal))}:{string.Join("+", d.Themes.Distinct().Order(StringComparer.Ordinal))}:{d.Rating}:{d.Recommendation}").Order(StringComparer.Ordinal)));
}
