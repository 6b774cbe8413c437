using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Experts;

/// <summary>Free text ranks: names and themes above the profile, the profile above the CV; the cursor and the total follow.</summary>
public sealed class ExpertSearchRankingTests : ApiTest
{
    [Test]
    public async Task Names_and_themes_rank_above_the_profile_and_the_profile_above_the_cv_whatever_the_ids()
    {
        var (cvOnly, profile, namesAndThemes) = await ThreeTraffickingExpertsAsync();

        var page = await ReadJsonAsync(await AsAdmin().GetAsync("/api/v1/experts?q=trafficking"));

        Assert.Multiple(() =>
        {
            Assert.That(Ids(page), Is.EqualTo(new[] { namesAndThemes, profile, cvOnly }));
            Assert.That(page.GetProperty("highlights").EnumerateArray().Select(h => h.GetProperty("matchedIn").GetString()),
                Is.EqualTo(new[] { "names_or_themes", "profile", "cv" }));
            Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(3));
            Assert.That(page.GetProperty("totalIsExact").GetBoolean(), Is.True);
        });
    }

    [Test]
    public async Task A_negated_word_excludes_an_expert_whose_name_matches_but_whose_profile_or_cv_holds_it()
    {
        var client = AsAdmin();
        var withWord = await AnExpert().Named("Negata", "Smith").With("bio", "Python scripts for border statistics.").CreateAsync(client);
        var inCv = await AnExpert().Named("Negata", "Jones").CreateAsync(client);
        var upload = await client.PostAsync($"/api/v1/experts/{inCv}/cv",
            Documents.Upload(Documents.Pdf("Curriculum vitae", "Wrote Python tools"), "cv.pdf"));
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Created), await upload.Content.ReadAsStringAsync());
        var without = await AnExpert().Named("Negata", "Brown").With("bio", "Twenty years in the police.").CreateAsync(client);

        var page = await ReadJsonAsync(await client.GetAsync("/api/v1/experts?q=negata%20-python"));

        Assert.Multiple(() =>
        {
            Assert.That(Ids(page), Is.EqualTo(new[] { without }), "the page lists whom the count counts");
            Assert.That(Ids(page), Does.Not.Contain(withWord).And.Not.Contain(inCv));
            Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Snippets_mark_the_words_escape_the_text_and_show_cv_text_only_to_whom_may_read_it()
    {
        var (cvOnly, profile, _) = await ThreeTraffickingExpertsAsync();

        var asAdmin = Snippets(await ReadJsonAsync(await AsAdmin().GetAsync("/api/v1/experts?q=trafficking")));
        var asReader = Snippets(await ReadJsonAsync(await WithKey(await Keys.IssueAsync("reader")).GetAsync("/api/v1/experts?q=trafficking")));

        Assert.Multiple(() =>
        {
            Assert.That(asAdmin[profile], Does.Contain("<mark>trafficking</mark>").And.Contain("&amp; asylum").And.Contain("2&lt;3").And.Not.Contain("<b>"));
            Assert.That(asAdmin[cvOnly], Does.Contain("<mark>trafficking</mark> cases"));
            Assert.That(asReader[profile], Does.Contain("<mark>trafficking</mark>"));
            Assert.That(asReader[cvOnly], Is.Null, "a reader may not read CVs");
        });
    }

    [Test]
    public async Task Cursor_pages_follow_the_ranked_order_without_repeats_and_highlights_come_with_the_first_page_only()
    {
        var (cvOnly, profile, namesAndThemes) = await ThreeTraffickingExpertsAsync();
        var client = AsAdmin();
        var seen = new List<Guid>();
        var highlighted = new List<int>();
        string? cursor = null;
        do
        {
            var page = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts?q=TRAFFICKING&limit=1{(cursor is null ? "" : $"&cursor={cursor}")}"));
            seen.AddRange(Ids(page));
            highlighted.Add(page.GetProperty("highlights").GetArrayLength());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && seen.Count < 10);

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(new[] { namesAndThemes, profile, cvOnly }));
            Assert.That(highlighted, Is.EqualTo(new[] { 1, 0, 0 }));
        });
    }

    [Test]
    public async Task A_cursor_of_one_q_is_refused_with_another_or_without_q()
    {
        await ThreeTraffickingExpertsAsync();
        var client = AsAdmin();
        var ranked = (await ReadJsonAsync(await client.GetAsync("/api/v1/experts?q=trafficking&limit=1"))).GetProperty("nextCursor").GetString();
        var plain = (await ReadJsonAsync(await client.GetAsync("/api/v1/experts?limit=1"))).GetProperty("nextCursor").GetString();

        await AssertValidationProblemAsync(await client.GetAsync($"/api/v1/experts?q=asylum&cursor={ranked}"), "cursor");
        await AssertValidationProblemAsync(await client.GetAsync($"/api/v1/experts?cursor={ranked}"), "cursor");
        await AssertValidationProblemAsync(await client.GetAsync($"/api/v1/experts?q=trafficking&cursor={plain}"), "cursor");
    }

    [Test]
    public async Task A_theme_label_in_any_of_its_languages_finds_the_expert()
    {
        var client = AsAdmin();
        var trafficking = await AnExpert().Knowing("irregular.trafficking", 2).With("bio", "Twenty years in the police.").CreateAsync(client);
        await AnExpert().Knowing("horizontal.gender", 2).With("bio", "Twenty years in the police.").CreateAsync(client);

        Assert.Multiple(async () =>
        {
            Assert.That(Ids(await ReadJsonAsync(await client.GetAsync("/api/v1/experts?q=traite"))), Is.EqualTo(new[] { trafficking }));
            Assert.That(Ids(await ReadJsonAsync(await client.GetAsync("/api/v1/experts?q=seres%20humanos"))), Is.EqualTo(new[] { trafficking }));
        });
    }

    [Test]
    public async Task A_common_word_and_a_rare_one_are_counted_alike_whichever_way_the_count_is_taken()
    {
        var client = AsAdmin();
        var french = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            var expert = AnExpert().With("bio", "Ubiquitous dossier handling.");
            var id = await (i < 4 ? expert.OnlySpeaking("fr", "C1") : expert.OnlySpeaking("de", "C1")).CreateAsync(client);
            if (i < 4)
            {
                french.Add(id);
            }
        }

        for (var i = 0; i < 30; i++)
        {
            await AnExpert().OnlySpeaking("de", "C1").With("bio", "Twenty years in the police.").CreateAsync(client);
        }

        await AnExpert().OnlySpeaking("fr", "C1").With("bio", "Rarissimo archive keeper.").CreateAsync(client);
        Assert.That((await client.DeleteAsync($"/api/v1/experts/{french[0]}")).IsSuccessStatusCode);

        // The frequencies the choice reads come from ANALYZE, which autovacuum would run in its own time.
        bool common, rare, mixed, commonFromList, rareFromList;
        await using (var connection = new Npgsql.NpgsqlConnection(TestEnvironment.Postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using (var analyze = new Npgsql.NpgsqlCommand("ANALYZE expert_search", connection))
            {
                await analyze.ExecuteNonQueryAsync();
            }

            await using var ask = new Npgsql.NpgsqlCommand(
                """
                SELECT ear_search_is_common('ubiquitous'), ear_search_is_common('rarissimo'), ear_search_is_common('ubiquitous rarissimo'),
                       ear_search_is_common('ubiquitous', ear_search_common_lexemes()), ear_search_is_common('rarissimo', ear_search_common_lexemes())
                """, connection);
            await using var reader = await ask.ExecuteReaderAsync();
            await reader.ReadAsync();
            (common, rare, mixed) = (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2));
            // The service asks with the common lexemes it read a while ago (0024); fresh, both forms agree.
            (commonFromList, rareFromList) = (reader.GetBoolean(3), reader.GetBoolean(4));
        }

        async Task<long> TotalAsync(string query) => (await ReadJsonAsync(await client.GetAsync($"/api/v1/experts?{query}&limit=1"))).GetProperty("total").GetInt64();

        Assert.Multiple(async () =>
        {
            Assert.That(mixed, Is.False, "one rare word makes q rare: the facets count it");
            Assert.That((common, rare), Is.EqualTo((true, false)), "without filters the common word is counted through the join, the rare one and any filtered search through the facets");
            Assert.That((commonFromList, rareFromList), Is.EqualTo((true, false)), "the list the service keeps gives the same choice");
            Assert.That(await TotalAsync("q=ubiquitous"), Is.EqualTo(11));
            Assert.That(await TotalAsync("q=ubiquitous&language=fr&minLevel=B2"), Is.EqualTo(3));
            Assert.That(await TotalAsync("q=ubiquitous&language=de&minLevel=C2"), Is.EqualTo(0));
            Assert.That(await TotalAsync("q=rarissimo&language=fr&minLevel=B2"), Is.EqualTo(1));
            Assert.That(await TotalAsync("q=rarissimo&language=de"), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task Past_the_counting_limit_the_total_is_a_lower_bound_said_to_be_inexact()
    {
        var client = AsAdmin();
        var csv = new StringBuilder("givenName,familyName,email,gender,nationality,kind,memberState,languages,themes\n");
        for (var i = 0; i < 1_001; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"Ana,Silva,ana{i}@example.org,female,PT,eu_civil_servant,PT,pt:native,legal.labour-migration:3\n");
        }

        var imported = await client.PostAsync("/api/v1/experts/import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.That(imported.StatusCode, Is.EqualTo(HttpStatusCode.Created), await imported.Content.ReadAsStringAsync());
        await AnExpert().Of("eu_civil_servant", "NL", "NL").CreateAsync(client);

        var all = await ReadJsonAsync(await client.GetAsync("/api/v1/experts?limit=1"));
        var byWord = await ReadJsonAsync(await client.GetAsync("/api/v1/experts?q=silva&limit=1"));
        var few = await ReadJsonAsync(await client.GetAsync("/api/v1/experts?memberState=NL"));

        Assert.Multiple(() =>
        {
            Assert.That(all.GetProperty("total").GetInt64(), Is.EqualTo(1_000));
            Assert.That(all.GetProperty("totalIsExact").GetBoolean(), Is.False);
            Assert.That(byWord.GetProperty("total").GetInt64(), Is.EqualTo(1_000));
            Assert.That(byWord.GetProperty("totalIsExact").GetBoolean(), Is.False);
            Assert.That(few.GetProperty("total").GetInt64(), Is.EqualTo(1));
            Assert.That(few.GetProperty("totalIsExact").GetBoolean(), Is.True);
        });
    }

    [Test]
    public async Task A_word_in_one_expert_s_name_and_another_s_profile_ranks_the_name_first_and_a_query_split_across_fields_ranks_by_the_whole()
    {
        var client = AsAdmin();
        var inBio = await AnExpert().Named("Anna", "Brown").With("bio", "Worked with the Okonkwo family of interpreters.").CreateAsync(client);
        var inName = await AnExpert().Named("Chidi", "Okonkwo").CreateAsync(client);
        // Both words are in the profile, only one in the names: the profile's tier, though neither part holds the query alone.
        var split = await AnExpert().Named("Chidi", "Adebayo").With("position", "Ferry inspector").CreateAsync(client);
        var splitInCv = await AnExpert().Named("Chidi", "Eze").CreateAsync(client);
        var upload = await client.PostAsync($"/api/v1/experts/{splitInCv}/cv",
            Documents.Upload(Documents.Pdf("Curriculum vitae", "Ferry inspections for ten years"), "cv.pdf"));
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Created), await upload.Content.ReadAsStringAsync());

        var byName = await ReadJsonAsync(await client.GetAsync("/api/v1/experts?q=okonkwo"));
        var bySplit = await ReadJsonAsync(await client.GetAsync("/api/v1/experts?q=chidi%20ferry"));

        Assert.Multiple(() =>
        {
            Assert.That(Ids(byName), Is.EqualTo(new[] { inName, inBio }));
            Assert.That(MatchedIn(byName), Is.EqualTo(new[] { "names_or_themes", "profile" }));
            Assert.That(Ids(bySplit), Is.EqualTo(new[] { split, splitInCv }));
            Assert.That(MatchedIn(bySplit), Is.EqualTo(new[] { "profile", "cv" }));
            Assert.That(bySplit.GetProperty("total").GetInt64(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Pages_of_one_cross_every_tier_boundary_once_in_rank_then_id_order()
    {
        var client = AsAdmin();
        var expected = new List<Guid>();
        // Created from the least to the most prominent, two of each tier, so that no tier's ids come first by accident.
        var cvOnly = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            var id = await AnExpert().With("bio", "Twenty years in the police.").CreateAsync(client);
            var upload = await client.PostAsync($"/api/v1/experts/{id}/cv",
                Documents.Upload(Documents.Pdf("Curriculum vitae", "Forensic accountant of smuggling rings"), "cv.pdf"));
            Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Created), await upload.Content.ReadAsStringAsync());
            cvOnly.Add(id);
        }

        var profile = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            profile.Add(await AnExpert().With("position", "Forensic accountant").CreateAsync(client));
        }

        var names = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            names.Add(await AnExpert().Named("Forensic", "Accountant").CreateAsync(client));
        }

        expected.AddRange(names.Order());
        expected.AddRange(profile.Order());
        expected.AddRange(cvOnly.Order());

        var seen = new List<Guid>();
        var totals = new List<long>();
        string? cursor = null;
        do
        {
            var page = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts?q=forensic%20accountant&limit=1{(cursor is null ? "" : $"&cursor={cursor}")}"));
            seen.AddRange(Ids(page));
            totals.Add(page.GetProperty("total").GetInt64());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && seen.Count < 20);

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(expected));
            Assert.That(totals, Is.All.EqualTo(6));
        });
    }

    [Test]
    public async Task A_filtered_search_with_q_counts_and_lists_experts_as_their_filtered_fields_now_are()
    {
        var client = AsAdmin();
        var changing = await AnExpert().Named("Filtra", "One").OnlySpeaking("es", "C1").ExperiencedIn("SN").CreateAsync(client);
        var staying = await AnExpert().Named("Filtra", "Two").OnlySpeaking("es", "C2").ExperiencedIn("SN").CreateAsync(client);
        await AnExpert().Named("Filtra", "Three").OnlySpeaking("es", "B1").ExperiencedIn("SN").CreateAsync(client);
        await AnExpert().Named("Filtra", "Four").Of("academic", "FR").OnlySpeaking("es", "C2").ExperiencedIn("SN").CreateAsync(client);
        await AnExpert().Named("Filtra", "Five").OnlySpeaking("es", "C2").ExperiencedIn("ML").CreateAsync(client);
        const string query = "/api/v1/experts?q=filtra&language=es&minLevel=C1&origin=eu&countryOfExperience=SN&status=active";

        var before = await ReadJsonAsync(await client.GetAsync(query));
        var etag = (await client.GetAsync($"/api/v1/experts/{changing}")).Headers.ETag!;
        var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/experts/{changing}")
        {
            Content = JsonContent.Create(AnExpert().Named("Filtra", "One").OnlySpeaking("es", "B2").ExperiencedIn("SN").Build(), options: Json),
        };
        update.Headers.IfMatch.Add(etag);
        var updated = await client.SendAsync(update);
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK), await updated.Content.ReadAsStringAsync());
        var after = await ReadJsonAsync(await client.GetAsync(query));
        var erased = await client.DeleteAsync($"/api/v1/experts/{staying}");
        Assert.That(erased.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var afterErasure = await ReadJsonAsync(await client.GetAsync(query));

        Assert.Multiple(() =>
        {
            Assert.That(Ids(before), Is.EquivalentTo(new[] { changing, staying }));
            Assert.That(before.GetProperty("total").GetInt64(), Is.EqualTo(2));
            Assert.That(Ids(after), Is.EqualTo(new[] { staying }));
            Assert.That(after.GetProperty("total").GetInt64(), Is.EqualTo(1));
            Assert.That(Ids(afterErasure), Is.Empty);
            Assert.That(afterErasure.GetProperty("total").GetInt64(), Is.EqualTo(0));
        });
    }

    /// <summary>
    /// Three experts holding "trafficking" ever less prominently, created from the least to the most prominent,
    /// so that id order (creation order) is the reverse of the ranked order.
    /// </summary>
    private static async Task<(Guid CvOnly, Guid Profile, Guid NamesAndThemes)> ThreeTraffickingExpertsAsync()
    {
        var client = AsAdmin();
        var cvOnly = await AnExpert().Knowing("horizontal.gender", 2).With("bio", "Twenty years in the police.").CreateAsync(client);
        var upload = await client.PostAsync($"/api/v1/experts/{cvOnly}/cv",
            Documents.Upload(Documents.Pdf("Curriculum vitae", "Prosecuted trafficking cases for ten years"), "cv.pdf"));
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Created), await upload.Content.ReadAsStringAsync());
        var profile = await AnExpert().Knowing("horizontal.gender", 2).With("bio", "Cases 2<3 of <b>trafficking</b> & asylum.").CreateAsync(client);
        var namesAndThemes = await AnExpert().Knowing("irregular.trafficking", 3).With("bio", "Twenty years in the police.").CreateAsync(client);
        return (cvOnly, profile, namesAndThemes);
    }

    private static List<Guid> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();

    private static List<string?> MatchedIn(JsonElement page) =>
        page.GetProperty("highlights").EnumerateArray().Select(h => h.GetProperty("matchedIn").GetString()).ToList();

    private static Dictionary<Guid, string?> Snippets(JsonElement page) =>
        page.GetProperty("highlights").EnumerateArray().ToDictionary(h => h.GetProperty("expertId").GetGuid(), h => h.GetProperty("snippet").GetString());
}
