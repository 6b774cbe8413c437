-- Ranked free-text search (decision 0016). A match is ranked by the most prominent fields that hold
-- every word of the query: 1) the names and the labels of the expert's themes, 2) the whole profile
-- (those, position, employer, bio), 3) the CV text. Each tier is its own stripped tsvector with a GIN
-- index, so a tier is read in id order through an index, the way the id-ordered search always was,
-- instead of scoring every match (ts_rank_cd over the 19,000 matches of a common word took 300 ms at
-- 100,000 experts, and grows with the roster).
--   names_themes  given and family name, and the en/fr/es labels of the expert's themes
--   profile       names_themes and position, employer, bio
--   document      profile and the CV text: what q matches, now including the theme labels, so that a
--                 search and a CSV export of the same q agree on the matches
-- Vectors are stripped, as before: the ranking is by field, not by word positions.

-- The query of q, as before an OR of the words read by each configuration, now without repeats: most
-- words read alike in several configurations (a name in all eight), and each repeat was tested again
-- against every candidate row and counted again in the planner's estimate of how many rows match, which
-- made it walk the id index where the GIN index was cheaper. Words without lexemes (punctuation, stop
-- words only) give NULL, which matches nothing, as the empty query did.
CREATE OR REPLACE FUNCTION ear_search_query(words text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT string_agg(DISTINCT '(' || q::text || ')', ' | ')::tsquery
    FROM unnest(ARRAY[
        websearch_to_tsquery('ear_simple', words), websearch_to_tsquery('ear_en', words),
        websearch_to_tsquery('ear_fr', words), websearch_to_tsquery('french', words),
        websearch_to_tsquery('ear_es', words), websearch_to_tsquery('spanish', words),
        websearch_to_tsquery('ear_pt', words), websearch_to_tsquery('portuguese', words)]) q
    WHERE numnode(q) > 0
$$;

ALTER TABLE expert_search
    ADD COLUMN names_themes tsvector,
    ADD COLUMN profile      tsvector;

-- The labels of a set of themes as one search vector (a theme's labels are reference data, changed only
-- by a migration, which must then refresh expert_search as this one does).
CREATE FUNCTION ear_themes_vector(codes text[]) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(strip(ear_search_vector(string_agg(concat_ws(' ', t.label_en, t.label_fr, t.label_es), ' '))), ''::tsvector)
    FROM themes t
    WHERE t.code = ANY(codes)
$$;

-- Keeps the three vectors of an expert in step with the profile, for every writer (the API, the
-- import, the demonstration loader's COPY, erasure, which blanks names, bio, CV and themes).
CREATE OR REPLACE FUNCTION experts_refresh_search() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    names_themes tsvector := strip(ear_search_vector(concat_ws(' ', NEW.given_name, NEW.family_name))) || ear_themes_vector(NEW.theme_codes);
    profile tsvector := names_themes || strip(ear_search_vector(concat_ws(' ', NEW.position, NEW.employer, NEW.bio)));
BEGIN
    INSERT INTO expert_search (expert_id, names_themes, profile, document)
    VALUES (NEW.id, names_themes, profile, profile || strip(ear_search_vector(coalesce(NEW.cv_text, ''))))
    ON CONFLICT (expert_id) DO UPDATE
    SET names_themes = EXCLUDED.names_themes, profile = EXCLUDED.profile, document = EXCLUDED.document;
    RETURN NULL;
END
$$;

DROP TRIGGER experts_refresh_search ON experts;
CREATE TRIGGER experts_refresh_search
AFTER INSERT OR UPDATE OF given_name, family_name, position, employer, bio, cv_text, theme_codes ON experts
FOR EACH ROW EXECUTE FUNCTION experts_refresh_search();

COMMENT ON FUNCTION experts_refresh_search() IS
    'Writes the expert''s three search vectors (names and theme labels; the whole profile; profile and CV text) into expert_search, the table q searches and ranks by.';
COMMENT ON TRIGGER experts_refresh_search ON experts IS
    'Search: q finds and ranks an expert by the words of its names, themes, profile and CV as they are now. Row-level with UPDATE OF: it fires only when one of those columns is set.';

-- The backfill parses each theme's labels once rather than once per expert, and adds them to the
-- existing document rather than parsing the CV again (a stripped vector's union is the vector of the
-- joined text). The index is rebuilt after the rows, which is many times faster than maintaining it.
CREATE TEMPORARY TABLE theme_vectors ON COMMIT DROP AS
SELECT t.code, strip(ear_search_vector(concat_ws(' ', t.label_en, t.label_fr, t.label_es))) AS vector
FROM themes t;
CREATE AGGREGATE pg_temp.tsvector_union(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');

DROP INDEX expert_search_document;

UPDATE expert_search s
SET names_themes = x.names_themes,
    profile = x.names_themes || x.rest,
    document = s.document || x.names_themes
FROM (
    SELECT e.id,
           strip(ear_search_vector(concat_ws(' ', e.given_name, e.family_name)))
               || coalesce((SELECT pg_temp.tsvector_union(v.vector) FROM theme_vectors v WHERE v.code = ANY(e.theme_codes)), ''::tsvector)
               AS names_themes,
           strip(ear_search_vector(concat_ws(' ', e.position, e.employer, e.bio))) AS rest
    FROM experts e
) x
WHERE x.id = s.expert_id;

ALTER TABLE expert_search
    ALTER COLUMN names_themes SET NOT NULL,
    ALTER COLUMN profile SET NOT NULL;

CREATE INDEX expert_search_document ON expert_search USING gin (document);
CREATE INDEX expert_search_names_themes ON expert_search USING gin (names_themes);
CREATE INDEX expert_search_profile ON expert_search USING gin (profile);

-- A short extract of the text around the query's words, the words between U+0002 and U+0003 (the API
-- escapes the text and marks them up; control characters in the text are taken out first). The
-- configurations are tried in the order the query is built from, and the first that finds a word
-- wins: the text's language is not known, and one configuration recognises only its own forms.
-- NULL when no word of the text matches.
CREATE FUNCTION ear_headline(document text, words text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    query tsquery := ear_search_query(words);
    plain text := translate(document, chr(2) || chr(3), '');
    configuration regconfig;
    headline text;
BEGIN
    IF plain IS NULL OR plain = '' THEN
        RETURN NULL;
    END IF;
    FOREACH configuration IN ARRAY ARRAY['ear_simple', 'ear_en', 'ear_fr', 'french', 'ear_es', 'spanish', 'ear_pt', 'portuguese']::regconfig[]
    LOOP
        headline := ts_headline(configuration, plain, query,
            'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "');
        IF strpos(headline, chr(2)) > 0 THEN
            RETURN headline;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

ANALYZE expert_search;
