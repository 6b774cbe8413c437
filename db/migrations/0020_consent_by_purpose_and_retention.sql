-- Personal data with a lifecycle (issue #17, decision 0022): consent by purpose with its history,
-- re-confirmation of profiles, a retention policy applied by a daily job, and the purpose of each CV download.
--
-- What this keeps from before: experts.consent_recorded_at/by/basis stay the first roster-membership consent,
-- the fact pool_contributions counts from. Withdrawing a consent, waiting for re-confirmation or an expired
-- consent never writes them, so the pool of past years does not move; only erasure (retention's included)
-- moves an expert out of the pool, on its day, as before (0006, 0011).

-- Consent by purpose -------------------------------------------------------------------------------
CREATE TABLE expert_consents (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    expert_id       uuid        NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    purpose         text        NOT NULL CHECK (purpose IN ('roster_membership', 'cv_sharing', 'evaluation_use', 'cv_text_extraction')),
    basis           text        NOT NULL CHECK (basis IN ('focal_point_written_agreement', 'expert_declaration', 'stated_in_profile')),
    note            text        CHECK (length(note) <= 500),
    -- The API key that recorded it; NULL for consents moved here from experts by this migration.
    recorded_by     uuid,
    recorded_at     timestamptz NOT NULL,
    expires_at      timestamptz,
    withdrawn_at    timestamptz,
    withdrawn_by    uuid,
    withdrawal_note text        CHECK (length(withdrawal_note) <= 500),
    entered_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (expires_at IS NULL OR expires_at > recorded_at)
);
CREATE INDEX expert_consents_current ON expert_consents (expert_id, purpose, id DESC);
-- The grants that can expire, for the expiry watch's look every minute (RetentionQueries.ExpiredConsents).
CREATE INDEX expert_consents_expiring ON expert_consents (expires_at) WHERE withdrawn_at IS NULL AND expires_at IS NOT NULL;
COMMENT ON TABLE expert_consents IS
    'One row per consent granted to an expert for one purpose; a withdrawal is written on its grant. Never deleted while the expert exists: the history is the proof (decision 0022). Written only by ConsentWrites.';

-- The one definition of "the consent in force": per expert and purpose, the grant entered last decides.
CREATE VIEW current_consents AS
SELECT DISTINCT ON (expert_id, purpose)
       expert_id, purpose, id AS consent_id, basis, recorded_at, expires_at, withdrawn_at,
       CASE WHEN withdrawn_at IS NOT NULL THEN 'withdrawn'
            WHEN expires_at IS NOT NULL AND expires_at <= now() THEN 'expired'
            ELSE 'granted' END AS state
FROM expert_consents
ORDER BY expert_id, purpose, id DESC;
COMMENT ON VIEW current_consents IS
    'Per expert and purpose, the state of the grant entered last: granted, withdrawn or expired (at the time of the query). The one definition matching, search, CV upload and download, and retention read.';

-- Today's single consent becomes the roster-membership grant, with its date, author and basis kept word for word.
INSERT INTO expert_consents (expert_id, purpose, basis, note, recorded_by, recorded_at, entered_at)
SELECT id, 'roster_membership', 'stated_in_profile',
       left(consent_basis || CASE WHEN consent_recorded_by IS NULL THEN '' ELSE ' (recorded by ' || consent_recorded_by || ')' END, 500),
       NULL, consent_recorded_at, now()
FROM experts
WHERE consent_recorded_at IS NOT NULL AND erased_at IS NULL;

-- Matching reads roster membership and evaluation use: a grant, withdrawal or deletion reloads the expert.
CREATE TRIGGER roster_consents_inserted AFTER INSERT ON expert_consents REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_expert_rows();
CREATE TRIGGER roster_consents_updated AFTER UPDATE ON expert_consents REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_expert_rows();
CREATE TRIGGER roster_consents_deleted AFTER DELETE ON expert_consents REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_expert_rows();
COMMENT ON TRIGGER roster_consents_inserted ON expert_consents IS 'Matching: a new grant (any purpose) reloads the expert, whose roster membership or evaluation use may have changed.';
COMMENT ON TRIGGER roster_consents_updated ON expert_consents IS 'Matching: a withdrawal reloads the expert at once.';
COMMENT ON TRIGGER roster_consents_deleted ON expert_consents IS 'Matching: a deleted grant (the expert''s own deletion) reloads the expert.';

-- Re-confirmation ----------------------------------------------------------------------------------
ALTER TABLE experts
    ADD COLUMN confirmed_at                 timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN pending_reconfirmation_since timestamptz;
UPDATE experts SET confirmed_at = greatest(created_at, coalesce(consent_recorded_at, created_at));
CREATE INDEX experts_confirmation ON experts (confirmed_at) WHERE erased_at IS NULL;
COMMENT ON COLUMN experts.confirmed_at IS 'When the profile was last confirmed (created, or re-confirmed by POST /experts/{id}/reconfirm): the retention clock starts here.';
COMMENT ON COLUMN experts.pending_reconfirmation_since IS 'Set by retention when the profile went unconfirmed too long: the expert is not matched until re-confirmed, and is erased after the grace period.';

CREATE TABLE expert_confirmations (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    expert_id    uuid        NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    confirmed_at timestamptz NOT NULL,
    confirmed_by uuid,
    basis        text        NOT NULL CHECK (basis IN ('focal_point_written_agreement', 'expert_declaration', 'stated_in_profile')),
    note         text        CHECK (length(note) <= 500)
);
CREATE INDEX expert_confirmations_expert ON expert_confirmations (expert_id, id);
COMMENT ON TABLE expert_confirmations IS 'Each re-confirmation of a profile: who, when, on what basis. experts.confirmed_at is the latest.';

-- Matching also reads "waiting for re-confirmation": the experts projection gains it.
CREATE OR REPLACE FUNCTION roster_experts_changed_by_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT id FROM (
        (SELECT id, kind, nationality, member_state, gender, status, consent_recorded_at IS NOT NULL, countries_of_experience, erased_at IS NULL, pending_reconfirmation_since IS NULL FROM old_rows
         EXCEPT ALL
         SELECT id, kind, nationality, member_state, gender, status, consent_recorded_at IS NOT NULL, countries_of_experience, erased_at IS NULL, pending_reconfirmation_since IS NULL FROM new_rows)
        UNION ALL
        (SELECT id, kind, nationality, member_state, gender, status, consent_recorded_at IS NOT NULL, countries_of_experience, erased_at IS NULL, pending_reconfirmation_since IS NULL FROM new_rows
         EXCEPT ALL
         SELECT id, kind, nationality, member_state, gender, status, consent_recorded_at IS NOT NULL, countries_of_experience, erased_at IS NULL, pending_reconfirmation_since IS NULL FROM old_rows)
    ) changed;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION roster_experts_changed_by_update() IS
    'Logs in roster_changes the experts whose kind, nationality, member state, gender, status, having consent, countries of experience, being erased or waiting for re-confirmation changed: what matching reads from experts. A CV upload, a new name or e-mail logs nothing.';

-- CVs: a version stored without consent to text extraction holds no text ----------------------------
ALTER TABLE cv_documents DROP CONSTRAINT cv_documents_text_status_check;
ALTER TABLE cv_documents ADD CONSTRAINT cv_documents_text_status_check
    CHECK (text_status IN ('extracted', 'encrypted', 'no_text', 'not_extracted'));
-- Before consent by purpose nobody agreed to extraction as such: the text goes, the files stay, and the text is
-- read again from them once the expert consents (CvTextRecovery), so nothing is lost.
UPDATE cv_documents SET text = '', text_status = 'not_extracted' WHERE text_status = 'extracted';
UPDATE experts SET cv_text = NULL WHERE cv_text IS NOT NULL;
CREATE INDEX cv_documents_waiting_for_text ON cv_documents (expert_id, version) WHERE text_status = 'not_extracted';
COMMENT ON INDEX cv_documents_waiting_for_text IS 'The versions CvTextRecovery reads again when their expert consents to cv_text_extraction.';

-- The audit: the purpose of a CV download, and pseudonymised entries -------------------------------
ALTER TABLE audit_entries
    ADD COLUMN purpose          text CHECK (purpose IN ('roster_management', 'cv_sharing')),
    ADD COLUMN key_pseudonym    text,
    ADD COLUMN pseudonymised_at timestamptz;
CREATE INDEX audit_entries_to_pseudonymise ON audit_entries (at) WHERE pseudonymised_at IS NULL;
COMMENT ON COLUMN audit_entries.purpose IS 'What a CV download was for, as the caller declared it.';
COMMENT ON COLUMN audit_entries.key_pseudonym IS 'After the retention period: a keyed hash of the key id, which then is NULL (same key, same pseudonym).';

-- Retention ----------------------------------------------------------------------------------------
-- The secret of the audit's keyed hashes: made once, here, so every instance hashes alike.
CREATE TABLE retention_secret (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    secret   text    NOT NULL
);
INSERT INTO retention_secret (secret) VALUES (gen_random_uuid()::text || gen_random_uuid()::text);
COMMENT ON TABLE retention_secret IS 'The key of the audit''s pseudonyms. Whoever holds it and the key ids can undo them: pseudonymisation, not anonymisation.';

CREATE TABLE retention_runs (
    id           uuid        PRIMARY KEY,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    started_by   text        NOT NULL CHECK (started_by IN ('schedule', 'admin', 'expiry_watch')),
    requested_by uuid,
    policy       jsonb       NOT NULL
);
CREATE INDEX retention_runs_started ON retention_runs (started_at);

CREATE TABLE retention_actions (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id      uuid        NOT NULL REFERENCES retention_runs (id),
    kind        text        NOT NULL CHECK (kind IN ('reconfirmation_requested', 'expert_erased', 'cv_version_deleted', 'audit_pseudonymised', 'consent_expired')),
    expert_id   uuid        REFERENCES experts (id) ON DELETE CASCADE,
    cv_version  integer,
    -- For audit_pseudonymised: how many entries.
    count       integer     NOT NULL DEFAULT 1,
    consent_id  bigint,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX retention_actions_expert ON retention_actions (expert_id, id) WHERE expert_id IS NOT NULL;
CREATE INDEX retention_actions_run ON retention_actions (run_id, id);
-- An expiry is noted once, however many runs see it.
CREATE UNIQUE INDEX retention_actions_consent_expired ON retention_actions (consent_id) WHERE kind = 'consent_expired';
COMMENT ON TABLE retention_actions IS 'What each retention run did, per expert (or per batch for the audit): the processing record reads it.';
