using Ear.Api.Platform.Database;
using Ear.Api.Platform.Errors;

namespace Ear.Api.Features.ReferenceData;

/// <summary>
/// Reference data changes only through migrations, which run before the service answers, so it is
/// read once and kept in memory: validation and the matching engine look codes up without a query.
/// </summary>
internal sealed class ReferenceCatalog(Db db) : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private ReferenceSnapshot? _data;

    public async ValueTask<ReferenceSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (_data is { } loaded)
        {
            return loaded;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            return _data ??= await db.ReadAsync(ReferenceDataQueries.LoadAsync, cancellationToken);
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();
}

internal sealed class ReferenceSnapshot
{
    private readonly Dictionary<string, List<MembershipPeriod>> _memberships;
    private readonly Dictionary<string, string> _themeParents;

    public ReferenceSnapshot(
        IReadOnlyList<CountryRow> countries,
        IReadOnlyList<MembershipRow> memberships,
        IReadOnlyList<RegionRow> regions,
        IReadOnlyList<RegionCountryRow> regionCountries,
        IReadOnlyList<LanguageRow> languages,
        IReadOnlyList<ThemeRow> themes)
    {
        _memberships = memberships.GroupBy(m => m.CountryCode.Trim())
            .ToDictionary(g => g.Key, g => g.Select(m => new MembershipPeriod(m.From, m.Until)).ToList());
        var regionsByCountry = regionCountries.ToLookup(rc => rc.CountryCode.Trim(), rc => rc.RegionCode);
        Countries = countries.ToDictionary(
            c => c.Code.Trim(),
            c => new CountryInfo(
                c.Code.Trim(),
                new LocalizedText(c.NameEn, c.NameFr, c.NameEs),
                _memberships.GetValueOrDefault(c.Code.Trim()) ?? [],
                regionsByCountry[c.Code.Trim()].ToList()));
        var countriesByRegion = regionCountries.ToLookup(rc => rc.RegionCode, rc => rc.CountryCode.Trim());
        Regions = regions.Select(r => new RegionResponse(r.Code, new LocalizedText(r.LabelEn, r.LabelFr, r.LabelEs), countriesByRegion[r.Code].ToList())).ToList();
        RegionCodes = Regions.Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        Languages = languages.Select(l => new LanguageResponse(l.Code.Trim(), new LocalizedText(l.NameEn, l.NameFr, l.NameEs))).ToList();
        LanguageCodes = Languages.Select(l => l.Code).ToHashSet(StringComparer.Ordinal);
        _themeParents = themes.Where(t => t.ParentCode is not null).ToDictionary(t => t.Code, t => t.ParentCode!);
        ThemeCodes = themes.Select(t => t.Code).ToHashSet(StringComparer.Ordinal);
        Taxonomy = new Ear.Matching.Taxonomy(themes.ToDictionary(t => t.Code, t => t.ParentCode, StringComparer.Ordinal));
        var children = themes.ToLookup(t => t.ParentCode ?? "");
        ThemeTree = Build("");

        IReadOnlyList<ThemeNode> Build(string parent) => children[parent]
            .Select(t => new ThemeNode(t.Code, new LocalizedText(t.LabelEn, t.LabelFr, t.LabelEs), Build(t.Code)))
            .ToList();
    }

    public IReadOnlyDictionary<string, CountryInfo> Countries { get; }

    public IReadOnlyList<RegionResponse> Regions { get; }

    public IReadOnlySet<string> RegionCodes { get; }

    public IReadOnlyList<LanguageResponse> Languages { get; }

    public IReadOnlySet<string> LanguageCodes { get; }

    public IReadOnlySet<string> ThemeCodes { get; }

    public IReadOnlyList<ThemeNode> ThemeTree { get; }

    /// <summary>The theme hierarchy as the matching engine reads it.</summary>
    public Ear.Matching.Taxonomy Taxonomy { get; }

    public bool IsEuMember(string countryCode, DateOnly on) =>
        _memberships.TryGetValue(countryCode, out var periods)
        && periods.Any(p => p.From <= on && (p.Until is null || on < p.Until));

    /// <summary>Countries that are, or were at any time, EU member states (the UK among them).</summary>
    public bool WasEverEuMember(string countryCode) => _memberships.ContainsKey(countryCode);

    /// <summary>
    /// A theme filter: the theme code in any case stands for itself and its sub-themes; null when none is
    /// asked, an error naming the field when the code is unknown.
    /// </summary>
    public string[]? ThemeFilter(ValidationErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var theme = value.Trim().ToLowerInvariant();
        if (ThemeCodes.Contains(theme))
        {
            return ThemesWithin(theme);
        }

        errors.Add(field, $"'{Fields.Shorten(value)}' is not a theme code (see GET /api/v1/themes).");
        return null;
    }

    /// <summary>An ISO 3166-1 alpha-2 code in any case, normalised; an error naming the field when unknown.</summary>
    public string? CountryCode(ValidationErrors errors, string field, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, "Required: an ISO 3166-1 alpha-2 country code.");
            }

            return null;
        }

        var code = value.Trim().ToUpperInvariant();
        if (!Countries.ContainsKey(code))
        {
            errors.Add(field, $"'{Fields.Shorten(value)}' is not an ISO 3166-1 alpha-2 country code.");
            return null;
        }

        return code;
    }

    /// <summary>The region every one of these countries belongs to, when there is exactly one.</summary>
    public string? SharedRegion(IEnumerable<string> countries)
    {
        IEnumerable<string>? shared = null;
        foreach (var country in countries)
        {
            shared = shared is null ? Countries[country].Regions : shared.Intersect(Countries[country].Regions);
        }

        return shared?.ToList() is [var only] ? only : null;
    }

    /// <summary>The code and every code below it: what a filter on a theme matches.</summary>
    public string[] ThemesWithin(string code) => ThemeCodes.Where(c => IsThemeWithin(c, code)).ToArray();

    /// <summary>True when <paramref name="code"/> is <paramref name="ancestor"/> or lies below it.</summary>
    public bool IsThemeWithin(string code, string ancestor)
    {
        for (string? current = code; current is not null; current = _themeParents.GetValueOrDefault(current))
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed record CountryInfo(string Code, LocalizedText Name, IReadOnlyList<MembershipPeriod> EuMemberships, IReadOnlyList<string> Regions);
