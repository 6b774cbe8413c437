using Ear.Matching;

namespace Ear.Matching.Tests;

/// <summary>
/// The engine keeps only the best few while it walks the roster and counts ranks for the rest on
/// demand: these check that against a full sort, across slices, and on a roster changed in place.
/// </summary>
public sealed class RankingTests
{
    [Test]
    public void The_best_candidates_and_every_explained_rank_agree_with_a_full_sort()
    {
        var pool = RandomRoster.Make(new Random(17), 700);
        var criteria = Criteria.ForPeru(c => c with
        {
            Limit = 25,
            Excluded = pool.Take(10).Select(p => p.Id).ToHashSet(),
            Explain = pool.Select(p => p.Id).ToList(),
            Team = new TeamSpec(3, MinEu: 1, MinSouth: 1, MinWomen: 1),
        });

        var result = MatchingEngine.Run(pool, criteria, Criteria.Taxonomy);

        var everyone = result.Explanations.Where(e => e.Candidate is not null).Select(e => e.Candidate!).ToList();
        var sorted = everyone.OrderByDescending(c => c.Score).ThenBy(c => c.Expert.Id).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(everyone, Has.Count.EqualTo(690));
            Assert.That(result.EligibleCount, Is.EqualTo(690));
            Assert.That(sorted.Select(c => c.Rank), Is.EqualTo(Enumerable.Range(1, 690)), "ranks follow score, then id");
            Assert.That(result.Candidates.Take(25).Select(c => (c.Expert.Id, c.Rank)), Is.EqualTo(sorted.Take(25).Select(c => (c.Expert.Id, c.Rank))));
            foreach (var member in result.Team!.Members)
            {
                var shown = result.Candidates.Single(c => c.Expert.Id == member);
                Assert.That(shown.Rank, Is.EqualTo(sorted.FindIndex(c => c.Expert.Id == member) + 1));
            }
        });
    }

    [Test]
    public void The_answer_is_the_same_however_many_slices_the_roster_is_walked_in()
    {
        var roster = new Roster(RandomRoster.Make(new Random(19), 900));
        var criteria = Criteria.ForPeru(c => c with { Limit = 40, Team = new TeamSpec(4, MinEu: 2, MinSouth: 1, MaxPerCountry: 1, MinWomen: 2) });

        var whole = MatchingEngine.Run(roster, criteria, Criteria.Taxonomy, slices: 1);
        foreach (var slices in new[] { 2, 3, 7 })
        {
            var sliced = MatchingEngine.Run(roster, criteria, Criteria.Taxonomy, slices);
            Assert.Multiple(() =>
            {
                Assert.That(Summary(sliced), Is.EqualTo(Summary(whole)), $"{slices} slices");
                Assert.That(sliced.Team!.Members, Is.EqualTo(whole.Team!.Members), $"{slices} slices");
                Assert.That(sliced.ShortlistSize, Is.EqualTo(whole.ShortlistSize), $"{slices} slices");
            });
        }
    }

    [Test]
    public void A_roster_changed_in_place_ranks_as_one_built_afresh()
    {
        // Enough experts, changed often enough, that their runs of themes and deployments move and are repacked.
        var pool = RandomRoster.Make(new Random(23), 1500);
        var roster = new Roster(pool);
        var current = pool.ToDictionary(c => c.Id);
        for (var round = 0; round < 4; round++)
        {
            var replacements = RandomRoster.Make(new Random(24 + round), 600).Select((c, i) => c with { Id = pool[(i * 7 + round) % pool.Count].Id }).ToList();
            var newcomers = RandomRoster.Make(new Random(40 + round), 50).Select(c => c with { Id = Guid.NewGuid() }).ToList();
            var removed = current.Keys.OrderBy(id => id).Skip(100 * round).Take(40).ToList();
            foreach (var candidate in replacements.Concat(newcomers))
            {
                roster.Upsert(candidate);
                current[candidate.Id] = candidate;
            }

            foreach (var id in removed)
            {
                roster.Remove(id);
                current.Remove(id);
            }
        }

        var final = current.Values.ToList();
        var criteria = Criteria.ForPeru(c => c with { Limit = 200, Team = new TeamSpec(3, MinEu: 1, MinWomen: 1) });
        var changed = MatchingEngine.Run(roster, criteria, Criteria.Taxonomy);
        var afresh = MatchingEngine.Run(final, criteria, Criteria.Taxonomy);

        Assert.Multiple(() =>
        {
            Assert.That(roster.Count, Is.EqualTo(final.Count));
            Assert.That(Summary(changed), Is.EqualTo(Summary(afresh)));
            Assert.That(changed.Team!.Members, Is.EqualTo(afresh.Team!.Members));
        });
    }

    private static List<(Guid, int, double, Components)> Summary(MatchResult result) =>
        result.Candidates.Select(c => (c.Expert.Id, c.Rank, c.Score, c.Components)).ToList();
}
