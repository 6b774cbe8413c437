using System.Text;
using Ear.Api.Features.ReferenceData;

namespace Ear.Api.DemoData;

/// <summary>Who an expert is, before the details are drawn: what the demonstration story needs to decide itself.</summary>
internal sealed record ExpertSketch(
    string Kind, string Nationality, string? MemberState, string Gender, DateTimeOffset CreatedAt, DateTimeOffset? ConsentRecordedAt, string Status);

/// <summary>One generated expert, shaped like the rows of the experts tables.</summary>
internal sealed record DemoExpert(
    Guid Id,
    string GivenName,
    string FamilyName,
    string Email,
    string? Phone,
    string Gender,
    string Nationality,
    string Kind,
    string? MemberState,
    string Employer,
    string Position,
    string Bio,
    string[] CountriesOfExperience,
    string Status,
    DateTimeOffset? ConsentRecordedAt,
    DateTimeOffset CreatedAt,
    IReadOnlyList<(string Code, string Level, short Rank)> Languages,
    IReadOnlyList<(string Code, short Level)> Themes,
    IReadOnlyList<(DateOnly From, DateOnly To)> Unavailability);

/// <summary>
/// A synthetic roster whose make-up follows docs/domain.md (the figures EAR must report): about 60 % civil servants (EU member-state
/// administrations in the 2009-2015 proportions by state, plus South administrations), the rest
/// academics, NGO staff, consultants, EU agency and international organisation staff; about 57 % women;
/// names of the expert's gender and naming tradition and mobile numbers of the nationality's country
/// (<see cref="DemoPeople"/>); languages plausible for each nationality; themes weighted towards the most
/// requested areas. <see cref="Generate"/> draws whole experts (the `seed` verb); <see cref="Person"/>
/// completes one whose origin, gender and dates <see cref="DemoStory"/> decided.
/// The same size and seed always give the same roster (ids included), on any machine.
/// </summary>
internal sealed class DemoRoster(ReferenceSnapshot reference)
{
    /// <summary>Days counted from here keep the roster identical whatever the date it is generated on.</summary>
    public static readonly DateOnly ReferenceDate = new(2026, 11, 1);

    private static readonly DateTimeOffset RosterStart = new(2009, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Experts of EU administrations involved 2009-2015, by member state (docs/domain.md, the figures table).
    private static readonly (string Country, int Weight)[] MemberStates =
    [
        ("NL", 22), ("FR", 19), ("ES", 16), ("IT", 14), ("PT", 13), ("GB", 10), ("HU", 9), ("AT", 8), ("BE", 8), ("PL", 8),
        ("SI", 8), ("LT", 7), ("RO", 7), ("BG", 3), ("DE", 3), ("CZ", 2), ("DK", 2), ("FI", 2), ("SE", 2), ("GR", 1), ("MT", 1),
        ("SK", 2), ("HR", 1), ("IE", 1), ("EE", 1), ("LV", 1), ("LU", 1), ("CY", 1),
    ];

    // South administrations: every country the historical record drew experts from comes first.
    private static readonly string[] SouthCountries =
    [
        "CV", "BJ", "MD", "SN", "ML", "UA", "NG", "TN", "GH", "PH", "RU", "AR", "JO", "MA", "CI", "BF", "KE", "PE", "CO",
        "MX", "GE", "AM", "TH", "KH", "KG", "KZ", "BR", "CR", "LB", "EG", "UG", "ET", "RW", "TG", "CM",
    ];

    private static readonly string[] OtherNationalities =
        ["FR", "BE", "NL", "ES", "IT", "PT", "DE", "AT", "GB", "IE", "SE", "PL", "GR", "SN", "MA", "AR", "TN", "CM", "UA", "GE", "KE", "CO", "PH"];

    private static readonly (string Kind, int Weight)[] Kinds =
    [
        ("eu_civil_servant", 52), ("south_civil_servant", 8), ("academic", 12), ("private_consultant", 12), ("ngo", 8),
        ("eu_agency", 5), ("international_organisation", 3),
    ];

    private static readonly (string Area, int Weight)[] ThemeAreas =
        [("irregular", 35), ("legal", 20), ("horizontal", 25), ("development", 10), ("protection", 10)];

    private static readonly Dictionary<string, string> NativeLanguage = new(StringComparer.Ordinal)
    {
        ["FR"] = "fr", ["BE"] = "nl", ["NL"] = "nl", ["ES"] = "es", ["IT"] = "it", ["PT"] = "pt", ["GB"] = "en", ["IE"] = "en",
        ["HU"] = "hu", ["AT"] = "de", ["DE"] = "de", ["PL"] = "pl", ["SI"] = "sl", ["LT"] = "lt", ["RO"] = "ro", ["BG"] = "bg",
        ["CZ"] = "cs", ["DK"] = "da", ["FI"] = "fi", ["SE"] = "sv", ["GR"] = "el", ["MT"] = "mt", ["HR"] = "hr", ["SK"] = "sk",
        ["EE"] = "et", ["LV"] = "lv", ["LU"] = "fr", ["CY"] = "el", ["MA"] = "ar", ["TN"] = "ar", ["JO"] = "ar", ["LB"] = "ar",
        ["EG"] = "ar", ["SN"] = "fr", ["ML"] = "fr", ["BF"] = "fr", ["CI"] = "fr", ["BJ"] = "fr", ["TG"] = "fr", ["CM"] = "fr",
        ["RW"] = "rw", ["CV"] = "pt", ["BR"] = "pt", ["GH"] = "en", ["NG"] = "en", ["KE"] = "en", ["UG"] = "en", ["ET"] = "am",
        ["AR"] = "es", ["PE"] = "es", ["CO"] = "es", ["MX"] = "es", ["CR"] = "es", ["MD"] = "ro", ["UA"] = "uk", ["RU"] = "ru",
        ["GE"] = "ka", ["AM"] = "hy", ["PH"] = "tl", ["TH"] = "th", ["KH"] = "km", ["KG"] = "ky", ["KZ"] = "kk",
    };

    private static readonly Dictionary<string, string[]> EmployersByKind = new(StringComparer.Ordinal)
    {
        ["eu_civil_servant"] = ["Ministry of the Interior", "Border Police", "Immigration and Naturalisation Service", "Ministry of Labour", "Asylum Office", "Ministry of Foreign Affairs", "National Police"],
        ["south_civil_servant"] = ["Ministry of the Interior", "Directorate of Migration", "Border Police", "Ministry of Labour", "Ministry of Foreign Affairs", "National Statistics Office"],
        ["academic"] = ["University of Amsterdam", "Sciences Po", "University of Oxford", "Universidad Complutense", "University of Lisbon", "Central European University"],
        ["ngo"] = ["Caritas", "Red Cross", "La Strada International", "Migrant Rights Centre"],
        ["private_consultant"] = ["Independent consultant"],
        ["eu_agency"] = ["Frontex", "European Union Agency for Asylum", "Europol", "EU Agency for Fundamental Rights"],
        ["international_organisation"] = ["IOM", "UNHCR", "ILO", "UNODC"],
    };

    private static readonly string[] Positions =
        ["Senior Policy Officer", "Head of Unit", "Border Guard Officer", "Legal Adviser", "Trainer", "Researcher", "Programme Manager", "Inspector", "Analyst", "Director"];

    private static readonly string[] Levels = ["A2", "B1", "B2", "C1", "C2"];

    private readonly string[] _partnerCountries = reference.Regions.SelectMany(r => r.Countries).Distinct().Order(StringComparer.Ordinal).ToArray();
    private readonly Dictionary<string, string[]> _themesByArea = reference.ThemeTree.ToDictionary(
        area => area.Code, area => area.Children.Select(c => c.Code).Prepend(area.Code).ToArray(), StringComparer.Ordinal);

    public IEnumerable<DemoExpert> Generate(int size, int seed)
    {
        var random = new Random(seed);
        var generated = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < size; index++)
        {
            var kind = Pick(random, Kinds);
            var ofKind = generated[kind] = generated.GetValueOrDefault(kind) + 1;
            var (nationality, memberState) = Origin(random, kind, ofKind - 1);
            var gender = Gender(random);
            var createdAt = CreatedAt(random);
            var consentAt = random.NextDouble() < 0.94 ? createdAt.AddDays(random.Next(0, 30)) : (DateTimeOffset?)null;
            var status = random.NextDouble() < 0.9 ? "active" : "inactive";
            yield return Person(random, index, seed, new ExpertSketch(kind, nationality, memberState, gender, createdAt, consentAt, status));
        }
    }

    /// <summary>A kind drawn with the roster's weights.</summary>
    public static string Kind(Random random) => Pick(random, Kinds);

    /// <summary>About 57 % women, a few of another or undisclosed gender.</summary>
    public static string Gender(Random random) =>
        random.NextDouble() switch { < 0.57 => "female", < 0.98 => "male", < 0.99 => "other", _ => "undisclosed" };

    /// <summary>A member state drawn with the 2009-2015 weights, leaving out the states not members on the day.</summary>
    public string MemberState(Random random, DateOnly on) =>
        Pick(random, MemberStates.Where(m => reference.IsEuMember(m.Country, on)).ToArray());

    /// <summary>A South administration's country.</summary>
    public static string SouthCountry(Random random) => Pick(random, SouthCountries);

    /// <summary>
    /// Nationality and nominating member state for a kind. The first EU civil servants cover every
    /// member state, and the first South ones every South country twice, so that any roster of
    /// demonstration size can staff an action anywhere.
    /// </summary>
    private (string Nationality, string? MemberState) Origin(Random random, string kind, int indexOfKind)
    {
        var (nationality, memberState) = kind switch
        {
            "eu_civil_servant" => Both(indexOfKind < MemberStates.Length ? MemberStates[indexOfKind].Country : Pick(random, MemberStates)),
            "south_civil_servant" => (indexOfKind < 2 * SouthCountries.Length ? SouthCountries[indexOfKind % SouthCountries.Length] : Pick(random, SouthCountries), (string?)null),
            _ => (Pick(random, OtherNationalities), (string?)null),
        };
        if (kind != "eu_civil_servant" && reference.WasEverEuMember(nationality) && random.NextDouble() < 0.3)
        {
            memberState = nationality;
        }

        return (nationality, memberState);

        static (string, string?) Both(string country) => (country, country);
    }

    /// <summary>A nationality for an expert outside administrations: an EU one or not.</summary>
    public string OtherNationality(Random random, bool european) =>
        Pick(random, OtherNationalities.Where(n => reference.WasEverEuMember(n) == european).ToArray());

    /// <summary>The expert a sketch describes, with a name, contact, languages, themes and the rest drawn to fit it.</summary>
    public DemoExpert Person(Random random, int index, int seed, ExpertSketch sketch)
    {
        var native = NativeLanguage.GetValueOrDefault(sketch.Nationality, "en");
        var (given, family) = DemoPeople.Name(random, sketch.Nationality, sketch.Gender);
        var themes = Themes(random);
        var position = Positions[random.Next(Positions.Length)];
        var employers = EmployersByKind[sketch.Kind];
        var employer = employers[random.Next(employers.Length)];
        var themeLabels = string.Join(", ", themes.Select(t => ThemeLabel(t.Code)));
        var countries = Enumerable.Range(0, random.Next(0, 6)).Select(_ => _partnerCountries[random.Next(_partnerCountries.Length)])
            .Where(c => c != sketch.Nationality).Distinct().Order(StringComparer.Ordinal).ToArray();

        return new DemoExpert(
            Id: IdFor(sketch.CreatedAt, seed, index),
            GivenName: given,
            FamilyName: family,
            Email: $"{Ascii(given)}.{Ascii(family)}.{seed}-{index}@example.org",
            Phone: random.NextDouble() < 0.8 ? DemoPeople.MobileNumber(random, sketch.Nationality) : null,
            Gender: sketch.Gender,
            Nationality: sketch.Nationality,
            Kind: sketch.Kind,
            MemberState: sketch.MemberState,
            Employer: employer,
            Position: position,
            Bio: $"{position} at {employer} with {random.Next(3, 30)} years of experience in {themeLabels}.",
            CountriesOfExperience: countries,
            Status: sketch.Status,
            ConsentRecordedAt: sketch.ConsentRecordedAt,
            CreatedAt: sketch.CreatedAt,
            Languages: Languages(random, native, sketch.Nationality),
            Themes: themes,
            Unavailability: random.NextDouble() < 0.12 ? [Unavailable(random)] : []);
    }

    private List<(string Code, short Level)> Themes(Random random)
    {
        var themes = new Dictionary<string, short>(StringComparer.Ordinal);
        var count = random.Next(1, 5);
        while (themes.Count < count)
        {
            var candidates = _themesByArea[Pick(random, ThemeAreas)];
            // Most expertise is declared at a sub-theme; an area code alone is rarer.
            var code = random.NextDouble() < 0.1 ? candidates[0] : candidates[1 + random.Next(candidates.Length - 1)];
            themes[code] = (short)(random.NextDouble() switch { < 0.2 => 1, < 0.6 => 2, _ => 3 });
        }

        return themes.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value)).ToList();
    }

    private List<(string Code, string Level, short Rank)> Languages(Random random, string native, string nationality)
    {
        var languages = new Dictionary<string, string>(StringComparer.Ordinal) { [native] = "native" };
        void Maybe(string code, double probability)
        {
            if (!languages.ContainsKey(code) && random.NextDouble() < probability)
            {
                languages[code] = Levels[random.Next(Levels.Length)];
            }
        }

        Maybe("en", native == "en" ? 0 : 0.9);
        Maybe("fr", 0.35);
        Maybe("es", 0.2);
        Maybe("pt", 0.06);
        Maybe("ru", nationality is "UA" or "MD" or "GE" or "AM" or "KG" or "KZ" or "LT" or "LV" or "EE" or "BG" ? 0.8 : 0.03);
        Maybe("ar", nationality is "FR" or "BE" or "ES" ? 0.05 : 0.02);
        Maybe("de", 0.1);
        return languages
            .Where(l => reference.LanguageCodes.Contains(l.Key))
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => (l.Key, l.Value, (short)(Ear.Matching.LanguageLevels.TryRank(l.Value, out var rank) ? rank : 0)))
            .ToList();
    }

    private static DateTimeOffset CreatedAt(Random random)
    {
        // The pool grew over the years: later years are likelier (square root of a uniform draw).
        var span = new DateTimeOffset(ReferenceDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - RosterStart;
        return RosterStart + TimeSpan.FromSeconds(Math.Floor(Math.Sqrt(random.NextDouble()) * span.TotalSeconds));
    }

    private static (DateOnly From, DateOnly To) Unavailable(Random random)
    {
        var from = ReferenceDate.AddDays(random.Next(0, 540));
        return (from, from.AddDays(random.Next(3, 60)));
    }

    /// <summary>A version-7 UUID on the creation time, with the rest from the seed and index: ids sort by creation.</summary>
    private static Guid IdFor(DateTimeOffset createdAt, int seed, int index)
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = createdAt.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        }

        BitConverter.TryWriteBytes(bytes[6..10], index);
        BitConverter.TryWriteBytes(bytes[10..14], seed);
        BitConverter.TryWriteBytes(bytes[14..16], (short)(index * 31 + seed));
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    private string ThemeLabel(string code) =>
        reference.ThemeTree.SelectMany(a => a.Children.Prepend(a)).First(t => t.Code == code).Label.En.ToLowerInvariant();

    private static string Ascii(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (c is 'ł' or 'Ł')
            {
                builder.Append('l');
            }
        }

        return builder.ToString();
    }

    private static T Pick<T>(Random random, (T Value, int Weight)[] weighted)
    {
        var draw = random.Next(weighted.Sum(w => w.Weight));
        foreach (var (value, weight) in weighted)
        {
            if ((draw -= weight) < 0)
            {
                return value;
            }
        }

        throw new InvalidOperationException("Unreachable: the draw is below the total weight.");
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
