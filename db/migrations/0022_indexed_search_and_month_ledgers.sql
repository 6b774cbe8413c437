-- Two parts, both issue #15: the search finds each tier and counts a filtered q through indexes; the
-- summary report reads its window-long deployment and activity figures from month ledgers (at the end).
--
-- Each tier of a ranked search found through an index of its own, and a filtered q counted inside
-- expert_search (decision 0016, issue #15).
--
-- A later tier was read as "the profile matches and the names do not" (NOT names_themes @@ q). No
-- index answers a NOT, so PostgreSQL walked the id index through the earlier tier's experts to find the
-- few of the next, or to learn there were none. Two vectors hold what a tier adds to the one before:
--   profile_only  the lexemes of the profile that are not in the names and theme labels
--   cv_only       the lexemes of the CV text that are not in the profile
-- An expert of tier 2 (the profile holds q, the names do not) has, in profile_only, some lexeme of q:
-- q's truth on a stripped vector depends only on which of its lexemes are there, so the profile and the
-- names can differ on q only where they differ on one of its lexemes. Likewise tier 3 and cv_only. So a
-- tier is read through its vector's GIN index with any lexeme of q (ear_search_any_word), and the tier's
-- own test, unchanged, keeps exactly its experts: the ranking and the cursor are what they were.
--
-- A count of a filtered q probed expert_search once for every expert the filters kept (8,500 probes
-- for the benchmarks' "q + filters" at 100,000 experts, 60 ms; 12,000 and 140 ms at 1,000,000), because
-- the filters' indexes are on experts and q's on expert_search, and two tables' index scans cannot be
-- intersected. facets holds the filtered columns as words ('language:fr:4', 'kind:academic'), so that
-- the filters' words and q are intersected by their GIN indexes in this one table, and only the experts
-- that pass both are read.
--
-- The table is rebuilt rather than updated: an UPDATE of every row would move every row (a row is 1 to 2
-- kB, its page full) and add it to each GIN index; writing the rows anew and building the indexes after is
-- many times faster and leaves no dead rows.

-- The words a search's filters and an expert's facets are compared by: one per value, named by its
-- filter. The API asks through this function too, so both spell a word alike.
CREATE FUNCTION ear_search_facets(facet text, vals text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(facet || ':' || v), '{}') FROM unnest(vals) v WHERE v IS NOT NULL
$$;

COMMENT ON FUNCTION ear_search_facets(text, text[]) IS
    'The words expert_search.facets holds for one filter''s values, and that a search with that filter asks for: ''kind:academic'', ''language:fr:4''.';

CREATE FUNCTION ear_expert_facets(kind text, nationality text, member_state text, status text, theme_codes text[],
                                  language_skills text[], countries_of_experience text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ear_search_facets('kind', ARRAY[kind]) || ear_search_facets('nationality', ARRAY[nationality])
        || ear_search_facets('member_state', ARRAY[member_state]) || ear_search_facets('status', ARRAY[status])
        || ear_search_facets('theme', theme_codes) || ear_search_facets('language', language_skills)
        || ear_search_facets('country', countries_of_experience)
$$;

COMMENT ON FUNCTION ear_expert_facets(text, text, text, text, text[], text[], text[]) IS
    'An expert''s facets: the words of its filtered columns (kind, nationality, member state, status, themes, language skills, countries of experience).';

-- Any lexeme of q, negated ones too: the index condition under which a tier's experts are sought (see
-- the top). NULL when q has none, like ear_search_query.
CREATE FUNCTION ear_search_any_word(words text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT string_agg(DISTINCT m[1], ' | ')::tsquery
    FROM regexp_matches(ear_search_query(words)::text, '(''(?:[^'']|'''')*'')', 'g') m
$$;

COMMENT ON FUNCTION ear_search_any_word(text) IS
    'Any of the lexemes of ear_search_query(words): what a later tier''s own vector (profile_only, cv_only) must hold for the tier to match.';

SET LOCAL maintenance_work_mem = '256MB';

CREATE TABLE expert_search_rebuilt AS
SELECT s.expert_id, s.document, s.names_themes, s.profile,
       ts_delete(s.profile, tsvector_to_array(s.names_themes)) AS profile_only,
       ts_delete(s.document, tsvector_to_array(s.profile)) AS cv_only,
       ear_expert_facets(e.kind, e.nationality, e.member_state, e.status, e.theme_codes, e.language_skills,
                         e.countries_of_experience::text[]) AS facets
FROM expert_search s
JOIN experts e ON e.id = s.expert_id;

DROP TABLE expert_search;
ALTER TABLE expert_search_rebuilt RENAME TO expert_search;
ALTER TABLE expert_search
    ALTER COLUMN expert_id SET NOT NULL,
    ALTER COLUMN document SET NOT NULL,
    ALTER COLUMN names_themes SET NOT NULL,
    ALTER COLUMN profile SET NOT NULL,
    ALTER COLUMN profile_only SET NOT NULL,
    ALTER COLUMN cv_only SET NOT NULL,
    ALTER COLUMN facets SET NOT NULL,
    ADD CONSTRAINT expert_search_pkey PRIMARY KEY (expert_id),
    ADD CONSTRAINT expert_search_expert_id_fkey FOREIGN KEY (expert_id) REFERENCES experts (id) ON DELETE CASCADE;

CREATE INDEX expert_search_document ON expert_search USING gin (document);
CREATE INDEX expert_search_names_themes ON expert_search USING gin (names_themes);
CREATE INDEX expert_search_profile ON expert_search USING gin (profile);
CREATE INDEX expert_search_profile_only ON expert_search USING gin (profile_only);
CREATE INDEX expert_search_cv_only ON expert_search USING gin (cv_only);
CREATE INDEX expert_search_facets ON expert_search USING gin (facets);

-- Keeps the vectors and facets of an expert in step with the profile, for every writer (the API, the
-- import, the demonstration loader's COPY, erasure, which blanks names, bio, CV, themes and languages).
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
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION experts_refresh_search() IS
    'Writes the expert''s search vectors (names and theme labels; the whole profile; profile and CV text; what the profile and the CV add to the tier before) and facets into expert_search, the table q searches, ranks and counts by.';

-- A filtered column changed without a searched text: only the facets are written again (parsing the CV
-- in eight configurations for a new status would be wasted). theme_codes is left to experts_refresh_search,
-- which fires on it and writes the facets too.
CREATE FUNCTION experts_refresh_search_facets() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE expert_search
    SET facets = ear_expert_facets(NEW.kind, NEW.nationality, NEW.member_state, NEW.status, NEW.theme_codes, NEW.language_skills,
                                   NEW.countries_of_experience::text[])
    WHERE expert_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER experts_refresh_search_facets
AFTER UPDATE OF kind, nationality, member_state, status, language_skills, countries_of_experience ON experts
FOR EACH ROW
WHEN ((OLD.kind, OLD.nationality, OLD.member_state, OLD.status, OLD.language_skills, OLD.countries_of_experience)
      IS DISTINCT FROM (NEW.kind, NEW.nationality, NEW.member_state, NEW.status, NEW.language_skills, NEW.countries_of_experience))
EXECUTE FUNCTION experts_refresh_search_facets();

COMMENT ON FUNCTION experts_refresh_search_facets() IS
    'Writes the expert''s facets into expert_search when a filtered column changes, so that a search with q and filters counts the expert as it is now.';
COMMENT ON TRIGGER experts_refresh_search_facets ON experts IS
    'Search: a filtered search with q finds the expert''s kind, nationality, member state, status, languages and countries of experience as they are now. Row-level, only when one of them changed.';

-- A rare word's matches were estimated from the default statistics (100): a lexeme missing from the most
-- common ones is guessed at half the rarest listed, 4,058 experts for a surname 561 hold at 1,000,000, and
-- tier 1 then walked the id index through 112,000 rows (420-740 ms) instead of reading its GIN index (15 ms).
-- A longer list of common lexemes brings the guess for the others down; ANALYZE samples more (9 s at 1,000,000).
ALTER TABLE expert_search
    ALTER COLUMN names_themes SET STATISTICS 1000,
    ALTER COLUMN profile SET STATISTICS 1000,
    ALTER COLUMN document SET STATISTICS 1000,
    ALTER COLUMN profile_only SET STATISTICS 1000,
    ALTER COLUMN cv_only SET STATISTICS 1000;

ANALYZE expert_search;

-- The summary report's figures that grew with its window (decision 0021): at 1,000,000 experts the window
-- 2009-2026 summed all 281,000 rows of deployment_ledger for the number of deployments (30 to 40 ms) and
-- counted all 120,000 activities for the activities by type (25 to 40 ms). Both are now read per month, as
-- the deployment figures already were: the window's whole months from a ledger of a few hundred rows, its
-- partial edge months from the base table through its index (ReportsQueries.LedgerWindow).

-- Per month of a live deployment's first day, the number of deployments: deployment_ledger summed over
-- everything but the month, kept from it by a row trigger, so that the two cannot disagree.
CREATE TABLE deployment_month_ledger (
    start_month date   PRIMARY KEY,
    deployments bigint NOT NULL DEFAULT 0
);
COMMENT ON TABLE deployment_month_ledger IS
    'Per month of a live deployment''s first day, the number of deployments: deployment_ledger summed by month, kept by the deployment_month_ledger_moved trigger on it. The summary sums its whole months.';

CREATE FUNCTION deployment_month_ledger_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO deployment_month_ledger AS m (start_month, deployments) VALUES (OLD.start_month, -OLD.deployments)
        ON CONFLICT (start_month) DO UPDATE SET deployments = m.deployments + EXCLUDED.deployments;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO deployment_month_ledger AS m (start_month, deployments) VALUES (NEW.start_month, NEW.deployments)
        ON CONFLICT (start_month) DO UPDATE SET deployments = m.deployments + EXCLUDED.deployments;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION deployment_month_ledger_moved() IS
    'Moves deployment_month_ledger by the change of one deployment_ledger row''s deployments (taken out as it was, added as it is).';

INSERT INTO deployment_month_ledger (start_month, deployments)
SELECT start_month, sum(deployments) FROM deployment_ledger GROUP BY start_month;

-- Row-level: deployment_ledger_replace writes a few ledger rows per statement, by INSERT ... ON CONFLICT.
CREATE TRIGGER deployment_month_ledger_moved AFTER INSERT OR UPDATE OR DELETE ON deployment_ledger
FOR EACH ROW EXECUTE FUNCTION deployment_month_ledger_moved();
COMMENT ON TRIGGER deployment_month_ledger_moved ON deployment_ledger IS
    'Reports: the summary''s number of deployments over whole months is the sum of deployment_ledger''s rows of those months, read from deployment_month_ledger.';

-- The pool at a date, per member state, is the sum of pool_ledger's days up to it: 153,000 rows (a day and
-- member state each) at 1,000,000 experts, read twice by every summary (25 to 60 ms). Per month, the sum of
-- its days, kept from pool_ledger like deployment_month_ledger: the pool at D is then the months before D's
-- and the days of D's month up to D.
CREATE TABLE pool_month_ledger (
    start_month  date   NOT NULL,
    member_state text   NOT NULL,
    pool_delta   bigint NOT NULL DEFAULT 0,
    created      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (start_month, member_state)
);
COMMENT ON TABLE pool_month_ledger IS
    'Per month and member state ('''' for none), pool_ledger''s days summed: experts joining less leaving the pool, experts created. Kept by the pool_month_ledger_moved trigger on pool_ledger; the reports read the months before a date from it.';

CREATE FUNCTION pool_month_ledger_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO pool_month_ledger AS m (start_month, member_state, pool_delta, created)
        VALUES (date_trunc('month', OLD.day)::date, OLD.member_state, -OLD.pool_delta, -OLD.created)
        ON CONFLICT (start_month, member_state) DO UPDATE
        SET pool_delta = m.pool_delta + EXCLUDED.pool_delta, created = m.created + EXCLUDED.created;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO pool_month_ledger AS m (start_month, member_state, pool_delta, created)
        VALUES (date_trunc('month', NEW.day)::date, NEW.member_state, NEW.pool_delta, NEW.created)
        ON CONFLICT (start_month, member_state) DO UPDATE
        SET pool_delta = m.pool_delta + EXCLUDED.pool_delta, created = m.created + EXCLUDED.created;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pool_month_ledger_moved() IS
    'Moves pool_month_ledger by the change of one pool_ledger row (taken out as it was, added as it is).';

INSERT INTO pool_month_ledger (start_month, member_state, pool_delta, created)
SELECT date_trunc('month', day)::date, member_state, sum(pool_delta), sum(created) FROM pool_ledger GROUP BY 1, 2;

CREATE TRIGGER pool_month_ledger_moved AFTER INSERT OR UPDATE OR DELETE ON pool_ledger
FOR EACH ROW EXECUTE FUNCTION pool_month_ledger_moved();
COMMENT ON TRIGGER pool_month_ledger_moved ON pool_ledger IS
    'Reports: the pool at a date is pool_month_ledger''s months before its month and pool_ledger''s days of its month up to it.';

-- Per month of an activity's first day and type, the number of activities.
CREATE TABLE activity_ledger (
    start_month date   NOT NULL,
    type        text   NOT NULL,
    activities  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (start_month, type)
);
COMMENT ON TABLE activity_ledger IS
    'Per month of an activity''s first day and type, the number of activities. Kept by the activity_ledger_* triggers on activities; the summary sums its whole months.';

-- Adds the activities of one set and takes out those of the other, each at the month of its first day.
-- Additions commute, so concurrent writers need no lock.
CREATE FUNCTION activity_ledger_move(added activities[], removed activities[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO activity_ledger AS l (start_month, type, activities)
    SELECT x.start_month, x.type, sum(x.n)
    FROM (SELECT date_trunc('month', lower(a.period))::date AS start_month, a.type, 1 AS n FROM unnest(added) a
          UNION ALL
          SELECT date_trunc('month', lower(r.period))::date, r.type, -1 FROM unnest(removed) r) x
    GROUP BY 1, 2
    HAVING sum(x.n) <> 0
    ON CONFLICT (start_month, type) DO UPDATE SET activities = l.activities + EXCLUDED.activities
$$;
COMMENT ON FUNCTION activity_ledger_move(activities[], activities[]) IS
    'Adds the added activities to activity_ledger and takes out the removed ones, at the month of each one''s first day and its type. Called by the activity_ledger_* trigger functions.';

CREATE FUNCTION activity_ledger_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM activity_ledger_move(ARRAY(SELECT ROW(n.*)::activities FROM new_rows n), '{}');
    RETURN NULL;
END $$;
COMMENT ON FUNCTION activity_ledger_inserted() IS 'Counts the inserted activities in activity_ledger.';

CREATE FUNCTION activity_ledger_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM activity_ledger_move(ARRAY(SELECT ROW(n.*)::activities FROM new_rows n), ARRAY(SELECT ROW(o.*)::activities FROM old_rows o));
    RETURN NULL;
END $$;
COMMENT ON FUNCTION activity_ledger_updated() IS
    'Moves the updated activities in activity_ledger from their month and type as they were to those they have now (nothing when neither changed).';

CREATE FUNCTION activity_ledger_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM activity_ledger_move('{}', ARRAY(SELECT ROW(o.*)::activities FROM old_rows o));
    RETURN NULL;
END $$;
COMMENT ON FUNCTION activity_ledger_deleted() IS 'Takes the deleted activities (an action deleted takes its activities with it) out of activity_ledger.';

INSERT INTO activity_ledger (start_month, type, activities)
SELECT date_trunc('month', lower(period))::date, type, count(*) FROM activities GROUP BY 1, 2;

CREATE TRIGGER activity_ledger_inserted AFTER INSERT ON activities REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION activity_ledger_inserted();
CREATE TRIGGER activity_ledger_updated AFTER UPDATE ON activities REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION activity_ledger_updated();
CREATE TRIGGER activity_ledger_deleted AFTER DELETE ON activities REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION activity_ledger_deleted();
COMMENT ON TRIGGER activity_ledger_inserted ON activities IS
    'Reports: the summary''s activities by type over whole months are read from activity_ledger; a new activity counts at its first day''s month.';
COMMENT ON TRIGGER activity_ledger_updated ON activities IS
    'Reports: an activity whose first day or type changed moves in activity_ledger.';
COMMENT ON TRIGGER activity_ledger_deleted ON activities IS
    'Reports: a deleted activity leaves activity_ledger.';

ANALYZE deployment_month_ledger;
ANALYZE pool_month_ledger;
ANALYZE activity_ledger;
