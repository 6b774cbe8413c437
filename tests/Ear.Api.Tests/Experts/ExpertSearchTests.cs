using System.Text.Json;
using Ear.Api.Tests.Infrastructure;
using static Ear.Api.Tests.Infrastructure.ExpertBuilder;

namespace Ear.Api.Tests.Experts;

public sealed class ExpertSearchTests : ApiTest
{
    [Test]
    public async Task A_theme_finds_experts_of_its_sub_themes_too()
    {
        var client = AsAdmin();
        var trafficking = await AnExpert().Knowing("irregular.trafficking", 3).CreateAsync(client);
        var area = await AnExpert().Knowing("irregular", 1).CreateAsync(client);
        await AnExpert().Knowing("legal.labour-migration", 3).CreateAsync(client);

        Assert.Multiple(async () =>
        {
            Assert.That(await IdsAsync(client, "theme=irregular"), Is.EquivalentTo(new[] { trafficking, area }));
            Assert.That(await IdsAsync(client, "theme=irregular.trafficking"), Is.EquivalentTo(new[] { trafficking }));
        });
    }

    [Test]
    public async Task A_language_with_a_minimum_level_finds_those_at_or_above_it()
    {
        var client = AsAdmin();
        var native = await AnExpert().OnlySpeaking("es", "native").CreateAsync(client);
        var b2 = await AnExpert().OnlySpeaking("es", "B2").CreateAsync(client);
        await AnExpert().OnlySpeaking("es", "B1").CreateAsync(client);
        await AnExpert().OnlySpeaking("pt", "C2").CreateAsync(client);

        Assert.Multiple(async () =>
        {
            Assert.That(await IdsAsync(client, "language=es&minLevel=B2"), Is.EquivalentTo(new[] { native, b2 }));
            Assert.That(await IdsAsync(client, "language=es"), Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task Origin_kind_nationality_and_member_state_filter()
    {
        var client = AsAdmin();
        var french = await AnExpert().Of("eu_civil_servant", "FR", "FR").CreateAsync(client);
        var dutch = await AnExpert().Of("eu_civil_servant", "NL", "NL").CreateAsync(client);
        var senegalese = await AnExpert().Of("south_civil_servant", "SN").CreateAsync(client);
        var academic = await AnExpert().Of("academic", "BE").CreateAsync(client);

        Assert.Multiple(async () =>
        {
            Assert.That(await IdsAsync(client, "origin=eu"), Is.EquivalentTo(new[] { french, dutch }));
            Assert.That(await IdsAsync(client, "origin=south"), Is.EquivalentTo(new[] { senegalese }));
            Assert.That(await IdsAsync(client, "origin=other"), Is.EquivalentTo(new[] { academic }));
            Assert.That(await IdsAsync(client, "kind=academic"), Is.EquivalentTo(new[] { academic }));
            Assert.That(await IdsAsync(client, "nationality=sn"), Is.EquivalentTo(new[] { senegalese }));
            Assert.That(await IdsAsync(client, "memberState=NL"), Is.EquivalentTo(new[] { dutch }));
            Assert.That(await IdsAsync(client, "origin=south&kind=academic"), Is.Empty);
        });
    }

    [Test]
    public async Task Country_and_region_of_experience_filter()
    {
        var client = AsAdmin();
        var peru = await AnExpert().ExperiencedIn("PE").CreateAsync(client);
        var ghana = await AnExpert().ExperiencedIn("GH", "MA").CreateAsync(client);
        await AnExpert().ExperiencedIn("KE").CreateAsync(client);

        Assert.Multiple(async () =>
        {
            Assert.That(await IdsAsync(client, "countryOfExperience=PE"), Is.EquivalentTo(new[] { peru }));
            Assert.That(await IdsAsync(client, "regionOfExperience=africa.west"), Is.EquivalentTo(new[] { ghana }));
            Assert.That(await IdsAsync(client, "regionOfExperience=neighbourhood.south"), Is.EquivalentTo(new[] { ghana }));
        });
    }

    [Test]
    public async Task Availability_excludes_experts_unavailable_on_any_day_of_the_period()
    {
        var client = AsAdmin();
        var free = await AnExpert().UnavailableFrom("2027-01-01", "2027-02-28").CreateAsync(client);
        await AnExpert().UnavailableFrom("2027-03-10", "2027-03-10").CreateAsync(client);

        Assert.Multiple(async () =>
        {
            Assert.That(await IdsAsync(client, "availableFrom=2027-03-01&availableTo=2027-03-10"), Is.EquivalentTo(new[] { free }));
            Assert.That(await IdsAsync(client, "availableFrom=2027-03-11&availableTo=2027-03-20"), Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task Status_filters_active_and_inactive()
    {
        var client = AsAdmin();
        var active = await AnExpert().CreateAsync(client);
        var inactive = await AnExpert().Inactive().CreateAsync(client);

        Assert.Multiple(async () =>
        {
            Assert.That(await IdsAsync(client, "status=active"), Is.EquivalentTo(new[] { active }));
            Assert.That(await IdsAsync(client, "status=inactive"), Is.EquivalentTo(new[] { inactive }));
        });
    }

    [TestCase("JOSÉ")]
    [TestCase("jose")]
    [TestCase("García")]
    [TestCase("garcia")]
    [TestCase("migraciones")]
    [TestCase("migración")]
    [TestCase("trafficking")]
    [TestCase("traffickers")]
    [TestCase("frontières")]
    [TestCase("frontiere")]
    [TestCase("trabalhador")]
    [TestCase("refugiado")]
    public async Task Free_text_ignores_case_and_accents_and_matches_other_forms_of_a_word(string words)
    {
        var client = AsAdmin();
        var match = await AnExpert().Named("José", "García")
            .With("bio", "Experto en migración laboral; anti-trafficking work; gestion des frontières; trabalhadores refugiados.")
            .CreateAsync(client);
        // Not the default theme, border management, whose French and Spanish labels hold frontières and fronteras.
        await AnExpert().Named("Pierre", "Martin").Knowing("horizontal.gender", 2).With("bio", "Statistics and data.").With("position", "Analyst").CreateAsync(client);

        Assert.That(await IdsAsync(client, $"q={Uri.EscapeDataString(words)}"), Is.EquivalentTo(new[] { match }));
    }

    [TestCase("theme=nonsense", "theme")]
    [TestCase("language=xx", "language")]
    [TestCase("minLevel=B2", "minLevel")]
    [TestCase("language=fr&minLevel=Z9", "minLevel")]
    [TestCase("origin=mars", "origin")]
    [TestCase("regionOfExperience=atlantis", "regionOfExperience")]
    [TestCase("availableFrom=01/03/2027", "availableFrom")]
    [TestCase("availableFrom=2027-03-10&availableTo=2027-03-01", "availableTo")]
    [TestCase("limit=0", "limit")]
    [TestCase("limit=201", "limit")]
    [TestCase("cursor=garbage!", "cursor")]
    [TestCase("status=sleeping", "status")]
    public async Task A_bad_search_parameter_is_named(string query, string field)
    {
        await AssertValidationProblemAsync(await AsAdmin().GetAsync($"/api/v1/experts?{query}"), field);
    }

    [Test]
    public async Task Paging_while_experts_are_added_gives_no_duplicates_and_skips_none_that_existed()
    {
        var client = AsAdmin();
        var existing = new List<Guid>();
        for (var i = 0; i < 23; i++)
        {
            existing.Add(await AnExpert().CreateAsync(client));
        }

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts?limit=5{(cursor is null ? "" : $"&cursor={cursor}")}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
            await Task.WhenAll(AnExpert().CreateAsync(AsAdmin()), AnExpert().CreateAsync(AsAdmin()));
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.Unique);
            Assert.That(seen, Is.SupersetOf(existing));
        });
    }

    [Test]
    public async Task A_page_reports_the_total_and_a_cursor_only_when_more_remain()
    {
        var client = AsAdmin();
        for (var i = 0; i < 3; i++)
        {
            await AnExpert().CreateAsync(client);
        }

        var first = await ReadJsonAsync(await client.GetAsync("/api/v1/experts?limit=2"));
        var second = await ReadJsonAsync(await client.GetAsync($"/api/v1/experts?limit=2&cursor={first.GetProperty("nextCursor").GetString()}"));

        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("total").GetInt64(), Is.EqualTo(3));
            Assert.That(first.GetProperty("items").GetArrayLength(), Is.EqualTo(2));
            Assert.That(second.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
            Assert.That(second.GetProperty("nextCursor").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    private static async Task<List<Guid>> IdsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/experts?{query}&limit=200");
        var page = await ReadJsonAsync(response);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), page.ToString());
        return page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();
    }
}
