using Ear.Api.Tests;
using System.Net;
using System.Text.Json;
using Ear.Api.Tests.Infrastructure;

namespace Ear.Api.Tests.Foundation;

public sealed class ReferenceDataTests : ApiTest
{
    [Test]
    public async Task Themes_come_as_a_tree_of_five_areas_with_labels_in_three_languages()
    {
        var themes = await ReadJsonAsync(await AsAdmin().GetAsync("/api/v1/themes"));

        var areas = themes.EnumerateArray().Select(t => t.GetProperty("code").GetString()).ToList();
        Assert.That(areas, Is.EqualTo(new[] { "legal", "irregular", "development", "protection", "horizontal" }));
        var irregular = themes.EnumerateArray().Single(t => t.GetProperty("code").GetString() == "irregular");
        var trafficking = irregular.GetProperty("children").EnumerateArray()
            .Single(t => t.GetProperty("code").GetString() == "irregular.trafficking");
        Assert.Multiple(() =>
        {
            Assert.That(trafficking.GetProperty("label").GetProperty("en").GetString(), Is.EqualTo("Trafficking in human beings"));
            Assert.That(trafficking.GetProperty("label").GetProperty("fr").GetString(), Is.EqualTo("Traite des êtres humains"));
            Assert.That(trafficking.GetProperty("label").GetProperty("es").GetString(), Is.EqualTo("Trata de seres humanos"));
        });
    }

    [Test]
    public async Task Every_theme_code_of_the_historical_record_is_in_the_taxonomy()
    {
        var themes = await ReadJsonAsync(await AsAdmin().GetAsync("/api/v1/themes"));
        var codes = Flatten(themes).ToHashSet();

        var record = JsonDocument.Parse(await File.ReadAllTextAsync(HistoricalRecord.Path)).RootElement;
        var recorded = record.EnumerateArray().SelectMany(a => a.GetProperty("themes").EnumerateArray()).Select(t => t.GetString()!).Distinct();

        Assert.That(recorded, Is.SubsetOf(codes));

        static IEnumerable<string> Flatten(JsonElement nodes) => nodes.EnumerateArray()
            .SelectMany(n => Flatten(n.GetProperty("children")).Prepend(n.GetProperty("code").GetString()!));
    }

    [Test]
    public async Task The_United_Kingdom_was_a_member_state_until_the_end_of_January_2020()
    {
        var countries = await ReadJsonAsync(await AsAdmin().GetAsync("/api/v1/countries"));

        var uk = countries.EnumerateArray().Single(c => c.GetProperty("code").GetString() == "GB");
        var membership = uk.GetProperty("euMemberships").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(uk.GetProperty("euMemberToday").GetBoolean(), Is.False);
            Assert.That(membership.GetProperty("from").GetString(), Is.EqualTo("1973-01-01"));
            Assert.That(membership.GetProperty("until").GetString(), Is.EqualTo("2020-02-01"));
        });
        var france = countries.EnumerateArray().Single(c => c.GetProperty("code").GetString() == "FR");
        Assert.That(france.GetProperty("euMemberToday").GetBoolean(), Is.True);
        Assert.That(countries.EnumerateArray().Count(c => c.GetProperty("euMemberToday").GetBoolean()), Is.EqualTo(27));
    }

    [Test]
    public async Task Regions_hold_their_countries()
    {
        var regions = await ReadJsonAsync(await AsAdmin().GetAsync("/api/v1/regions"));

        var east = regions.EnumerateArray().Single(r => r.GetProperty("code").GetString() == "neighbourhood.east");
        Assert.That(east.GetProperty("countries").EnumerateArray().Select(c => c.GetString()),
            Is.EquivalentTo(new[] { "AM", "AZ", "BY", "GE", "MD", "UA" }));
    }

    [Test]
    public async Task Languages_are_iso_639_1()
    {
        var response = await AsAdmin().GetAsync("/api/v1/languages");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var languages = await ReadJsonAsync(response);

        var french = languages.EnumerateArray().Single(l => l.GetProperty("code").GetString() == "fr");
        Assert.Multiple(() =>
        {
            Assert.That(french.GetProperty("name").GetProperty("en").GetString(), Is.EqualTo("French"));
            Assert.That(languages.GetArrayLength(), Is.EqualTo(184));
        });
    }
}
