-- The triggers as they should have been, each with the contract it keeps written beside it (here, and in
-- COMMENT ON so that db/schema.sql carries it too). What changes:
--
-- 1. UPDATE triggers act only when a column they care about changed. Before, each fired on every UPDATE:
--    a CV upload (UPDATE experts SET cv_text) logged the expert in roster_changes, so matching read it
--    again, and wrote a zero change into pool_ledger; an action's status move reloaded its whole team.
-- 2. roster_changes sees an UPDATE of the expert child tables (languages, themes, unavailability) and a
--    DELETE of deployments and evaluations. The service deletes and re-inserts child rows, so nothing
--    was missed, but only by luck of how the writes were written; any other writer (a fix-up script, a
--    future endpoint) would have left matching with a stale roster.
--
-- How an UPDATE trigger is limited to its columns: PostgreSQL refuses a column list (UPDATE OF ...) on a
-- trigger with transition tables, and row-level triggers with WHEN would turn a bulk UPDATE or COPY of
-- a large roster into one trigger call and one INSERT per row. So the triggers stay statement-level and
-- the function compares, as multisets, the old and the new rows projected on the columns it cares
-- about: (old EXCEPT ALL new) are the rows as they were before a relevant change, (new EXCEPT ALL old)
-- as they are after it. Rows whose projection did not change cancel out, whatever else the statement
-- set. This needs no key (expert_unavailability has none), stays right when a key itself changes, and
-- counts duplicates (EXCEPT ALL, not EXCEPT), which the additive pool ledger needs.

-- Matching (RosterSnapshot.LoadAsync) --------------------------------------------------------------
-- The projections below are exactly what RosterSnapshot.LoadAsync reads from each table: a column it
-- starts to read must be added to its table's projection here (in a new migration), or matching keeps
-- the expert's old value until the next full reload.

COMMENT ON TABLE roster_changes IS
    'Experts whose facts for matching changed, with the writing transaction''s id: RosterSnapshot reads again every expert logged at or after the oldest transaction still running when it last looked. Kept by the roster_* triggers; trimmed after 24 hours.';

COMMENT ON FUNCTION roster_changed_experts() IS
    'Logs in roster_changes every expert of the transition table "changed" (experts inserted or deleted).';
COMMENT ON FUNCTION roster_changed_expert_rows() IS
    'Logs in roster_changes the expert_id of every row of the transition table "changed" (child rows and deployments inserted or deleted).';
COMMENT ON FUNCTION roster_changed_evaluations() IS
    'Logs in roster_changes the expert of the deployment of every evaluation of the transition table "changed" (inserted or deleted).';

CREATE FUNCTION roster_experts_changed_by_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT id FROM (
        (SELECT id, kind, nationality, member_state, gender, status, consent_recorded_at IS NOT NULL, countries_of_experience, erased_at IS NULL FROM old_rows
         EXCEPT ALL
         SELECT id, kind, nationality, member_state, gender, status, consent_recorded_at IS NOT NULL, countries_of_experience, erased_at IS NULL FROM new_rows)
        UNION ALL
        (SELECT id, kind, nationality, member_state, gender, status, consent_recorded_at IS NOT NULL, countries_of_experience, erased_at IS NULL FROM new_rows
         EXCEPT ALL
         SELECT id, kind, nationality, member_state, gender, status, consent_recorded_at IS NOT NULL, countries_of_experience, erased_at IS NULL FROM old_rows)
    ) changed;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION roster_experts_changed_by_update() IS
    'Logs in roster_changes the experts whose kind, nationality, member state, gender, status, having consent, countries of experience or being erased changed: what matching reads from experts. A CV upload, a new name or e-mail logs nothing.';

CREATE FUNCTION roster_languages_changed_by_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT expert_id FROM (
        (SELECT expert_id, language_code, level_rank FROM old_rows EXCEPT ALL SELECT expert_id, language_code, level_rank FROM new_rows)
        UNION ALL
        (SELECT expert_id, language_code, level_rank FROM new_rows EXCEPT ALL SELECT expert_id, language_code, level_rank FROM old_rows)
    ) changed;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION roster_languages_changed_by_update() IS
    'Logs in roster_changes the experts (before and after, should a row move to another expert) of the expert_languages rows whose language or level rank changed.';

CREATE FUNCTION roster_themes_changed_by_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT expert_id FROM (
        (SELECT expert_id, theme_code, level FROM old_rows EXCEPT ALL SELECT expert_id, theme_code, level FROM new_rows)
        UNION ALL
        (SELECT expert_id, theme_code, level FROM new_rows EXCEPT ALL SELECT expert_id, theme_code, level FROM old_rows)
    ) changed;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION roster_themes_changed_by_update() IS
    'Logs in roster_changes the experts (before and after) of the expert_themes rows whose theme or level changed.';

CREATE FUNCTION roster_unavailability_changed_by_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT expert_id FROM (
        (SELECT expert_id, period FROM old_rows EXCEPT ALL SELECT expert_id, period FROM new_rows)
        UNION ALL
        (SELECT expert_id, period FROM new_rows EXCEPT ALL SELECT expert_id, period FROM old_rows)
    ) changed;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION roster_unavailability_changed_by_update() IS
    'Logs in roster_changes the experts (before and after) of the expert_unavailability rows whose period changed.';

CREATE FUNCTION roster_deployments_changed_by_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT expert_id FROM (
        (SELECT id, expert_id, activity_id, period, cancelled_at IS NULL FROM old_rows
         EXCEPT ALL
         SELECT id, expert_id, activity_id, period, cancelled_at IS NULL FROM new_rows)
        UNION ALL
        (SELECT id, expert_id, activity_id, period, cancelled_at IS NULL FROM new_rows
         EXCEPT ALL
         SELECT id, expert_id, activity_id, period, cancelled_at IS NULL FROM old_rows)
    ) changed;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION roster_deployments_changed_by_update() IS
    'Logs in roster_changes the experts (before and after) of the deployments whose expert, activity, days or being cancelled changed. Erasure clearing cancel_reason logs nothing.';

CREATE FUNCTION roster_evaluations_changed_by_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT d.expert_id
    FROM (
        (SELECT deployment_id, rating, recommendation FROM old_rows EXCEPT ALL SELECT deployment_id, rating, recommendation FROM new_rows)
        UNION ALL
        (SELECT deployment_id, rating, recommendation FROM new_rows EXCEPT ALL SELECT deployment_id, rating, recommendation FROM old_rows)
    ) changed
    JOIN deployments d ON d.id = changed.deployment_id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION roster_evaluations_changed_by_update() IS
    'Logs in roster_changes the experts of the deployments whose evaluation''s rating or recommendation changed. Erasure clearing the comment logs nothing.';

CREATE FUNCTION roster_activities_changed_by_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT d.expert_id
    FROM (
        (SELECT id, action_id, country FROM old_rows EXCEPT ALL SELECT id, action_id, country FROM new_rows)
        UNION ALL
        (SELECT id, action_id, country FROM new_rows EXCEPT ALL SELECT id, action_id, country FROM old_rows)
    ) changed
    JOIN deployments d ON d.activity_id = changed.id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION roster_activities_changed_by_update() IS
    'Logs in roster_changes the experts deployed on the activities whose country or action changed (a deployment''s countries are its action''s and its activity''s).';

CREATE FUNCTION roster_actions_changed_by_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT d.expert_id
    FROM (
        (SELECT id, beneficiary_countries, themes FROM old_rows EXCEPT ALL SELECT id, beneficiary_countries, themes FROM new_rows)
        UNION ALL
        (SELECT id, beneficiary_countries, themes FROM new_rows EXCEPT ALL SELECT id, beneficiary_countries, themes FROM old_rows)
    ) changed
    JOIN activities ac ON ac.action_id = changed.id
    JOIN deployments d ON d.activity_id = ac.id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION roster_actions_changed_by_update() IS
    'Logs in roster_changes the experts deployed on the actions whose beneficiary countries or themes changed. A status move logs nothing.';

-- experts: inserted and deleted experts are logged whole (unchanged since 0008); an update only when
-- a fact matching reads changed, so that a CV upload or a new phone number does not reload the expert.
DROP TRIGGER roster_experts_updated ON experts;
CREATE TRIGGER roster_experts_updated AFTER UPDATE ON experts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION roster_experts_changed_by_update();
COMMENT ON TRIGGER roster_experts_inserted ON experts IS 'Matching: a new expert is read into the roster.';
COMMENT ON TRIGGER roster_experts_updated ON experts IS 'Matching: an expert whose facts for matching changed is read again; other columns (names, contact, CV text) are ignored.';
COMMENT ON TRIGGER roster_experts_deleted ON experts IS 'Matching: a deleted expert leaves the roster.';

-- Languages, themes, unavailability: every insert and delete (0008), and now an update, which the
-- service never makes today (it replaces the rows) but which would otherwise go unseen.
CREATE TRIGGER roster_languages_updated AFTER UPDATE ON expert_languages REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION roster_languages_changed_by_update();
COMMENT ON TRIGGER roster_languages_inserted ON expert_languages IS 'Matching: the expert of a new language is read again.';
COMMENT ON TRIGGER roster_languages_updated ON expert_languages IS 'Matching: the expert of a language whose level changed is read again.';
COMMENT ON TRIGGER roster_languages_deleted ON expert_languages IS 'Matching: the expert of a removed language is read again.';

CREATE TRIGGER roster_themes_updated AFTER UPDATE ON expert_themes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION roster_themes_changed_by_update();
COMMENT ON TRIGGER roster_themes_inserted ON expert_themes IS 'Matching: the expert of a new theme is read again.';
COMMENT ON TRIGGER roster_themes_updated ON expert_themes IS 'Matching: the expert of a theme whose level changed is read again.';
COMMENT ON TRIGGER roster_themes_deleted ON expert_themes IS 'Matching: the expert of a removed theme is read again.';

CREATE TRIGGER roster_unavailability_updated AFTER UPDATE ON expert_unavailability REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION roster_unavailability_changed_by_update();
COMMENT ON TRIGGER roster_unavailability_inserted ON expert_unavailability IS 'Matching: the expert of a new unavailability is read again (hard rule: unavailable).';
COMMENT ON TRIGGER roster_unavailability_updated ON expert_unavailability IS 'Matching: the expert of an unavailability whose period changed is read again.';
COMMENT ON TRIGGER roster_unavailability_deleted ON expert_unavailability IS 'Matching: the expert of a removed unavailability is read again.';

-- Deployments: booking, cancelling (an update of cancelled_at) and, new, deleting, which the service
-- never does (deployments are kept on record) but a clean-up might.
DROP TRIGGER roster_deployments_updated ON deployments;
CREATE TRIGGER roster_deployments_updated AFTER UPDATE ON deployments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION roster_deployments_changed_by_update();
CREATE TRIGGER roster_deployments_deleted AFTER DELETE ON deployments REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_expert_rows();
COMMENT ON TRIGGER roster_deployments_inserted ON deployments IS 'Matching: a booked expert is read again (hard rule: already deployed; track record, rotation).';
COMMENT ON TRIGGER roster_deployments_updated ON deployments IS 'Matching: the expert of a deployment cancelled, moved or re-assigned is read again; clearing free text is ignored.';
COMMENT ON TRIGGER roster_deployments_deleted ON deployments IS 'Matching: the expert of a deleted deployment is read again.';

-- Evaluations: the rating and recommendation feed the track record and the do_not_redeploy rule.
DROP TRIGGER roster_evaluations_updated ON evaluations;
CREATE TRIGGER roster_evaluations_updated AFTER UPDATE ON evaluations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION roster_evaluations_changed_by_update();
CREATE TRIGGER roster_evaluations_deleted AFTER DELETE ON evaluations REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_evaluations();
COMMENT ON TRIGGER roster_evaluations_inserted ON evaluations IS 'Matching: the evaluated expert is read again (track record, do_not_redeploy).';
COMMENT ON TRIGGER roster_evaluations_updated ON evaluations IS 'Matching: the expert of a re-rated deployment is read again; clearing the comment is ignored.';
COMMENT ON TRIGGER roster_evaluations_deleted ON evaluations IS 'Matching: the expert of a deleted evaluation is read again (a deployment deleted with it is logged by roster_deployments_deleted).';

-- Activities and actions: only updates matter. A new activity or action has no deployment yet, and one
-- with deployments cannot be deleted (deployments REFERENCES activities ON DELETE RESTRICT).
DROP TRIGGER roster_activities_updated ON activities;
CREATE TRIGGER roster_activities_updated AFTER UPDATE ON activities REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION roster_activities_changed_by_update();
COMMENT ON TRIGGER roster_activities_updated ON activities IS 'Matching: experts deployed on an activity whose country or action changed are read again (region experience, conflict of interest).';

DROP TRIGGER roster_actions_updated ON actions;
CREATE TRIGGER roster_actions_updated AFTER UPDATE ON actions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION roster_actions_changed_by_update();
COMMENT ON TRIGGER roster_actions_updated ON actions IS 'Matching: experts deployed on an action whose beneficiary countries or themes changed are read again; a status move is ignored.';

DROP FUNCTION roster_changed_activities();
DROP FUNCTION roster_changed_actions();

-- The pool ledger (reports, 0010_report_ledgers.sql) ------------------------------------------------
-- The pool at D is the sum of pool_ledger.pool_delta up to D; the reports read nothing else for it, so
-- the ledger must equal a recount from experts after every write
-- (tests/Ear.Api.Tests/Schema/LedgerRecountTests.cs checks it).

COMMENT ON TABLE pool_ledger IS
    'Per day and member state ('''' for none): experts joining (+1) or leaving (-1) the pool, and experts created. The pool at D is sum(pool_delta) over the days up to D. Kept by the pool_ledger_* triggers on experts.';
COMMENT ON FUNCTION pool_contributions(timestamptz, timestamptz, text, timestamptz, char) IS
    'One expert''s rows in pool_ledger: created on its creation day; in the pool from the later of creation and consent if active and consenting, out of it on its erasure day. The one definition the ledger triggers and the backfill share.';

-- Only the columns pool_contributions reads: a CV upload, a new name or a version bump writes nothing.
CREATE OR REPLACE FUNCTION pool_ledger_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pool_ledger (day, member_state, pool_delta, created)
    SELECT x.day, x.member_state, sum(x.pool_delta), sum(x.created)
    FROM (
        SELECT c.*
        FROM (SELECT id, created_at, consent_recorded_at, status, erased_at, member_state FROM new_rows
              EXCEPT ALL
              SELECT id, created_at, consent_recorded_at, status, erased_at, member_state FROM old_rows) r,
             pool_contributions(r.created_at, r.consent_recorded_at, r.status, r.erased_at, r.member_state) c
        UNION ALL
        SELECT c.day, c.member_state, -c.pool_delta, -c.created
        FROM (SELECT id, created_at, consent_recorded_at, status, erased_at, member_state FROM old_rows
              EXCEPT ALL
              SELECT id, created_at, consent_recorded_at, status, erased_at, member_state FROM new_rows) r,
             pool_contributions(r.created_at, r.consent_recorded_at, r.status, r.erased_at, r.member_state) c
    ) x
    GROUP BY x.day, x.member_state
    -- A change that moves nothing (consent recorded earlier on a day already counted) writes no row.
    HAVING sum(x.pool_delta) <> 0 OR sum(x.created) <> 0
    ON CONFLICT (day, member_state) DO UPDATE
    SET pool_delta = pool_ledger.pool_delta + EXCLUDED.pool_delta, created = pool_ledger.created + EXCLUDED.created;
    RETURN NULL;
END $$;

COMMENT ON FUNCTION pool_ledger_inserted() IS 'Adds the pool_contributions of the inserted experts to pool_ledger.';
COMMENT ON FUNCTION pool_ledger_updated() IS
    'Moves the pool_contributions of the experts whose creation, consent, status, erasure or member state changed from their old rows to their new ones; other updates write nothing.';
COMMENT ON FUNCTION pool_ledger_deleted() IS 'Takes the pool_contributions of the deleted experts out of pool_ledger.';
COMMENT ON TRIGGER pool_ledger_inserted ON experts IS 'Reports: the pool ledger counts a new expert.';
COMMENT ON TRIGGER pool_ledger_updated ON experts IS 'Reports: the pool ledger follows a change of creation, consent, status, erasure or member state.';
COMMENT ON TRIGGER pool_ledger_deleted ON experts IS 'Reports: the pool ledger forgets a deleted expert (erasure is an update and keeps the past).';

-- The other triggers, unchanged, documented ----------------------------------------------------------

COMMENT ON FUNCTION experts_refresh_search() IS
    'Writes the expert''s free-text document (names, position, employer, bio, CV text) into expert_search, the table q searches.';
COMMENT ON TRIGGER experts_refresh_search ON experts IS
    'Search: q finds an expert by the words of its profile and CV as they are now. Row-level with UPDATE OF: it fires only when one of those columns is set.';

COMMENT ON FUNCTION deployments_snapshot_expert() IS
    'Copies the expert''s kind, gender, nationality and member state onto a new deployment: the reports count who went as they were when booked.';
COMMENT ON TRIGGER deployments_snapshot_expert ON deployments IS
    'Reports: "who was deployed" is read from the deployment alone, as it was at booking. Insert only: a later change of the expert does not rewrite history, and the service never moves a deployment to another expert.';
