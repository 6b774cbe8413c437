-- Two costs of every ranked search's first page, issue #15 (decision 0016).
--
-- 1. Which lexemes are common is read from pg_stats once in a while by the service, not by every search.
-- ear_search_is_common read the view and unnested its thousand most common lexemes on every ranked search's
-- count: about 1 ms of a search's 20-30 ms at 100,000 experts. The statistics change only with an ANALYZE, and the
-- answer only chooses how the count is taken, never what it counts, so the service keeps the list for a few minutes
-- (ExpertSearchPage.CommonLexemes) and asks ear_search_is_common(words, common) with it.

-- The distinct lexemes of ear_search_query(words), the words q is matched by.
CREATE FUNCTION ear_search_lexemes(words text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT replace(q.m[1], '''''', '''')), '{}')
    FROM regexp_matches(ear_search_query(words)::text, '''((?:[^'']|'''')*)''', 'g') AS q (m)
$$;

COMMENT ON FUNCTION ear_search_lexemes(text) IS
    'The distinct lexemes of ear_search_query(words): what ear_search_is_common compares with the common ones.';

-- The lexemes in more than 5 % of expert_search.document by the last ANALYZE (statistics target 1,000, 0022).
CREATE FUNCTION ear_search_common_lexemes() RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(c.lexeme ORDER BY c.lexeme), '{}')
    FROM pg_stats st, unnest(st.most_common_elems::text::text[], st.most_common_elem_freqs) AS c (lexeme, frequency)
    -- The frequencies array ends with three more numbers (minimum, maximum, nulls) that pair with no lexeme.
    WHERE st.schemaname = current_schema() AND st.tablename = 'expert_search' AND st.attname = 'document'
      AND c.lexeme IS NOT NULL AND c.frequency > 0.05
$$;

COMMENT ON FUNCTION ear_search_common_lexemes() IS
    'The lexemes in more than 5 % of expert_search.document according to the last ANALYZE; read by the service every few minutes and passed to ear_search_is_common(words, common).';

-- Every lexeme of q, not just one: "border smith" holds a rare word, which the join would seek in every expert.
CREATE FUNCTION ear_search_is_common(words text, common text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT cardinality(ear_search_lexemes(words)) > 0 AND ear_search_lexemes(words) <@ common
$$;

COMMENT ON FUNCTION ear_search_is_common(text, text[]) IS
    'Whether every lexeme of ear_search_query(words) is among common (ear_search_common_lexemes()): the ranked search then counts its matches through a join that stops at the limit, not through the facets'' index (ExpertSearchPage.Counts).';

CREATE OR REPLACE FUNCTION ear_search_is_common(words text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ear_search_is_common(words, ear_search_common_lexemes())
$$;

COMMENT ON FUNCTION ear_search_is_common(text) IS
    'ear_search_is_common(words, ear_search_common_lexemes()): the same answer from the statistics as they are now.';

-- 2. A highlight is sought only where it can be found. The first page of a q asks ear_headline of each expert's
-- position, employer and bio; it tries the eight configurations in turn and parses the text in each. For an expert
-- found by a name or a theme's label the text seldom holds the word, and all eight came back empty: about 6 ms of a
-- page of 50 at 100,000 experts (a name, "q + filters"), a fifth of the search. ts_headline marks a word only if
-- the configuration reads it as one of q's lexemes, which to_tsvector in that configuration reads alike; so when the
-- words of the text in all eight configurations (ear_search_vector) hold none of q's lexemes, every try comes back
-- empty and the headline is NULL without one. expert_snippet_words keeps those words, from the very text
-- ear_headline reads (ear_snippet_text, control characters taken out as ear_headline does), kept by the trigger
-- that keeps expert_search. Its own table: a new column of expert_search would rewrite every row of it and its
-- six GIN indexes, where this one is written once beside it and read by id for the page's few rows.

CREATE FUNCTION ear_snippet_text(job text, employer text, bio text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT concat_ws(' · ', job, employer, bio)
$$;

COMMENT ON FUNCTION ear_snippet_text(text, text, text) IS
    'The text of an expert a search highlight is taken from (ear_headline), and whose words expert_snippet_words keeps.';

CREATE FUNCTION ear_snippet_words(job text, employer text, bio text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT strip(ear_search_vector(translate(ear_snippet_text(job, employer, bio), chr(2) || chr(3), '')))
$$;

COMMENT ON FUNCTION ear_snippet_words(text, text, text) IS
    'The lexemes of ear_snippet_text in the eight configurations ear_headline tries: no lexeme of q among them, no highlight.';

CREATE TABLE expert_snippet_words (
    expert_id uuid PRIMARY KEY REFERENCES experts (id) ON DELETE CASCADE,
    words     tsvector NOT NULL
);

COMMENT ON TABLE expert_snippet_words IS
    'The words of each expert''s highlight text (ear_snippet_words), kept by experts_refresh_search: a first page of a q calls ear_headline only for an expert whose words hold one of q''s lexemes.';

SET LOCAL maintenance_work_mem = '256MB';

INSERT INTO expert_snippet_words (expert_id, words)
SELECT e.id, ear_snippet_words(e.position, e.employer, e.bio)
FROM experts e;

-- As in 0022, with the highlight's words written beside the vectors.
CREATE OR REPLACE FUNCTION experts_refresh_search() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    names_themes tsvector := strip(ear_search_vector(concat_ws(' ', NEW.given_name, NEW.family_name))) || ear_themes_vector(NEW.theme_codes);
    profile tsvector := names_themes || strip(ear_search_vector(concat_ws(' ', NEW.position, NEW.employer, NEW.bio)));
    document tsvector := profile || strip(ear_search_vector(coalesce(NEW.cv_text, '')));
BEGIN
    INSERT INTO expert_search (expert_id, names_themes, profile, document, profile_only, cv_only, facets)
    VALUES (NEW.id, names_themes, profile, document,
            ts_delete(profile, tsvector_to_array(names_themes)), ts_delete(document, tsvector_to_array(profile)),
            ear_expert_facets(NEW.kind, NEW.nationality, NEW.member_state, NEW.status, NEW.theme_codes, NEW.language_skills,
                              NEW.countries_of_experience::text[]))
    ON CONFLICT (expert_id) DO UPDATE
    SET names_themes = EXCLUDED.names_themes, profile = EXCLUDED.profile, document = EXCLUDED.document,
        profile_only = EXCLUDED.profile_only, cv_only = EXCLUDED.cv_only, facets = EXCLUDED.facets;
    INSERT INTO expert_snippet_words (expert_id, words)
    VALUES (NEW.id, ear_snippet_words(NEW.position, NEW.employer, NEW.bio))
    ON CONFLICT (expert_id) DO UPDATE SET words = EXCLUDED.words;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION experts_refresh_search() IS
    'Writes the expert''s search vectors (names and theme labels; the whole profile; profile and CV text; what the profile and the CV add to the tier before) and facets into expert_search, the table q searches, ranks and counts by, and the words of its highlight text into expert_snippet_words.';

ANALYZE expert_snippet_words;
