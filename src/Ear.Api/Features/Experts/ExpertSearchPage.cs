using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Ear.Api.Features.Experts;

/// <summary>
/// How prominently an expert holds the words of q, best first: every word in the names or the labels of the
/// expert's themes; in the profile (those, position, employer, bio); or only with the CV text. A search
/// with q lists its matches tier by tier, each in id order (decision 0016).
/// </summary>
internal enum MatchTier : byte
{
    None = 0,
    NamesOrThemes = 1,
    Profile = 2,
    Cv = 3,
}

/// <summary>One expert of a search page, with its children and, on the first page of a q, a snippet.</summary>
internal sealed record SearchHit(ExpertRow Row, MatchTier Tier, string? Snippet);

/// <summary>
/// A page of the search in one statement per tier: the ids in index order, then their profiles, languages,
/// themes, periods and snippets; the first statement also counts the matches, up to <see cref="CountLimit"/>.
/// </summary>
internal static partial class ExpertSearchPage
{
    /// <summary>
    /// Counting stops here: a broad query (a common word, no filter) matches a fifth of a million experts,
    /// and counting them all cost more than the page. Beyond it the answer says "more than 1,000", the
    /// way search engines do; nobody pages through a thousand experts, they narrow the search.
    /// </summary>
    public const int CountLimit = 1_000;

    /// <summary>
    /// The part of a CV a snippet is taken from, and only for experts found by their CV alone: a headline parses
    /// its text once for each configuration tried, and a CV can be a hundred pages.
    /// </summary>
    private const int CvHeadlineCharacters = 20_000;

    /// <summary>The wire names of the tiers, in tier order (<see cref="MatchTier"/> 1, 2, 3).</summary>
    public static readonly IReadOnlyList<string> TierNames = ["names_or_themes", "profile", "cv"];

    public static string NameOf(MatchTier tier) => TierNames[(int)tier - 1];

    // A later tier is sought through its own vector (what it adds to the tier before) holding any word of q,
    // then kept by the tier's own test: an expert whose profile holds q while its names do not has one of q's
    // words in profile_only, so the first condition loses no one (0022_indexed_search_and_month_ledgers.sql).
    // Without it, NOT names_themes @@ q could only be checked by walking the id index through the earlier tier.
    private static readonly string[] Pages =
    [
        PageOf(join: "", tier: ""),
        PageOf(TextJoin, $"AND s.names_themes @@ ear_search_query(@Words::text) {WholeDocumentWhenNegated}"),
        PageOf(TextJoin, $"""
            AND s.profile_only @@ ear_search_any_word(@Words::text)
            AND s.profile @@ ear_search_query(@Words::text) AND NOT s.names_themes @@ ear_search_query(@Words::text) {WholeDocumentWhenNegated}
            """),
        PageOf(TextJoin, $"""
            AND s.cv_only @@ ear_search_any_word(@Words::text)
            AND s.document @@ ear_search_query(@Words::text) AND NOT s.profile @@ ear_search_query(@Words::text)
            """),
    ];

    // The id bound is repeated on expert_search: PostgreSQL does not carry an inequality across the join's
    // equality, and a deep page otherwise read expert_search from its first row (10,500 rows for page 40 of a
    // common word at 100,000 experts).
    private const string TextJoin = "JOIN expert_search s ON s.expert_id = e.id AND (@After::uuid IS NULL OR s.expert_id > @After::uuid)";

    /// <summary>
    /// The filters again, asked of expert_search's facets (the words of the filtered columns, kept by the
    /// experts_refresh_search triggers) for the count: the same experts pass, but through facets' GIN index,
    /// which PostgreSQL intersects with q's in the one table instead of probing q for every expert the filters
    /// keep. Availability and erasure are left to <see cref="ExpertsQueries.Filters"/>, which is always asked
    /// too. A page does not ask them: it walks the id index and stops at the page's last match, and with them
    /// the plan PostgreSQL keeps for the prepared statement after five runs walked every match of the first tier.
    /// </summary>
    private const string FacetFilters = """
        AND (@ScopeMemberState::char(2) IS NULL OR s.facets @> ear_search_facets('member_state', ARRAY[@ScopeMemberState::text]))
        AND (@ThemeCodes::text[] IS NULL OR s.facets && ear_search_facets('theme', @ThemeCodes::text[]))
        AND (@LanguageSkill::text IS NULL OR s.facets @> ear_search_facets('language', ARRAY[@LanguageSkill::text]))
        AND (@Kinds::text[] IS NULL OR s.facets && ear_search_facets('kind', @Kinds::text[]))
        AND (@Nationality::char(2) IS NULL OR s.facets @> ear_search_facets('nationality', ARRAY[@Nationality::text]))
        AND (@MemberState::char(2) IS NULL OR s.facets @> ear_search_facets('member_state', ARRAY[@MemberState::text]))
        AND (@CountryOfExperience::char(2) IS NULL OR s.facets @> ear_search_facets('country', ARRAY[@CountryOfExperience::text]))
        AND (@RegionCountries::char(2)[] IS NULL OR s.facets && ear_search_facets('country', @RegionCountries::text[]))
        AND (@Status::text IS NULL OR s.facets @> ear_search_facets('status', ARRAY[@Status::text]))
        """;

    /// <summary>
    /// The tiers assume that what matches the names matches the profile and the whole document. A negated word
    /// (`smith -python`) breaks that: the names may match while the CV holds the word. Then the tier also asks the
    /// whole document, as the count and the CSV export do, so a search and its count agree on who matches.
    /// Without a negation the check would be true anyway, and is skipped.
    /// </summary>
    private const string WholeDocumentWhenNegated = "AND (NOT @Negated OR s.document @@ ear_search_query(@Words::text))";

    /// <summary>A word written with a leading minus, which websearch_to_tsquery reads as NOT.</summary>
    [GeneratedRegex(@"(^|\s)-[^\s-]", RegexOptions.CultureInvariant)]
    private static partial Regex NegatedWord();

    // The tier's predicate matches the words; the filter's own text predicate is switched off (@Text null).
    // The ids come first, through the index that fits, and only then the columns, children and snippets of
    // those few: MATERIALIZED keeps PostgreSQL from computing them for every candidate of a sort.
    // A snippet of the profile is sought only where its words hold one of q's (expert_snippet_words,
    // 0024_search_common_lexemes_and_snippet_words.sql): elsewhere all eight configurations come back empty, and
    // trying them was a fifth of a page whose experts were found by their names or themes.
    private static string PageOf(string join, string tier) => $$"""
        WITH page AS MATERIALIZED (
            SELECT e.id
            FROM experts e {{join}}
            WHERE {{ExpertsQueries.Filters}} {{tier}}
              AND (@After::uuid IS NULL OR e.id > @After::uuid)
            ORDER BY e.id
            LIMIT @Limit
        )
        SELECT {{ExpertsQueries.Columns}},
               @Tier::int AS tier,
               (SELECT coalesce(json_agg(json_build_object('code', l.language_code, 'level', l.level) ORDER BY l.language_code), '[]')
                FROM expert_languages l WHERE l.expert_id = e.id)::text AS languages,
               (SELECT coalesce(json_agg(json_build_object('code', t.theme_code, 'level', t.level) ORDER BY t.theme_code), '[]')
                FROM expert_themes t WHERE t.expert_id = e.id)::text AS themes,
               (SELECT coalesce(json_agg(json_build_object('from', lower(u.period), 'to', upper(u.period) - 1) ORDER BY lower(u.period)), '[]')
                FROM expert_unavailability u WHERE u.expert_id = e.id)::text AS unavailability,
               CASE WHEN @Snippets THEN coalesce(
                   CASE WHEN EXISTS (SELECT 1 FROM expert_snippet_words w WHERE w.expert_id = e.id AND w.words @@ ear_search_any_word(@Words::text))
                       THEN ear_headline(ear_snippet_text(e.position, e.employer, e.bio), @Words::text) END,
                   CASE WHEN @CvVisible AND @Tier::int = {{(int)MatchTier.Cv}} THEN ear_headline(left(e.cv_text, {{CvHeadlineCharacters}}), @Words::text) END) END AS snippet
        FROM page p
        JOIN experts e ON e.id = p.id
        ORDER BY e.id
        """;

    // All matches, of every tier, counted up to the limit. With q, the matches are found in expert_search, q's
    // index intersected with the facets' (the filters), and each is checked against experts by its id. The
    // check is a subquery kept apart (OFFSET 0): as a join, PostgreSQL counted the redundant facets twice in its
    // estimate and read every expert the filters keep into a hash (45 ms of 55 at 100,000 experts). The
    // filter's own IN (subquery) for q is switched off (@Text null): inside "@Text IS NULL OR" it ran whole,
    // over every match of q (640 ms for a common word at 100,000 experts), before counting the first thousand.
    private static readonly string[] Counts =
    [
        $"SELECT count(*) FROM (SELECT 1 FROM experts e WHERE {ExpertsQueries.Filters} LIMIT @CountLimit + 1) matches",
        // A common word without facet filters (db/migrations/0023_search_count_by_word_frequency.sql) is counted
        // through the join from experts, which stops at the limit after a few thousand rows; the facets' way would
        // first read the word's whole posting list. With filters the join may walk most of the roster to find the
        // few that pass them (a fifth of it for "q + filters" at a million experts), so the facets count them.
        $"""
        SELECT CASE WHEN NOT @NarrowsByFacet AND ear_search_is_common(@Words::text, @CommonLexemes::text[])
            THEN (SELECT count(*) FROM (SELECT 1 FROM experts e JOIN expert_search s ON s.expert_id = e.id
                                        WHERE {ExpertsQueries.Filters} AND s.document @@ ear_search_query(@Words::text)
                                        LIMIT @CountLimit + 1) matches)
            ELSE (SELECT count(*) FROM (SELECT 1 FROM expert_search s
                                        WHERE s.document @@ ear_search_query(@Words::text) {FacetFilters}
                                          AND EXISTS (SELECT 1 FROM experts e WHERE e.id = s.expert_id AND {ExpertsQueries.Filters} OFFSET 0)
                                        LIMIT @CountLimit + 1) matches)
        END
        """,
    ];

    /// <summary>
    /// Up to <paramref name="limit"/> matches after <paramref name="cursor"/> in search order, and the number of
    /// all matches (at most <see cref="CountLimit"/>, and whether that is all of them).
    /// </summary>
    public static async Task<(List<SearchHit> Hits, ExpertChildren Children, long Total, bool TotalIsExact)> ReadAsync(
        NpgsqlConnection connection, ExpertFilter filter, SearchCursor? cursor, int limit, bool snippets, bool cvVisible,
        CancellationToken cancellationToken)
    {
        var ranked = filter.Text is not null;
        var tier = cursor?.Tier ?? (ranked ? MatchTier.NamesOrThemes : MatchTier.None);
        var after = cursor?.After;
        var hits = new List<SearchHit>();
        var languages = new List<ExpertLanguageRow>();
        var themes = new List<ExpertThemeRow>();
        var unavailability = new List<UnavailabilityRow>();
        long? counted = null;
        var commonLexemes = ranked ? await CommonLexemes.GetAsync(connection, cancellationToken) : [];
        while (true)
        {
            var parameters = new DynamicParameters(filter with { Text = null });
            parameters.Add("Words", filter.Text);
            parameters.Add("Negated", filter.Text is { } words && NegatedWord().IsMatch(words));
            parameters.Add("After", after);
            parameters.Add("Limit", limit - hits.Count);
            parameters.Add("Tier", (int)tier);
            parameters.Add("Snippets", snippets && ranked);
            parameters.Add("CvVisible", cvVisible);
            parameters.Add("CountLimit", CountLimit);
            parameters.Add("CommonLexemes", commonLexemes);
            var sql = Pages[(int)tier];
            if (counted is null)
            {
                sql = $"{sql};\n{Counts[ranked ? 1 : 0]}";
            }

            await using (var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)))
            {
                foreach (var row in results.Read<ExpertRow, PageExtras, (ExpertRow Row, PageExtras Extras)>((row, extras) => (row, extras), splitOn: "tier"))
                {
                    hits.Add(new SearchHit(row.Row, (MatchTier)row.Extras.Tier, row.Extras.Snippet));
                    languages.AddRange(Parse<CodeLevel>(row.Extras.Languages).Select(l => new ExpertLanguageRow(row.Row.Id, l.Code, l.Level.GetString()!)));
                    themes.AddRange(Parse<CodeLevel>(row.Extras.Themes).Select(t => new ExpertThemeRow(row.Row.Id, t.Code, t.Level.GetInt16())));
                    unavailability.AddRange(Parse<Period>(row.Extras.Unavailability).Select(u => new UnavailabilityRow(row.Row.Id, u.From, u.To)));
                }

                counted ??= await results.ReadSingleAsync<long>();
            }

            // On the first page an exact count that the rows read already reach means the later tiers hold
            // nothing: skip them, since finding that out can mean walking the id index far past a filter's few matches.
            var allRead = cursor is null && counted <= CountLimit && hits.Count >= counted;
            if (hits.Count == limit || allRead || tier is MatchTier.None or MatchTier.Cv)
            {
                break;
            }

            tier++;
            after = null;
        }

        var children = new ExpertChildren(
            languages.ToLookup(l => l.ExpertId), themes.ToLookup(t => t.ExpertId), unavailability.ToLookup(u => u.ExpertId));
        return (hits, children, Math.Min(counted.Value, CountLimit), counted.Value <= CountLimit);
    }

    /// <summary>
    /// The lexemes in more than 5 % of the documents, as the last ANALYZE found them, read at most every few minutes
    /// (db/migrations/0024_search_common_lexemes_and_snippet_words.sql): reading pg_stats in every count cost about 1 ms. They
    /// only choose how a count is taken, never what it counts, so a list some minutes old is as good as a fresh one.
    /// </summary>
    private static class CommonLexemes
    {
        private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

        // One entry per database (a process may serve several: the tests do), each read and replaced whole; two
        // searches that find it stale both read it.
        private static readonly ConcurrentDictionary<string, Read> Last = new(StringComparer.Ordinal);

        public static async Task<string[]> GetAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            var database = $"{connection.Host}:{connection.Port}/{connection.Database}";
            if (Last.TryGetValue(database, out var last) && Stopwatch.GetElapsedTime(last.At) < MaxAge)
            {
                return last.Lexemes;
            }

            const string sql = "SELECT ear_search_common_lexemes()";
            var lexemes = await connection.ExecuteScalarAsync<string[]>(new CommandDefinition(sql, cancellationToken: cancellationToken)) ?? [];
            Last[database] = new Read(lexemes, Stopwatch.GetTimestamp());
            return lexemes;
        }

        private sealed record Read(string[] Lexemes, long At);
    }

    /// <summary>
    /// A headline as HTML: the text escaped, the matched words (between U+0002 and U+0003, see ear_headline in
    /// 0016_ranked_search.sql) in mark elements. The text is the expert's own: it must not become markup.
    /// </summary>
    public static string? SnippetHtml(string? headline)
    {
        if (headline is null)
        {
            return null;
        }

        var html = new StringBuilder(headline.Length + 32);
        var marked = false;
        foreach (var part in headline.Split(['\u0002', '\u0003']))
        {
            var text = part.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
                .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
            html.Append(marked && text.Length > 0 ? $"<mark>{text}</mark>" : text);
            marked = !marked;
        }

        return html.ToString();
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static T[] Parse<T>(string json) => JsonSerializer.Deserialize<T[]>(json, Json)!;

    private sealed record CodeLevel(string Code, JsonElement Level);

    private sealed record Period(DateOnly From, DateOnly To);

    private sealed record PageExtras
    {
        public int Tier { get; init; }
        public string Languages { get; init; } = "[]";
        public string Themes { get; init; } = "[]";
        public string Unavailability { get; init; } = "[]";
        public string? Snippet { get; init; }
    }
}
