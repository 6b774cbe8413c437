-- Expert profiles. Languages, themes and unavailability are child rows (the record of levels and
-- periods); the filters search denormalised arrays on experts instead, through GIN indexes, so that a
-- filtered page and its total are bitmap index scans: theme_codes holds the expert's theme codes,
-- language_skills one 'code:rank' token for every level up to the expert's (fr at C1 gives fr:1 ... fr:5),
-- so "French at B2 or better" is language_skills @> '{fr:4}'. The writes keep them in step.
-- An erased expert keeps an anonymised row (no name, contact or free text) so that deployment
-- history and statistics stay right; erased_at marks it and every read path skips it.

CREATE EXTENSION IF NOT EXISTS unaccent;

-- Free-text search is case- and accent-insensitive and stems English, French, Spanish and
-- Portuguese words; ear_simple keeps whole words (names) searchable as typed. The stock french,
-- spanish and portuguese configurations stem the accented words as written (their suffix rules
-- need the accents: "migrações" and "migração" share the stem "migr"); the ear_ ones stem them
-- unaccented, so that a query typed without accents finds them too.
CREATE TEXT SEARCH CONFIGURATION ear_simple (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION ear_simple ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
CREATE TEXT SEARCH CONFIGURATION ear_en (COPY = english);
ALTER TEXT SEARCH CONFIGURATION ear_en ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION ear_fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION ear_fr ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION ear_es (COPY = spanish);
ALTER TEXT SEARCH CONFIGURATION ear_es ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
CREATE TEXT SEARCH CONFIGURATION ear_pt (COPY = portuguese);
ALTER TEXT SEARCH CONFIGURATION ear_pt ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem;

CREATE FUNCTION ear_search_vector(document text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_tsvector('ear_simple', document) || to_tsvector('ear_en', document)
        || to_tsvector('ear_fr', document) || to_tsvector('french', document)
        || to_tsvector('ear_es', document) || to_tsvector('spanish', document)
        || to_tsvector('ear_pt', document) || to_tsvector('portuguese', document)
$$;

CREATE FUNCTION ear_search_query(words text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT websearch_to_tsquery('ear_simple', words) || websearch_to_tsquery('ear_en', words)
        || websearch_to_tsquery('ear_fr', words) || websearch_to_tsquery('french', words)
        || websearch_to_tsquery('ear_es', words) || websearch_to_tsquery('spanish', words)
        || websearch_to_tsquery('ear_pt', words) || websearch_to_tsquery('portuguese', words)
$$;

CREATE TABLE experts (
    id                      uuid        PRIMARY KEY,
    given_name              text        NOT NULL CHECK (length(given_name) <= 100),
    family_name             text        NOT NULL CHECK (length(family_name) <= 100),
    email                   text        CHECK (length(email) <= 254),
    phone                   text        CHECK (length(phone) <= 40),
    gender                  text        NOT NULL CHECK (gender IN ('female', 'male', 'other', 'undisclosed')),
    nationality             char(2)     NOT NULL REFERENCES countries (code),
    kind                    text        NOT NULL CHECK (kind IN ('eu_civil_servant', 'south_civil_servant', 'academic', 'ngo',
                                                                 'private_consultant', 'eu_agency', 'international_organisation')),
    member_state            char(2)     REFERENCES countries (code),
    employer                text        CHECK (length(employer) <= 200),
    position                text        CHECK (length(position) <= 200),
    bio                     text        CHECK (length(bio) <= 5000),
    countries_of_experience char(2)[]   NOT NULL DEFAULT '{}',
    status                  text        NOT NULL CHECK (status IN ('active', 'inactive')),
    consent_recorded_at     timestamptz,
    consent_recorded_by     text        CHECK (length(consent_recorded_by) <= 200),
    consent_basis           text        CHECK (length(consent_basis) <= 500),
    cv_text                 text,
    theme_codes             text[]      NOT NULL DEFAULT '{}',
    language_skills         text[]      NOT NULL DEFAULT '{}',
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    version                 integer     NOT NULL DEFAULT 1,
    erased_at               timestamptz,
    CHECK (kind <> 'eu_civil_servant' OR member_state IS NOT NULL),
    CHECK (erased_at IS NOT NULL OR num_nulls(consent_recorded_at, consent_recorded_by, consent_basis) IN (0, 3)),
    CHECK (erased_at IS NULL OR (email IS NULL AND phone IS NULL AND given_name = '' AND family_name = ''))
);

CREATE UNIQUE INDEX experts_email_unique ON experts (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX experts_theme_codes ON experts USING gin (theme_codes);
CREATE INDEX experts_language_skills ON experts USING gin (language_skills);
CREATE INDEX experts_countries_of_experience ON experts USING gin (countries_of_experience);
CREATE INDEX experts_member_state ON experts (member_state, id) WHERE erased_at IS NULL;
CREATE INDEX experts_nationality ON experts (nationality, id) WHERE erased_at IS NULL;
CREATE INDEX experts_kind ON experts (kind, id) WHERE erased_at IS NULL;

-- The free-text document lives beside the profile, not in it: it is several times the size of the
-- rest of the row, and every filter that reads experts would otherwise drag it along. Positions are
-- stripped (half the size): results are not ranked by proximity, and quoted phrases match as all of
-- their words.
CREATE TABLE expert_search (
    expert_id uuid     PRIMARY KEY REFERENCES experts (id) ON DELETE CASCADE,
    document  tsvector NOT NULL
);
CREATE INDEX expert_search_document ON expert_search USING gin (document);

CREATE FUNCTION experts_refresh_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO expert_search (expert_id, document)
    VALUES (NEW.id, strip(ear_search_vector(concat_ws(' ', NEW.given_name, NEW.family_name, NEW.position, NEW.employer, NEW.bio, NEW.cv_text))))
    ON CONFLICT (expert_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NULL;
END
$$;

CREATE TRIGGER experts_refresh_search
AFTER INSERT OR UPDATE OF given_name, family_name, position, employer, bio, cv_text ON experts
FOR EACH ROW EXECUTE FUNCTION experts_refresh_search();

-- CEFR levels ranked so that "at least B2" is a range comparison; native ranks above C2.
CREATE TABLE language_levels (
    level text     PRIMARY KEY,
    rank  smallint NOT NULL UNIQUE
);
INSERT INTO language_levels (level, rank) VALUES ('A1', 1), ('A2', 2), ('B1', 3), ('B2', 4), ('C1', 5), ('C2', 6), ('native', 7);

CREATE TABLE expert_languages (
    expert_id     uuid     NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    language_code char(2)  NOT NULL REFERENCES languages (code),
    level         text     NOT NULL REFERENCES language_levels (level),
    level_rank    smallint NOT NULL CHECK (level_rank BETWEEN 1 AND 7),
    PRIMARY KEY (expert_id, language_code)
);
CREATE INDEX expert_languages_search ON expert_languages (language_code, level_rank, expert_id);

CREATE TABLE expert_themes (
    expert_id  uuid     NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    theme_code text     NOT NULL REFERENCES themes (code),
    level      smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
    PRIMARY KEY (expert_id, theme_code)
);
CREATE INDEX expert_themes_search ON expert_themes (theme_code, expert_id);

CREATE TABLE expert_unavailability (
    expert_id uuid      NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    period    daterange NOT NULL CHECK (NOT isempty(period) AND NOT lower_inf(period) AND NOT upper_inf(period)),
    EXCLUDE USING gist (expert_id WITH =, period WITH &&)
);
