-- The schema a database has after every migration of db/migrations: generated, do not edit.
-- Refresh it after adding a migration:
--   EAR_UPDATE_SCHEMA=1 dotnet test tests/Ear.Api.Tests --filter SchemaSnapshotTests
-- (pg_dump --schema-only --no-owner --no-privileges, PostgreSQL 15, version-dependent lines removed)
--
-- PostgreSQL database dump
--

--
-- Name: btree_gist; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

--
-- Name: EXTENSION btree_gist; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';

--
-- Name: unaccent; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

--
-- Name: EXTENSION unaccent; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION unaccent IS 'text search dictionary that removes accents';

--
-- Name: activity_ledger_deleted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.activity_ledger_deleted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM activity_ledger_move('{}', ARRAY(SELECT ROW(o.*)::activities FROM old_rows o));
    RETURN NULL;
END $$;

--
-- Name: FUNCTION activity_ledger_deleted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.activity_ledger_deleted() IS 'Takes the deleted activities (an action deleted takes its activities with it) out of activity_ledger.';

--
-- Name: activity_ledger_inserted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.activity_ledger_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM activity_ledger_move(ARRAY(SELECT ROW(n.*)::activities FROM new_rows n), '{}');
    RETURN NULL;
END $$;

--
-- Name: FUNCTION activity_ledger_inserted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.activity_ledger_inserted() IS 'Counts the inserted activities in activity_ledger.';

--
-- Name: activities; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.activities (
    id uuid NOT NULL,
    action_id uuid NOT NULL,
    type text NOT NULL,
    title text NOT NULL,
    period daterange NOT NULL,
    country character(2),
    remote boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT activities_check CHECK ((remote = (country IS NULL))),
    CONSTRAINT activities_period_check CHECK (((NOT isempty(period)) AND (NOT lower_inf(period)) AND (NOT upper_inf(period)))),
    CONSTRAINT activities_title_check CHECK (((length(title) >= 1) AND (length(title) <= 500))),
    CONSTRAINT activities_type_check CHECK ((type = ANY (ARRAY['fact_finding_mission'::text, 'information_session'::text, 'workshop'::text, 'training'::text, 'training_of_trainers'::text, 'drafting_session'::text, 'study_visit'::text, 'regional_consultation'::text, 'remote_support'::text, 'validation_conference'::text])))
);

--
-- Name: activity_ledger_move(public.activities[], public.activities[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.activity_ledger_move(added public.activities[], removed public.activities[]) RETURNS void
    LANGUAGE sql
    AS $$
    INSERT INTO activity_ledger AS l (start_month, type, activities)
    SELECT x.start_month, x.type, sum(x.n)
    FROM (SELECT date_trunc('month', lower(a.period))::date AS start_month, a.type, 1 AS n FROM unnest(added) a
          UNION ALL
          SELECT date_trunc('month', lower(r.period))::date, r.type, -1 FROM unnest(removed) r) x
    GROUP BY 1, 2
    HAVING sum(x.n) <> 0
    ON CONFLICT (start_month, type) DO UPDATE SET activities = l.activities + EXCLUDED.activities
$$;

--
-- Name: FUNCTION activity_ledger_move(added public.activities[], removed public.activities[]); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.activity_ledger_move(added public.activities[], removed public.activities[]) IS 'Adds the added activities to activity_ledger and takes out the removed ones, at the month of each one''s first day and its type. Called by the activity_ledger_* trigger functions.';

--
-- Name: activity_ledger_updated(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.activity_ledger_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM activity_ledger_move(ARRAY(SELECT ROW(n.*)::activities FROM new_rows n), ARRAY(SELECT ROW(o.*)::activities FROM old_rows o));
    RETURN NULL;
END $$;

--
-- Name: FUNCTION activity_ledger_updated(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.activity_ledger_updated() IS 'Moves the updated activities in activity_ledger from their month and type as they were to those they have now (nothing when neither changed).';

--
-- Name: api_keys_announce_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.api_keys_announce_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('ear_api_keys_changed', '');
    RETURN NULL;
END
$$;

--
-- Name: FUNCTION api_keys_announce_change(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.api_keys_announce_change() IS 'Notifies ear_api_keys_changed on any change to api_keys, so every instance forgets its cached keys (decision 0015).';

--
-- Name: change_commit_position(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.change_commit_position() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    assigned bigint;
BEGIN
    -- Queued once per event; the first to run at commit does the work for the whole transaction. The setting is
    -- transaction-local: it ends with the transaction, on a pooled connection too.
    IF current_setting('ear.change_positioned', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    -- Held until this transaction has committed and is visible: the next transaction to take a position
    -- waits here, so no position becomes visible before a smaller one that is still to commit.
    PERFORM pg_advisory_xact_lock(4990904053658607982); -- 0x454152206368616E, "EAR chan"
    assigned := nextval('change_commit_positions');
    INSERT INTO change_commits (position, xid, committed_at) VALUES (assigned, pg_current_xact_id(), clock_timestamp());
    PERFORM set_config('ear.change_positioned', 'yes', true);
    PERFORM pg_notify('ear_changes', assigned::text);
    RETURN NULL;
END $$;

--
-- Name: FUNCTION change_commit_position(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.change_commit_position() IS 'Runs just before commit (a deferred constraint trigger on change_events), once per transaction: takes the change-feed advisory lock, records the transaction''s commit position in change_commits and notifies ear_changes (delivered at commit). The lock is released after the commit is visible, so positions become visible in increasing order.';

--
-- Name: changed_columns(jsonb, jsonb, text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changed_columns(old_row jsonb, new_row jsonb, ignored text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT coalesce(array_agg(n.key ORDER BY n.key), '{}')
    FROM jsonb_each(new_row) n
    WHERE n.key <> ALL (ignored) AND n.value IS DISTINCT FROM old_row -> n.key
$$;

--
-- Name: FUNCTION changed_columns(old_row jsonb, new_row jsonb, ignored text[]); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changed_columns(old_row jsonb, new_row jsonb, ignored text[]) IS 'The names (never the values) of the columns that differ between two rows as jsonb, leaving out the ignored ones; the change triggers report them as changedFields.';

--
-- Name: changes_actions_inserted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_actions_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM ear_emit_change('action.created', 'action', id, NULL, NULL,
                            jsonb_build_object('actionId', id, 'code', code, 'status', status))
    FROM new_rows ORDER BY id;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_actions_inserted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_actions_inserted() IS 'Announces action.created with the action''s code and status.';

--
-- Name: changes_actions_updated(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_actions_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM ear_emit_change(e.type, 'action', c.id, NULL, NULL, e.data)
    FROM (
        SELECT n.id, o.status AS from_status, n.status AS to_status,
               changed_columns(to_jsonb(o), to_jsonb(n), '{updated_at,version,created_at,status}') AS fields,
               o.version IS DISTINCT FROM n.version AS versioned
        FROM old_rows o JOIN new_rows n ON n.id = o.id
    ) c
    CROSS JOIN LATERAL (
        SELECT 1 AS rank, 'action.status_changed' AS type,
               jsonb_build_object('actionId', c.id, 'from', c.from_status, 'to', c.to_status) AS data
        WHERE c.from_status IS DISTINCT FROM c.to_status
        UNION ALL
        SELECT 2, 'action.updated', jsonb_build_object('actionId', c.id, 'changedFields', to_jsonb(c.fields))
        WHERE cardinality(c.fields) > 0 OR (c.versioned AND c.from_status IS NOT DISTINCT FROM c.to_status)
    ) e
    ORDER BY c.id, e.rank;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_actions_updated(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_actions_updated() IS 'Announces action.status_changed (from, to) when the status moved and action.updated (changed column names) when anything else changed or a new version was written.';

--
-- Name: changes_activities_inserted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_activities_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM ear_emit_change('activity.added', 'activity', id, NULL, NULL,
                            jsonb_build_object('activityId', id, 'actionId', action_id, 'activityType', type))
    FROM new_rows ORDER BY id;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_activities_inserted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_activities_inserted() IS 'Announces activity.added with its action and type.';

--
-- Name: changes_cv_documents_inserted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_cv_documents_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM ear_emit_change('cv_version.added', 'expert', n.expert_id, n.expert_id, x.member_state,
                            jsonb_build_object('expertId', n.expert_id, 'version', n.version))
    FROM new_rows n JOIN experts x ON x.id = n.expert_id ORDER BY n.expert_id, n.version;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_cv_documents_inserted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_cv_documents_inserted() IS 'Announces cv_version.added (the expert and the version number) for every stored CV version.';

--
-- Name: changes_deployments_inserted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_deployments_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM ear_emit_change('deployment.created', 'deployment', id, expert_id, expert_member_state,
                            jsonb_build_object('deploymentId', id, 'expertId', expert_id, 'activityId', activity_id))
    FROM new_rows ORDER BY id;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_deployments_inserted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_deployments_inserted() IS 'Announces deployment.created with the expert and the activity.';

--
-- Name: changes_deployments_updated(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_deployments_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM ear_emit_change('deployment.cancelled', 'deployment', n.id, n.expert_id, n.expert_member_state,
                            jsonb_build_object('deploymentId', n.id, 'expertId', n.expert_id, 'activityId', n.activity_id))
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE o.cancelled_at IS NULL AND n.cancelled_at IS NOT NULL
    ORDER BY n.id;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_deployments_updated(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_deployments_updated() IS 'Announces deployment.cancelled when a deployment''s cancelled_at is set. Erasure clearing cancel_reason announces nothing.';

--
-- Name: changes_evaluations_inserted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_evaluations_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM ear_emit_change('deployment.evaluated', 'deployment', d.id, d.expert_id, d.expert_member_state,
                            jsonb_build_object('deploymentId', d.id, 'expertId', d.expert_id))
    FROM new_rows n JOIN deployments d ON d.id = n.deployment_id
    ORDER BY d.id;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_evaluations_inserted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_evaluations_inserted() IS 'Announces deployment.evaluated for every stored evaluation.';

--
-- Name: changes_evaluations_saved(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_evaluations_saved() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- An evaluation is saved by an upsert: a new row, or a row whose rating, recommendation or time changed.
    -- Erasure clearing the comment announces nothing.
    PERFORM ear_emit_change('deployment.evaluated', 'deployment', d.id, d.expert_id, d.expert_member_state,
                            jsonb_build_object('deploymentId', d.id, 'expertId', d.expert_id))
    FROM (
        SELECT deployment_id, rating, recommendation, evaluated_at FROM new_rows
        EXCEPT
        SELECT deployment_id, rating, recommendation, evaluated_at FROM old_rows
    ) c
    JOIN deployments d ON d.id = c.deployment_id
    ORDER BY d.id;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_evaluations_saved(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_evaluations_saved() IS 'Announces deployment.evaluated when an evaluation is stored or its rating, recommendation or time changed.';

--
-- Name: changes_expert_consents_granted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_expert_consents_granted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM ear_emit_change('consent.changed', 'expert', n.expert_id, n.expert_id, x.member_state,
                            jsonb_build_object('expertId', n.expert_id, 'purpose', n.purpose, 'consentState', 'granted'))
    FROM new_rows n JOIN experts x ON x.id = n.expert_id ORDER BY n.expert_id, n.id;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_expert_consents_granted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_expert_consents_granted() IS 'Announces consent.changed (the expert, the purpose, granted) for every recorded grant.';

--
-- Name: changes_expert_consents_withdrawn(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_expert_consents_withdrawn() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM ear_emit_change('consent.changed', 'expert', n.expert_id, n.expert_id, x.member_state,
                            jsonb_build_object('expertId', n.expert_id, 'purpose', n.purpose, 'consentState', 'withdrawn'))
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN experts x ON x.id = n.expert_id
    WHERE o.withdrawn_at IS NULL AND n.withdrawn_at IS NOT NULL
    ORDER BY n.expert_id, n.id;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_expert_consents_withdrawn(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_expert_consents_withdrawn() IS 'Announces consent.changed (the expert, the purpose, withdrawn) for every grant withdrawn; other updates (an erasure clearing notes) announce nothing.';

--
-- Name: changes_experts_deleted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_experts_deleted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM ear_emit_change('expert.erased', 'expert', id, id, member_state, jsonb_build_object('expertId', id))
    FROM old_rows WHERE erased_at IS NULL ORDER BY id;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_experts_deleted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_experts_deleted() IS 'Announces expert.erased for a deleted expert that was not erased before (an erased one was announced then).';

--
-- Name: changes_experts_inserted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_experts_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM ear_emit_change('expert.created', 'expert', id, id, member_state,
                            jsonb_build_object('expertId', id, 'consentGiven', consent_recorded_at IS NOT NULL))
    FROM new_rows ORDER BY id;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_experts_inserted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_experts_inserted() IS 'Announces expert.created for every inserted expert (ids and whether consent is recorded, no personal data).';

--
-- Name: changes_experts_updated(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_experts_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- The consent columns mirror the roster_membership grant, which expert_consents announces (consent.changed).
    PERFORM CASE
        WHEN c.erased THEN ear_emit_change('expert.erased', 'expert', c.id, c.id, c.member_state, jsonb_build_object('expertId', c.id))
        ELSE ear_emit_change('expert.updated', 'expert', c.id, c.id, c.member_state,
                             jsonb_build_object('expertId', c.id, 'changedFields', to_jsonb(c.fields)))
    END
    FROM (
        SELECT n.id, n.member_state, o.erased_at IS NULL AND n.erased_at IS NOT NULL AS erased,
               n.erased_at IS NULL AND o.version IS DISTINCT FROM n.version AS versioned,
               changed_columns(to_jsonb(o), to_jsonb(n),
                   '{updated_at,version,cv_text,created_at,erased_at,consent_recorded_at,consent_recorded_by,consent_basis}') AS fields
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE o.erased_at IS NULL
    ) c
    WHERE c.erased OR c.versioned OR cardinality(c.fields) > 0
    ORDER BY c.id;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_experts_updated(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_experts_updated() IS 'Announces expert.erased when an expert is erased, else expert.updated (changed column names; on every new version). The consent columns are left out: the roster_membership grant they mirror is announced by expert_consents (consent.changed). A CV upload setting cv_text alone announces nothing here (cv_version.added does).';

--
-- Name: changes_matching_runs_inserted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.changes_matching_runs_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM ear_emit_change('matching_run.stored', 'matching_run', id, NULL, NULL,
                            jsonb_build_object('runId', id, 'actionId', action_id))
    FROM new_rows ORDER BY id;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION changes_matching_runs_inserted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.changes_matching_runs_inserted() IS 'Announces matching_run.stored with the run and its action.';

--
-- Name: deployment_ledger_bulk_threshold(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.deployment_ledger_bulk_threshold() RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 256 $$;

--
-- Name: FUNCTION deployment_ledger_bulk_threshold(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.deployment_ledger_bulk_threshold() IS 'How many experts a statement may touch before deployment_ledger_lock locks the whole ledger instead of each expert: small against the lock table (max_locks_per_transaction × max_connections), large against any write the API makes.';

--
-- Name: deployment_ledger_deleted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.deployment_ledger_deleted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    touched uuid[];
    before_rows deployments[];
BEGIN
    SELECT array_agg(DISTINCT expert_id) INTO touched FROM old_rows;
    PERFORM deployment_ledger_lock(touched);
    SELECT coalesce((SELECT array_agg(d) FROM deployments d WHERE d.expert_id IN (SELECT unnest(touched))), '{}')
           || coalesce((SELECT array_agg(ROW(o.*)::deployments) FROM old_rows o), '{}')
    INTO before_rows;
    PERFORM deployment_ledger_replace(touched, before_rows);
    RETURN NULL;
END $$;

--
-- Name: FUNCTION deployment_ledger_deleted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.deployment_ledger_deleted() IS 'Re-counts in deployment_ledger the experts of the deleted deployments (the service never deletes one; a clean-up might).';

--
-- Name: deployment_ledger_inserted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.deployment_ledger_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    touched uuid[];
    before_rows deployments[];
BEGIN
    SELECT array_agg(DISTINCT expert_id) INTO touched FROM new_rows;
    PERFORM deployment_ledger_lock(touched);
    SELECT array_agg(d) INTO before_rows FROM deployments d
    WHERE d.expert_id IN (SELECT unnest(touched)) AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = d.id);
    PERFORM deployment_ledger_replace(touched, before_rows);
    RETURN NULL;
END $$;

--
-- Name: FUNCTION deployment_ledger_inserted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.deployment_ledger_inserted() IS 'Re-counts in deployment_ledger the experts of the inserted deployments: a booking may fall before, between or after their others and relink them.';

--
-- Name: deployment_ledger_lock(uuid[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.deployment_ledger_lock(touched uuid[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF cardinality(touched) > deployment_ledger_bulk_threshold() THEN
        PERFORM pg_advisory_xact_lock(hashtextextended('deployment_ledger', 0));
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('deployment_ledger', 0));
    PERFORM count(pg_advisory_xact_lock(hashtextextended('deployment_ledger:' || t::text, 0)))
    FROM (SELECT DISTINCT t FROM unnest(touched) t ORDER BY t) s;
END $$;

--
-- Name: FUNCTION deployment_ledger_lock(touched uuid[]); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.deployment_ledger_lock(touched uuid[]) IS 'Serialises the writers of deployment_ledger per expert: a ledger-wide lock, shared, then a transaction advisory lock per expert in expert order; past deployment_ledger_bulk_threshold() experts, the ledger-wide lock exclusive instead (0025: thousands of per-expert locks overflowed the lock table).';

--
-- Name: deployments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.deployments (
    id uuid NOT NULL,
    activity_id uuid NOT NULL,
    expert_id uuid NOT NULL,
    role text NOT NULL,
    period daterange NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by uuid,
    cancelled_at timestamp with time zone,
    cancelled_by uuid,
    cancel_reason text,
    expert_kind text NOT NULL,
    expert_gender text NOT NULL,
    expert_nationality character(2) NOT NULL,
    expert_member_state character(2),
    CONSTRAINT deployments_cancel_reason_check CHECK ((length(cancel_reason) <= 2000)),
    CONSTRAINT deployments_period_check CHECK (((NOT isempty(period)) AND (NOT lower_inf(period)) AND (NOT upper_inf(period)))),
    CONSTRAINT deployments_role_check CHECK ((role = ANY (ARRAY['lead_expert'::text, 'expert'::text])))
);

--
-- Name: deployment_ledger_replace(uuid[], public.deployments[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.deployment_ledger_replace(touched uuid[], before_rows public.deployments[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    after_rows deployments[];
BEGIN
    SELECT array_agg(d) INTO after_rows FROM deployments d WHERE d.expert_id IN (SELECT unnest(touched));
    INSERT INTO deployment_ledger AS l (start_month, next_month, expert_kind, expert_gender, expert_nationality, expert_member_state, deployments, pair_firsts)
    SELECT x.start_month, x.next_month, x.expert_kind, x.expert_gender, x.expert_nationality, x.expert_member_state, sum(x.deployments), sum(x.pair_firsts)
    FROM (SELECT * FROM deployment_ledger_rows(coalesce(after_rows, '{}'))
          UNION ALL
          SELECT r.start_month, r.next_month, r.expert_kind, r.expert_gender, r.expert_nationality, r.expert_member_state, -r.deployments, -r.pair_firsts
          FROM deployment_ledger_rows(coalesce(before_rows, '{}')) r) x
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(x.deployments) <> 0 OR sum(x.pair_firsts) <> 0
    ON CONFLICT (start_month, next_month, expert_kind, expert_gender, expert_nationality, expert_member_state) DO UPDATE
    SET deployments = l.deployments + EXCLUDED.deployments, pair_firsts = l.pair_firsts + EXCLUDED.pair_firsts;
END $$;

--
-- Name: FUNCTION deployment_ledger_replace(touched uuid[], before_rows public.deployments[]); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.deployment_ledger_replace(touched uuid[], before_rows public.deployments[]) IS 'Moves deployment_ledger from the rows of the touched experts'' deployments as they were (before_rows) to those of their deployments as they are now. Called by the deployment_ledger_* trigger functions after taking the experts'' advisory locks.';

--
-- Name: deployment_ledger_rows(public.deployments[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.deployment_ledger_rows(ds public.deployments[]) RETURNS TABLE(start_month date, next_month date, expert_kind text, expert_gender text, expert_nationality character, expert_member_state text, deployments bigint, pair_firsts bigint)
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT date_trunc('month', x.start)::date,
           coalesce(date_trunc('month', x.next_start)::date, 'infinity'::date),
           x.expert_kind, x.expert_gender, x.expert_nationality, x.member_state,
           count(*), count(*) FILTER (WHERE x.pair_rank = 1)
    FROM (SELECT lower(d.period) AS start,
                 lead(lower(d.period)) OVER (PARTITION BY d.expert_id ORDER BY lower(d.period), d.id) AS next_start,
                 row_number() OVER (PARTITION BY d.expert_id, coalesce(d.expert_member_state, '') ORDER BY lower(d.period), d.id) AS pair_rank,
                 d.expert_kind, d.expert_gender, d.expert_nationality, coalesce(d.expert_member_state, '')::text AS member_state
          FROM unnest(ds) d
          WHERE d.cancelled_at IS NULL) x
    GROUP BY 1, 2, 3, 4, 5, 6
$$;

--
-- Name: FUNCTION deployment_ledger_rows(ds public.deployments[]); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.deployment_ledger_rows(ds public.deployments[]) IS 'The deployment_ledger rows of a set of deployments holding all of each of its experts'' deployments: live ones only, each with the month of the expert''s next live deployment and whether it is the expert''s first with its member state. Shared by the triggers and the backfill.';

--
-- Name: deployment_ledger_updated(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.deployment_ledger_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    touched uuid[];
    before_rows deployments[];
BEGIN
    SELECT array_agg(DISTINCT expert_id) INTO touched FROM (
        (SELECT id, expert_id, lower(period), cancelled_at IS NULL, expert_kind, expert_gender, expert_nationality, expert_member_state FROM old_rows
         EXCEPT ALL
         SELECT id, expert_id, lower(period), cancelled_at IS NULL, expert_kind, expert_gender, expert_nationality, expert_member_state FROM new_rows)
        UNION ALL
        (SELECT id, expert_id, lower(period), cancelled_at IS NULL, expert_kind, expert_gender, expert_nationality, expert_member_state FROM new_rows
         EXCEPT ALL
         SELECT id, expert_id, lower(period), cancelled_at IS NULL, expert_kind, expert_gender, expert_nationality, expert_member_state FROM old_rows)
    ) changed;
    IF touched IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM deployment_ledger_lock(touched);
    SELECT coalesce((SELECT array_agg(d) FROM deployments d WHERE d.expert_id IN (SELECT unnest(touched)) AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = d.id)), '{}')
           || coalesce((SELECT array_agg(ROW(o.*)::deployments) FROM old_rows o WHERE o.expert_id IN (SELECT unnest(touched))), '{}')
    INTO before_rows;
    PERFORM deployment_ledger_replace(touched, before_rows);
    RETURN NULL;
END $$;

--
-- Name: FUNCTION deployment_ledger_updated(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.deployment_ledger_updated() IS 'Re-counts in deployment_ledger the experts (before and after) of the deployments whose expert, first day, being cancelled or snapshot columns changed: cancelling relinks the neighbours. Erasure clearing cancel_reason writes nothing.';

--
-- Name: deployment_month_ledger_moved(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.deployment_month_ledger_moved() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: FUNCTION deployment_month_ledger_moved(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.deployment_month_ledger_moved() IS 'Moves deployment_month_ledger by the change of one deployment_ledger row''s deployments (taken out as it was, added as it is).';

--
-- Name: deployments_snapshot_expert(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.deployments_snapshot_expert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    SELECT e.kind, e.gender, e.nationality, e.member_state
    INTO NEW.expert_kind, NEW.expert_gender, NEW.expert_nationality, NEW.expert_member_state
    FROM experts e WHERE e.id = NEW.expert_id;
    RETURN NEW;
END $$;

--
-- Name: FUNCTION deployments_snapshot_expert(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.deployments_snapshot_expert() IS 'Copies the expert''s kind, gender, nationality and member state onto a new deployment: the reports count who went as they were when booked.';

--
-- Name: ear_emit_change(text, text, uuid, uuid, character, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_emit_change(event_type text, resource_type text, resource_id uuid, expert_id uuid, member_state character, data jsonb) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- PL/pgSQL rather than SQL: its statement's plan is kept for the session, where a SQL function called from a
    -- trigger is parsed and planned again at every call (PostgreSQL 15).
    INSERT INTO change_events (type, resource_type, resource_id, expert_id, member_state, key_id, data)
    VALUES (event_type, resource_type, resource_id, expert_id, member_state,
            nullif(current_setting('ear.key_id', true), '')::uuid, data);
END $$;

--
-- Name: FUNCTION ear_emit_change(event_type text, resource_type text, resource_id uuid, expert_id uuid, member_state character, data jsonb); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.ear_emit_change(event_type text, resource_type text, resource_id uuid, expert_id uuid, member_state character, data jsonb) IS 'Writes one change event in the current transaction, with the key of ear.key_id (set by the service where its transaction starts). Every change trigger calls it; a new table that should announce changes needs only triggers calling it. The event''s transaction gets its commit position at commit (change_events_positioned).';

--
-- Name: ear_expert_facets(text, text, text, text, text[], text[], text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_expert_facets(kind text, nationality text, member_state text, status text, theme_codes text[], language_skills text[], countries_of_experience text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT ear_search_facets('kind', ARRAY[kind]) || ear_search_facets('nationality', ARRAY[nationality])
        || ear_search_facets('member_state', ARRAY[member_state]) || ear_search_facets('status', ARRAY[status])
        || ear_search_facets('theme', theme_codes) || ear_search_facets('language', language_skills)
        || ear_search_facets('country', countries_of_experience)
$$;

--
-- Name: FUNCTION ear_expert_facets(kind text, nationality text, member_state text, status text, theme_codes text[], language_skills text[], countries_of_experience text[]); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.ear_expert_facets(kind text, nationality text, member_state text, status text, theme_codes text[], language_skills text[], countries_of_experience text[]) IS 'An expert''s facets: the words of its filtered columns (kind, nationality, member state, status, themes, language skills, countries of experience).';

--
-- Name: ear_headline(text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_headline(document text, words text) RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    AS $$
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

--
-- Name: ear_search_any_word(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_search_any_word(words text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT string_agg(DISTINCT m[1], ' | ')::tsquery
    FROM regexp_matches(ear_search_query(words)::text, '(''(?:[^'']|'''')*'')', 'g') m
$$;

--
-- Name: FUNCTION ear_search_any_word(words text); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.ear_search_any_word(words text) IS 'Any of the lexemes of ear_search_query(words): what a later tier''s own vector (profile_only, cv_only) must hold for the tier to match.';

--
-- Name: ear_search_common_lexemes(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_search_common_lexemes() RETURNS text[]
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT coalesce(array_agg(c.lexeme ORDER BY c.lexeme), '{}')
    FROM pg_stats st, unnest(st.most_common_elems::text::text[], st.most_common_elem_freqs) AS c (lexeme, frequency)
    -- The frequencies array ends with three more numbers (minimum, maximum, nulls) that pair with no lexeme.
    WHERE st.schemaname = current_schema() AND st.tablename = 'expert_search' AND st.attname = 'document'
      AND c.lexeme IS NOT NULL AND c.frequency > 0.05
$$;

--
-- Name: FUNCTION ear_search_common_lexemes(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.ear_search_common_lexemes() IS 'The lexemes in more than 5 % of expert_search.document according to the last ANALYZE; read by the service every few minutes and passed to ear_search_is_common(words, common).';

--
-- Name: ear_search_facets(text, text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_search_facets(facet text, vals text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT coalesce(array_agg(facet || ':' || v), '{}') FROM unnest(vals) v WHERE v IS NOT NULL
$$;

--
-- Name: FUNCTION ear_search_facets(facet text, vals text[]); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.ear_search_facets(facet text, vals text[]) IS 'The words expert_search.facets holds for one filter''s values, and that a search with that filter asks for: ''kind:academic'', ''language:fr:4''.';

--
-- Name: ear_search_is_common(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_search_is_common(words text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT ear_search_is_common(words, ear_search_common_lexemes())
$$;

--
-- Name: FUNCTION ear_search_is_common(words text); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.ear_search_is_common(words text) IS 'ear_search_is_common(words, ear_search_common_lexemes()): the same answer from the statistics as they are now.';

--
-- Name: ear_search_is_common(text, text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_search_is_common(words text, common text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT cardinality(ear_search_lexemes(words)) > 0 AND ear_search_lexemes(words) <@ common
$$;

--
-- Name: FUNCTION ear_search_is_common(words text, common text[]); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.ear_search_is_common(words text, common text[]) IS 'Whether every lexeme of ear_search_query(words) is among common (ear_search_common_lexemes()): the ranked search then counts its matches through a join that stops at the limit, not through the facets'' index (ExpertSearchPage.Counts).';

--
-- Name: ear_search_lexemes(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_search_lexemes(words text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT coalesce(array_agg(DISTINCT replace(q.m[1], '''''', '''')), '{}')
    FROM regexp_matches(ear_search_query(words)::text, '''((?:[^'']|'''')*)''', 'g') AS q (m)
$$;

--
-- Name: FUNCTION ear_search_lexemes(words text); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.ear_search_lexemes(words text) IS 'The distinct lexemes of ear_search_query(words): what ear_search_is_common compares with the common ones.';

--
-- Name: ear_search_query(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_search_query(words text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT string_agg(DISTINCT '(' || q::text || ')', ' | ')::tsquery
    FROM unnest(ARRAY[
        websearch_to_tsquery('ear_simple', words), websearch_to_tsquery('ear_en', words),
        websearch_to_tsquery('ear_fr', words), websearch_to_tsquery('french', words),
        websearch_to_tsquery('ear_es', words), websearch_to_tsquery('spanish', words),
        websearch_to_tsquery('ear_pt', words), websearch_to_tsquery('portuguese', words)]) q
    WHERE numnode(q) > 0
$$;

--
-- Name: ear_search_vector(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_search_vector(document text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT to_tsvector('ear_simple', document) || to_tsvector('ear_en', document)
        || to_tsvector('ear_fr', document) || to_tsvector('french', document)
        || to_tsvector('ear_es', document) || to_tsvector('spanish', document)
        || to_tsvector('ear_pt', document) || to_tsvector('portuguese', document)
$$;

--
-- Name: ear_snippet_text(text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_snippet_text(job text, employer text, bio text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT concat_ws(' · ', job, employer, bio)
$$;

--
-- Name: FUNCTION ear_snippet_text(job text, employer text, bio text); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.ear_snippet_text(job text, employer text, bio text) IS 'The text of an expert a search highlight is taken from (ear_headline), and whose words expert_snippet_words keeps.';

--
-- Name: ear_snippet_words(text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_snippet_words(job text, employer text, bio text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT strip(ear_search_vector(translate(ear_snippet_text(job, employer, bio), chr(2) || chr(3), '')))
$$;

--
-- Name: FUNCTION ear_snippet_words(job text, employer text, bio text); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.ear_snippet_words(job text, employer text, bio text) IS 'The lexemes of ear_snippet_text in the eight configurations ear_headline tries: no lexeme of q among them, no highlight.';

--
-- Name: ear_themes_vector(text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ear_themes_vector(codes text[]) RETURNS tsvector
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT coalesce(strip(ear_search_vector(string_agg(concat_ws(' ', t.label_en, t.label_fr, t.label_es), ' '))), ''::tsvector)
    FROM themes t
    WHERE t.code = ANY(codes)
$$;

--
-- Name: experts_refresh_search(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.experts_refresh_search() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: FUNCTION experts_refresh_search(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.experts_refresh_search() IS 'Writes the expert''s search vectors (names and theme labels; the whole profile; profile and CV text; what the profile and the CV add to the tier before) and facets into expert_search, the table q searches, ranks and counts by, and the words of its highlight text into expert_snippet_words.';

--
-- Name: experts_refresh_search_facets(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.experts_refresh_search_facets() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE expert_search
    SET facets = ear_expert_facets(NEW.kind, NEW.nationality, NEW.member_state, NEW.status, NEW.theme_codes, NEW.language_skills,
                                   NEW.countries_of_experience::text[])
    WHERE expert_id = NEW.id;
    RETURN NULL;
END
$$;

--
-- Name: FUNCTION experts_refresh_search_facets(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.experts_refresh_search_facets() IS 'Writes the expert''s facets into expert_search when a filtered column changes, so that a search with q and filters counts the expert as it is now.';

--
-- Name: pool_contributions(timestamp with time zone, timestamp with time zone, text, timestamp with time zone, character); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.pool_contributions(e_created timestamp with time zone, e_consent timestamp with time zone, e_status text, e_erased timestamp with time zone, e_member_state character) RETURNS TABLE(day date, member_state text, pool_delta bigint, created bigint)
    LANGUAGE sql STABLE
    AS $$
    SELECT e_created::date, coalesce(e_member_state, ''), 0::bigint, 1::bigint
    UNION ALL
    SELECT greatest(e_created, e_consent)::date, coalesce(e_member_state, ''), 1, 0
    WHERE e_status = 'active' AND e_consent IS NOT NULL
      AND (e_erased IS NULL OR e_erased::date > greatest(e_created, e_consent)::date)
    UNION ALL
    SELECT e_erased::date, coalesce(e_member_state, ''), -1, 0
    WHERE e_status = 'active' AND e_consent IS NOT NULL
      AND e_erased IS NOT NULL AND e_erased::date > greatest(e_created, e_consent)::date
$$;

--
-- Name: FUNCTION pool_contributions(e_created timestamp with time zone, e_consent timestamp with time zone, e_status text, e_erased timestamp with time zone, e_member_state character); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.pool_contributions(e_created timestamp with time zone, e_consent timestamp with time zone, e_status text, e_erased timestamp with time zone, e_member_state character) IS 'One expert''s rows in pool_ledger: created on its creation day; in the pool from the later of creation and consent if active and consenting, out of it on its erasure day. The one definition the ledger triggers and the backfill share.';

--
-- Name: pool_ledger_deleted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.pool_ledger_deleted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO pool_ledger (day, member_state, pool_delta, created)
    SELECT c.day, c.member_state, -sum(c.pool_delta), -sum(c.created)
    FROM old_rows r, pool_contributions(r.created_at, r.consent_recorded_at, r.status, r.erased_at, r.member_state) c
    GROUP BY c.day, c.member_state
    ON CONFLICT (day, member_state) DO UPDATE
    SET pool_delta = pool_ledger.pool_delta + EXCLUDED.pool_delta, created = pool_ledger.created + EXCLUDED.created;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION pool_ledger_deleted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.pool_ledger_deleted() IS 'Takes the pool_contributions of the deleted experts out of pool_ledger.';

--
-- Name: pool_ledger_inserted(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.pool_ledger_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO pool_ledger (day, member_state, pool_delta, created)
    SELECT c.day, c.member_state, sum(c.pool_delta), sum(c.created)
    FROM new_rows r, pool_contributions(r.created_at, r.consent_recorded_at, r.status, r.erased_at, r.member_state) c
    GROUP BY c.day, c.member_state
    ON CONFLICT (day, member_state) DO UPDATE
    SET pool_delta = pool_ledger.pool_delta + EXCLUDED.pool_delta, created = pool_ledger.created + EXCLUDED.created;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION pool_ledger_inserted(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.pool_ledger_inserted() IS 'Adds the pool_contributions of the inserted experts to pool_ledger.';

--
-- Name: pool_ledger_updated(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.pool_ledger_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: FUNCTION pool_ledger_updated(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.pool_ledger_updated() IS 'Moves the pool_contributions of the experts whose creation, consent, status, erasure or member state changed from their old rows to their new ones; other updates write nothing.';

--
-- Name: pool_month_ledger_moved(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.pool_month_ledger_moved() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: FUNCTION pool_month_ledger_moved(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.pool_month_ledger_moved() IS 'Moves pool_month_ledger by the change of one pool_ledger row (taken out as it was, added as it is).';

--
-- Name: roster_actions_changed_by_update(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.roster_actions_changed_by_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: FUNCTION roster_actions_changed_by_update(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.roster_actions_changed_by_update() IS 'Logs in roster_changes the experts deployed on the actions whose beneficiary countries or themes changed. A status move logs nothing.';

--
-- Name: roster_activities_changed_by_update(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.roster_activities_changed_by_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: FUNCTION roster_activities_changed_by_update(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.roster_activities_changed_by_update() IS 'Logs in roster_changes the experts deployed on the activities whose country or action changed (a deployment''s countries are its action''s and its activity''s).';

--
-- Name: roster_changed_evaluations(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.roster_changed_evaluations() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT d.expert_id FROM changed c JOIN deployments d ON d.id = c.deployment_id;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION roster_changed_evaluations(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.roster_changed_evaluations() IS 'Logs in roster_changes the expert of the deployment of every evaluation of the transition table "changed" (inserted or deleted).';

--
-- Name: roster_changed_expert_rows(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.roster_changed_expert_rows() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO roster_changes (expert_id) SELECT DISTINCT expert_id FROM changed;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION roster_changed_expert_rows(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.roster_changed_expert_rows() IS 'Logs in roster_changes the expert_id of every row of the transition table "changed" (child rows and deployments inserted or deleted).';

--
-- Name: roster_changed_experts(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.roster_changed_experts() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO roster_changes (expert_id) SELECT DISTINCT id FROM changed;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION roster_changed_experts(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.roster_changed_experts() IS 'Logs in roster_changes every expert of the transition table "changed" (experts inserted or deleted).';

--
-- Name: roster_deployments_changed_by_update(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.roster_deployments_changed_by_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: FUNCTION roster_deployments_changed_by_update(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.roster_deployments_changed_by_update() IS 'Logs in roster_changes the experts (before and after) of the deployments whose expert, activity, days or being cancelled changed. Erasure clearing cancel_reason logs nothing.';

--
-- Name: roster_evaluations_changed_by_update(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.roster_evaluations_changed_by_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: FUNCTION roster_evaluations_changed_by_update(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.roster_evaluations_changed_by_update() IS 'Logs in roster_changes the experts of the deployments whose evaluation''s rating or recommendation changed. Erasure clearing the comment logs nothing.';

--
-- Name: roster_experts_changed_by_update(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.roster_experts_changed_by_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: FUNCTION roster_experts_changed_by_update(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.roster_experts_changed_by_update() IS 'Logs in roster_changes the experts whose kind, nationality, member state, gender, status, having consent, countries of experience, being erased or waiting for re-confirmation changed: what matching reads from experts. A CV upload, a new name or e-mail logs nothing.';

--
-- Name: roster_languages_changed_by_update(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.roster_languages_changed_by_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT expert_id FROM (
        (SELECT expert_id, language_code, level_rank FROM old_rows EXCEPT ALL SELECT expert_id, language_code, level_rank FROM new_rows)
        UNION ALL
        (SELECT expert_id, language_code, level_rank FROM new_rows EXCEPT ALL SELECT expert_id, language_code, level_rank FROM old_rows)
    ) changed;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION roster_languages_changed_by_update(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.roster_languages_changed_by_update() IS 'Logs in roster_changes the experts (before and after, should a row move to another expert) of the expert_languages rows whose language or level rank changed.';

--
-- Name: roster_themes_changed_by_update(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.roster_themes_changed_by_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT expert_id FROM (
        (SELECT expert_id, theme_code, level FROM old_rows EXCEPT ALL SELECT expert_id, theme_code, level FROM new_rows)
        UNION ALL
        (SELECT expert_id, theme_code, level FROM new_rows EXCEPT ALL SELECT expert_id, theme_code, level FROM old_rows)
    ) changed;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION roster_themes_changed_by_update(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.roster_themes_changed_by_update() IS 'Logs in roster_changes the experts (before and after) of the expert_themes rows whose theme or level changed.';

--
-- Name: roster_unavailability_changed_by_update(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.roster_unavailability_changed_by_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT expert_id FROM (
        (SELECT expert_id, period FROM old_rows EXCEPT ALL SELECT expert_id, period FROM new_rows)
        UNION ALL
        (SELECT expert_id, period FROM new_rows EXCEPT ALL SELECT expert_id, period FROM old_rows)
    ) changed;
    RETURN NULL;
END $$;

--
-- Name: FUNCTION roster_unavailability_changed_by_update(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.roster_unavailability_changed_by_update() IS 'Logs in roster_changes the experts (before and after) of the expert_unavailability rows whose period changed.';

--
-- Name: trim_roster_changes(interval); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.trim_roster_changes(retention interval) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NOT pg_is_in_recovery() THEN
        DELETE FROM roster_changes WHERE changed_at < now() - retention;
    END IF;
END;
$$;

--
-- Name: ear_en; Type: TEXT SEARCH CONFIGURATION; Schema: public; Owner: -
--

CREATE TEXT SEARCH CONFIGURATION public.ear_en (
    PARSER = pg_catalog."default" );

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR asciiword WITH english_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR word WITH public.unaccent, english_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR numword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR email WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR url WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR host WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR sfloat WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR version WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR hword_numpart WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR hword_part WITH public.unaccent, english_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR hword_asciipart WITH english_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR numhword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR asciihword WITH english_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR hword WITH public.unaccent, english_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR url_path WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR file WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR "float" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR "int" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_en
    ADD MAPPING FOR uint WITH simple;

--
-- Name: ear_es; Type: TEXT SEARCH CONFIGURATION; Schema: public; Owner: -
--

CREATE TEXT SEARCH CONFIGURATION public.ear_es (
    PARSER = pg_catalog."default" );

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR asciiword WITH spanish_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR word WITH public.unaccent, spanish_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR numword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR email WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR url WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR host WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR sfloat WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR version WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR hword_numpart WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR hword_part WITH public.unaccent, spanish_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR hword_asciipart WITH spanish_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR numhword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR asciihword WITH spanish_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR hword WITH public.unaccent, spanish_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR url_path WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR file WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR "float" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR "int" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_es
    ADD MAPPING FOR uint WITH simple;

--
-- Name: ear_fr; Type: TEXT SEARCH CONFIGURATION; Schema: public; Owner: -
--

CREATE TEXT SEARCH CONFIGURATION public.ear_fr (
    PARSER = pg_catalog."default" );

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR asciiword WITH french_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR word WITH public.unaccent, french_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR numword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR email WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR url WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR host WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR sfloat WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR version WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR hword_numpart WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR hword_part WITH public.unaccent, french_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR hword_asciipart WITH french_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR numhword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR asciihword WITH french_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR hword WITH public.unaccent, french_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR url_path WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR file WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR "float" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR "int" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_fr
    ADD MAPPING FOR uint WITH simple;

--
-- Name: ear_pt; Type: TEXT SEARCH CONFIGURATION; Schema: public; Owner: -
--

CREATE TEXT SEARCH CONFIGURATION public.ear_pt (
    PARSER = pg_catalog."default" );

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR asciiword WITH portuguese_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR word WITH public.unaccent, portuguese_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR numword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR email WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR url WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR host WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR sfloat WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR version WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR hword_numpart WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR hword_part WITH public.unaccent, portuguese_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR hword_asciipart WITH portuguese_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR numhword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR asciihword WITH portuguese_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR hword WITH public.unaccent, portuguese_stem;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR url_path WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR file WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR "float" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR "int" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_pt
    ADD MAPPING FOR uint WITH simple;

--
-- Name: ear_simple; Type: TEXT SEARCH CONFIGURATION; Schema: public; Owner: -
--

CREATE TEXT SEARCH CONFIGURATION public.ear_simple (
    PARSER = pg_catalog."default" );

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR asciiword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR word WITH public.unaccent, simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR numword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR email WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR url WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR host WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR sfloat WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR version WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR hword_numpart WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR hword_part WITH public.unaccent, simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR hword_asciipart WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR numhword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR asciihword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR hword WITH public.unaccent, simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR url_path WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR file WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR "float" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR "int" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.ear_simple
    ADD MAPPING FOR uint WITH simple;

--
-- Name: action_plans; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.action_plans (
    id uuid NOT NULL,
    action_id uuid NOT NULL,
    requested_by uuid,
    requested_at timestamp with time zone NOT NULL,
    request jsonb NOT NULL,
    response jsonb NOT NULL,
    status text DEFAULT 'proposed'::text NOT NULL,
    accepted_by uuid,
    accepted_at timestamp with time zone,
    CONSTRAINT action_plans_check CHECK (((status = 'accepted'::text) = (accepted_at IS NOT NULL))),
    CONSTRAINT action_plans_status_check CHECK ((status = ANY (ARRAY['proposed'::text, 'accepted'::text])))
);

--
-- Name: action_status_changes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.action_status_changes (
    id bigint NOT NULL,
    action_id uuid NOT NULL,
    from_status text,
    to_status text NOT NULL,
    note text,
    changed_by uuid,
    changed_at timestamp with time zone NOT NULL,
    CONSTRAINT action_status_changes_note_check CHECK ((length(note) <= 2000))
);

--
-- Name: action_status_changes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.action_status_changes ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.action_status_changes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: actions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.actions (
    id uuid NOT NULL,
    code text NOT NULL,
    title text NOT NULL,
    requesting_authority text,
    beneficiary_countries character(2)[] DEFAULT '{}'::bpchar[] NOT NULL,
    regional_organisation text,
    region text,
    themes text[] DEFAULT '{}'::text[] NOT NULL,
    working_languages character(2)[] DEFAULT '{}'::bpchar[] NOT NULL,
    requested_at date,
    period daterange,
    status text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT actions_check CHECK (((cardinality(beneficiary_countries) > 0) OR (regional_organisation IS NOT NULL))),
    CONSTRAINT actions_code_check CHECK ((code ~ '^[A-Z0-9][A-Z0-9-]{2,39}$'::text)),
    CONSTRAINT actions_period_check CHECK (((period IS NULL) OR ((NOT isempty(period)) AND (NOT lower_inf(period))))),
    CONSTRAINT actions_regional_organisation_check CHECK ((length(regional_organisation) <= 200)),
    CONSTRAINT actions_requesting_authority_check CHECK ((length(requesting_authority) <= 1000)),
    CONSTRAINT actions_status_check CHECK ((status = ANY (ARRAY['requested'::text, 'in_preparation'::text, 'approved'::text, 'in_implementation'::text, 'completed'::text, 'rejected'::text, 'transferred'::text]))),
    CONSTRAINT actions_title_check CHECK (((length(title) >= 1) AND (length(title) <= 300)))
);

--
-- Name: activity_ledger; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.activity_ledger (
    start_month date NOT NULL,
    type text NOT NULL,
    activities bigint DEFAULT 0 NOT NULL
);

--
-- Name: TABLE activity_ledger; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.activity_ledger IS 'Per month of an activity''s first day and type, the number of activities. Kept by the activity_ledger_* triggers on activities; the summary sums its whole months.';

--
-- Name: api_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_keys (
    id uuid NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    member_state character(2),
    key_hash bytea NOT NULL,
    key_prefix text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    CONSTRAINT api_keys_check CHECK (((role = 'focal_point'::text) = (member_state IS NOT NULL))),
    CONSTRAINT api_keys_key_hash_check CHECK ((length(key_hash) = 32)),
    CONSTRAINT api_keys_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT api_keys_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'focal_point'::text, 'reader'::text])))
);

--
-- Name: audit_entries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_entries (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    key_id uuid,
    role text,
    action text NOT NULL,
    method text NOT NULL,
    path text NOT NULL,
    target_type text,
    target_id uuid,
    status_code integer NOT NULL,
    outcome text NOT NULL,
    client_address text,
    occurrences integer DEFAULT 1 NOT NULL,
    refusal_minute timestamp with time zone,
    filter text,
    purpose text,
    key_pseudonym text,
    pseudonymised_at timestamp with time zone,
    CONSTRAINT audit_entries_occurrences_check CHECK ((occurrences >= 1)),
    CONSTRAINT audit_entries_outcome_check CHECK ((outcome = ANY (ARRAY['succeeded'::text, 'refused'::text, 'failed'::text]))),
    CONSTRAINT audit_entries_purpose_check CHECK ((purpose = ANY (ARRAY['roster_management'::text, 'cv_sharing'::text])))
);

--
-- Name: COLUMN audit_entries.purpose; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.audit_entries.purpose IS 'What a CV download was for, as the caller declared it.';

--
-- Name: COLUMN audit_entries.key_pseudonym; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.audit_entries.key_pseudonym IS 'After the retention period: a keyed hash of the key id, which then is NULL (same key, same pseudonym).';

--
-- Name: audit_entries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.audit_entries ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.audit_entries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: change_commit_positions; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.change_commit_positions
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: change_commits; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.change_commits (
    "position" bigint NOT NULL,
    xid xid8 NOT NULL,
    committed_at timestamp with time zone NOT NULL
);

--
-- Name: TABLE change_commits; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.change_commits IS 'One row per committed transaction that wrote change events: its commit position, assigned just before commit under an advisory lock held until the commit is visible, so positions become visible in order (decision 0023).';

--
-- Name: change_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.change_events (
    seq bigint NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    xid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    type text NOT NULL,
    resource_type text NOT NULL,
    resource_id uuid NOT NULL,
    expert_id uuid,
    member_state character(2),
    key_id uuid,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    data jsonb NOT NULL
);

--
-- Name: TABLE change_events; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.change_events IS 'The outbox behind GET /api/v1/changes and the webhooks: one row per change, written by triggers in the changing transaction. Ids, changed column names and the expert''s member state, never personal values. Trimmed after Changes:RetentionDays.';

--
-- Name: change_events_seq_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.change_events ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.change_events_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: change_feed_horizon; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.change_feed_horizon (
    only_row boolean DEFAULT true NOT NULL,
    trimmed_through bigint DEFAULT 0 NOT NULL,
    trimmed_seq bigint DEFAULT 0 NOT NULL,
    CONSTRAINT change_feed_horizon_only_row_check CHECK (only_row)
);

--
-- Name: TABLE change_feed_horizon; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.change_feed_horizon IS 'The last feed place (commit position, event seq) trimmed away: a cursor before it is answered 410 Gone.';

--
-- Name: countries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.countries (
    code character(2) NOT NULL,
    name_en text NOT NULL,
    name_fr text NOT NULL,
    name_es text NOT NULL,
    CONSTRAINT countries_code_check CHECK ((code ~ '^[A-Z]{2}$'::text))
);

--
-- Name: expert_consents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.expert_consents (
    id bigint NOT NULL,
    expert_id uuid NOT NULL,
    purpose text NOT NULL,
    basis text NOT NULL,
    note text,
    recorded_by uuid,
    recorded_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone,
    withdrawn_at timestamp with time zone,
    withdrawn_by uuid,
    withdrawal_note text,
    entered_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT expert_consents_basis_check CHECK ((basis = ANY (ARRAY['focal_point_written_agreement'::text, 'expert_declaration'::text, 'stated_in_profile'::text]))),
    CONSTRAINT expert_consents_check CHECK (((expires_at IS NULL) OR (expires_at > recorded_at))),
    CONSTRAINT expert_consents_note_check CHECK ((length(note) <= 500)),
    CONSTRAINT expert_consents_purpose_check CHECK ((purpose = ANY (ARRAY['roster_membership'::text, 'cv_sharing'::text, 'evaluation_use'::text, 'cv_text_extraction'::text]))),
    CONSTRAINT expert_consents_withdrawal_note_check CHECK ((length(withdrawal_note) <= 500))
);

--
-- Name: TABLE expert_consents; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.expert_consents IS 'One row per consent granted to an expert for one purpose; a withdrawal is written on its grant. Never deleted while the expert exists: the history is the proof (decision 0022). Written only by ConsentWrites.';

--
-- Name: current_consents; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.current_consents AS
 SELECT DISTINCT ON (expert_consents.expert_id, expert_consents.purpose) expert_consents.expert_id,
    expert_consents.purpose,
    expert_consents.id AS consent_id,
    expert_consents.basis,
    expert_consents.recorded_at,
    expert_consents.expires_at,
    expert_consents.withdrawn_at,
        CASE
            WHEN (expert_consents.withdrawn_at IS NOT NULL) THEN 'withdrawn'::text
            WHEN ((expert_consents.expires_at IS NOT NULL) AND (expert_consents.expires_at <= now())) THEN 'expired'::text
            ELSE 'granted'::text
        END AS state
   FROM public.expert_consents
  ORDER BY expert_consents.expert_id, expert_consents.purpose, expert_consents.id DESC;

--
-- Name: VIEW current_consents; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.current_consents IS 'Per expert and purpose, the state of the grant entered last: granted, withdrawn or expired (at the time of the query). The one definition matching, search, CV upload and download, and retention read.';

--
-- Name: cv_documents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.cv_documents (
    expert_id uuid NOT NULL,
    version integer NOT NULL,
    sha256 bytea NOT NULL,
    size_bytes bigint NOT NULL,
    content_type text NOT NULL,
    file_name text NOT NULL,
    text_status text NOT NULL,
    text text NOT NULL,
    content bytea NOT NULL,
    uploaded_by uuid,
    uploaded_at timestamp with time zone NOT NULL,
    CONSTRAINT cv_documents_content_type_check CHECK ((content_type = ANY (ARRAY['application/pdf'::text, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'::text]))),
    CONSTRAINT cv_documents_file_name_check CHECK (((length(file_name) >= 1) AND (length(file_name) <= 255))),
    CONSTRAINT cv_documents_sha256_check CHECK ((length(sha256) = 32)),
    CONSTRAINT cv_documents_size_bytes_check CHECK ((size_bytes > 0)),
    CONSTRAINT cv_documents_text_status_check CHECK ((text_status = ANY (ARRAY['extracted'::text, 'encrypted'::text, 'no_text'::text, 'not_extracted'::text]))),
    CONSTRAINT cv_documents_version_check CHECK ((version >= 1))
);

--
-- Name: demo_data_loads; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.demo_data_loads (
    name text NOT NULL,
    loaded_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: deployment_ledger; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.deployment_ledger (
    start_month date NOT NULL,
    next_month date NOT NULL,
    expert_kind text NOT NULL,
    expert_gender text NOT NULL,
    expert_nationality character(2) NOT NULL,
    expert_member_state text NOT NULL,
    deployments bigint DEFAULT 0 NOT NULL,
    pair_firsts bigint DEFAULT 0 NOT NULL
);

--
-- Name: TABLE deployment_ledger; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.deployment_ledger IS 'Per month of a live deployment''s first day, month of the same expert''s next live deployment (''infinity'' for none) and the expert''s kind, gender, nationality and member state ('''' for none) at booking: the number of deployments, and of those that are the expert''s first with that member state. Kept by the deployment_ledger_* triggers on deployments; the reports sum its whole months.';

--
-- Name: deployment_month_ledger; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.deployment_month_ledger (
    start_month date NOT NULL,
    deployments bigint DEFAULT 0 NOT NULL
);

--
-- Name: TABLE deployment_month_ledger; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.deployment_month_ledger IS 'Per month of a live deployment''s first day, the number of deployments: deployment_ledger summed by month, kept by the deployment_month_ledger_moved trigger on it. The summary sums its whole months.';

--
-- Name: eu_memberships; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.eu_memberships (
    country_code character(2) NOT NULL,
    period daterange NOT NULL,
    CONSTRAINT eu_memberships_period_check CHECK (((NOT isempty(period)) AND (lower(period) IS NOT NULL)))
);

--
-- Name: evaluations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.evaluations (
    deployment_id uuid NOT NULL,
    rating smallint NOT NULL,
    recommendation text NOT NULL,
    comment text,
    evaluated_at timestamp with time zone NOT NULL,
    evaluated_by uuid,
    CONSTRAINT evaluations_comment_check CHECK ((length(comment) <= 5000)),
    CONSTRAINT evaluations_rating_check CHECK (((rating >= 1) AND (rating <= 5))),
    CONSTRAINT evaluations_recommendation_check CHECK ((recommendation = ANY (ARRAY['redeploy'::text, 'redeploy_other_area'::text, 'do_not_redeploy'::text])))
);

--
-- Name: expert_confirmations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.expert_confirmations (
    id bigint NOT NULL,
    expert_id uuid NOT NULL,
    confirmed_at timestamp with time zone NOT NULL,
    confirmed_by uuid,
    basis text NOT NULL,
    note text,
    CONSTRAINT expert_confirmations_basis_check CHECK ((basis = ANY (ARRAY['focal_point_written_agreement'::text, 'expert_declaration'::text, 'stated_in_profile'::text]))),
    CONSTRAINT expert_confirmations_note_check CHECK ((length(note) <= 500))
);

--
-- Name: TABLE expert_confirmations; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.expert_confirmations IS 'Each re-confirmation of a profile: who, when, on what basis. experts.confirmed_at is the latest.';

--
-- Name: expert_confirmations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.expert_confirmations ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.expert_confirmations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: expert_consents_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.expert_consents ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.expert_consents_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: expert_languages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.expert_languages (
    expert_id uuid NOT NULL,
    language_code character(2) NOT NULL,
    level text NOT NULL,
    level_rank smallint NOT NULL,
    CONSTRAINT expert_languages_level_rank_check CHECK (((level_rank >= 1) AND (level_rank <= 7)))
);

--
-- Name: expert_search; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.expert_search (
    expert_id uuid NOT NULL,
    document tsvector NOT NULL,
    names_themes tsvector NOT NULL,
    profile tsvector NOT NULL,
    profile_only tsvector NOT NULL,
    cv_only tsvector NOT NULL,
    facets text[] NOT NULL
);
ALTER TABLE ONLY public.expert_search ALTER COLUMN document SET STATISTICS 1000;
ALTER TABLE ONLY public.expert_search ALTER COLUMN names_themes SET STATISTICS 1000;
ALTER TABLE ONLY public.expert_search ALTER COLUMN profile SET STATISTICS 1000;
ALTER TABLE ONLY public.expert_search ALTER COLUMN profile_only SET STATISTICS 1000;
ALTER TABLE ONLY public.expert_search ALTER COLUMN cv_only SET STATISTICS 1000;

--
-- Name: expert_snippet_words; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.expert_snippet_words (
    expert_id uuid NOT NULL,
    words tsvector NOT NULL
);

--
-- Name: TABLE expert_snippet_words; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.expert_snippet_words IS 'The words of each expert''s highlight text (ear_snippet_words), kept by experts_refresh_search: a first page of a q calls ear_headline only for an expert whose words hold one of q''s lexemes.';

--
-- Name: expert_themes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.expert_themes (
    expert_id uuid NOT NULL,
    theme_code text NOT NULL,
    level smallint NOT NULL,
    CONSTRAINT expert_themes_level_check CHECK (((level >= 1) AND (level <= 3)))
);

--
-- Name: expert_unavailability; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.expert_unavailability (
    expert_id uuid NOT NULL,
    period daterange NOT NULL,
    CONSTRAINT expert_unavailability_period_check CHECK (((NOT isempty(period)) AND (NOT lower_inf(period)) AND (NOT upper_inf(period))))
);

--
-- Name: experts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.experts (
    id uuid NOT NULL,
    given_name text NOT NULL,
    family_name text NOT NULL,
    email text,
    phone text,
    gender text NOT NULL,
    nationality character(2) NOT NULL,
    kind text NOT NULL,
    member_state character(2),
    employer text,
    "position" text,
    bio text,
    countries_of_experience character(2)[] DEFAULT '{}'::bpchar[] NOT NULL,
    status text NOT NULL,
    consent_recorded_at timestamp with time zone,
    consent_recorded_by text,
    consent_basis text,
    cv_text text,
    theme_codes text[] DEFAULT '{}'::text[] NOT NULL,
    language_skills text[] DEFAULT '{}'::text[] NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    erased_at timestamp with time zone,
    confirmed_at timestamp with time zone DEFAULT now() NOT NULL,
    pending_reconfirmation_since timestamp with time zone,
    CONSTRAINT experts_bio_check CHECK ((length(bio) <= 5000)),
    CONSTRAINT experts_check CHECK (((kind <> 'eu_civil_servant'::text) OR (member_state IS NOT NULL))),
    CONSTRAINT experts_check1 CHECK (((erased_at IS NOT NULL) OR (num_nulls(consent_recorded_at, consent_recorded_by, consent_basis) = ANY (ARRAY[0, 3])))),
    CONSTRAINT experts_check2 CHECK (((erased_at IS NULL) OR ((email IS NULL) AND (phone IS NULL) AND (given_name = ''::text) AND (family_name = ''::text)))),
    CONSTRAINT experts_consent_basis_check CHECK ((length(consent_basis) <= 500)),
    CONSTRAINT experts_consent_recorded_by_check CHECK ((length(consent_recorded_by) <= 200)),
    CONSTRAINT experts_email_check CHECK ((length(email) <= 254)),
    CONSTRAINT experts_employer_check CHECK ((length(employer) <= 200)),
    CONSTRAINT experts_family_name_check CHECK ((length(family_name) <= 100)),
    CONSTRAINT experts_gender_check CHECK ((gender = ANY (ARRAY['female'::text, 'male'::text, 'other'::text, 'undisclosed'::text]))),
    CONSTRAINT experts_given_name_check CHECK ((length(given_name) <= 100)),
    CONSTRAINT experts_kind_check CHECK ((kind = ANY (ARRAY['eu_civil_servant'::text, 'south_civil_servant'::text, 'academic'::text, 'ngo'::text, 'private_consultant'::text, 'eu_agency'::text, 'international_organisation'::text]))),
    CONSTRAINT experts_phone_check CHECK ((length(phone) <= 40)),
    CONSTRAINT experts_position_check CHECK ((length("position") <= 200)),
    CONSTRAINT experts_status_check CHECK ((status = ANY (ARRAY['active'::text, 'inactive'::text])))
);

--
-- Name: COLUMN experts.confirmed_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.experts.confirmed_at IS 'When the profile was last confirmed (created, or re-confirmed by POST /experts/{id}/reconfirm): the retention clock starts here.';

--
-- Name: COLUMN experts.pending_reconfirmation_since; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.experts.pending_reconfirmation_since IS 'Set by retention when the profile went unconfirmed too long: the expert is not matched until re-confirmed, and is erased after the grace period.';

--
-- Name: language_levels; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.language_levels (
    level text NOT NULL,
    rank smallint NOT NULL
);

--
-- Name: languages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.languages (
    code character(2) NOT NULL,
    name_en text NOT NULL,
    name_fr text NOT NULL,
    name_es text NOT NULL,
    CONSTRAINT languages_code_check CHECK ((code ~ '^[a-z]{2}$'::text))
);

--
-- Name: matching_runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.matching_runs (
    id uuid NOT NULL,
    action_id uuid NOT NULL,
    requested_by uuid,
    requested_at timestamp with time zone NOT NULL,
    request jsonb NOT NULL,
    response jsonb NOT NULL
);

--
-- Name: pool_ledger; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pool_ledger (
    day date NOT NULL,
    member_state text NOT NULL,
    pool_delta bigint DEFAULT 0 NOT NULL,
    created bigint DEFAULT 0 NOT NULL
);

--
-- Name: TABLE pool_ledger; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.pool_ledger IS 'Per day and member state ('''' for none): experts joining (+1) or leaving (-1) the pool, and experts created. The pool at D is sum(pool_delta) over the days up to D. Kept by the pool_ledger_* triggers on experts.';

--
-- Name: pool_month_ledger; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pool_month_ledger (
    start_month date NOT NULL,
    member_state text NOT NULL,
    pool_delta bigint DEFAULT 0 NOT NULL,
    created bigint DEFAULT 0 NOT NULL
);

--
-- Name: TABLE pool_month_ledger; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.pool_month_ledger IS 'Per month and member state ('''' for none), pool_ledger''s days summed: experts joining less leaving the pool, experts created. Kept by the pool_month_ledger_moved trigger on pool_ledger; the reports read the months before a date from it.';

--
-- Name: rate_limit_windows; Type: TABLE; Schema: public; Owner: -
--

CREATE UNLOGGED TABLE public.rate_limit_windows (
    partition text NOT NULL,
    minute bigint NOT NULL,
    used integer NOT NULL
)
WITH (fillfactor='50');

--
-- Name: TABLE rate_limit_windows; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.rate_limit_windows IS 'Requests counted per API key (''key <id>'') or client address (''address <ip>'') in the clock minute (Unix seconds / 60); rows of past minutes are deleted.';

--
-- Name: region_countries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.region_countries (
    region_code text NOT NULL,
    country_code character(2) NOT NULL
);

--
-- Name: regions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.regions (
    code text NOT NULL,
    label_en text NOT NULL,
    label_fr text NOT NULL,
    label_es text NOT NULL,
    sort_order integer NOT NULL,
    CONSTRAINT regions_code_check CHECK ((code ~ '^[a-z_]+(\.[a-z_]+)?$'::text))
);

--
-- Name: retention_actions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.retention_actions (
    id bigint NOT NULL,
    run_id uuid NOT NULL,
    kind text NOT NULL,
    expert_id uuid,
    cv_version integer,
    count integer DEFAULT 1 NOT NULL,
    consent_id bigint,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT retention_actions_kind_check CHECK ((kind = ANY (ARRAY['reconfirmation_requested'::text, 'expert_erased'::text, 'cv_version_deleted'::text, 'audit_pseudonymised'::text, 'consent_expired'::text])))
);

--
-- Name: TABLE retention_actions; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.retention_actions IS 'What each retention run did, per expert (or per batch for the audit): the processing record reads it.';

--
-- Name: retention_actions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.retention_actions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.retention_actions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: retention_runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.retention_runs (
    id uuid NOT NULL,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    started_by text NOT NULL,
    requested_by uuid,
    policy jsonb NOT NULL,
    CONSTRAINT retention_runs_started_by_check CHECK ((started_by = ANY (ARRAY['schedule'::text, 'admin'::text, 'expiry_watch'::text])))
);

--
-- Name: retention_secret; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.retention_secret (
    only_row boolean DEFAULT true NOT NULL,
    secret text NOT NULL,
    CONSTRAINT retention_secret_only_row_check CHECK (only_row)
);

--
-- Name: TABLE retention_secret; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.retention_secret IS 'The key of the audit''s pseudonyms. Whoever holds it and the key ids can undo them: pseudonymisation, not anonymisation.';

--
-- Name: roster_changes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roster_changes (
    xid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    expert_id uuid NOT NULL,
    changed_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE roster_changes; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.roster_changes IS 'Experts whose facts for matching changed, with the writing transaction''s id: RosterSnapshot reads again every expert logged at or after the oldest transaction still running when it last looked. Kept by the roster_* triggers; trimmed after 24 hours.';

--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    schemaversionsid integer NOT NULL,
    scriptname character varying(255) NOT NULL,
    applied timestamp without time zone NOT NULL
);

--
-- Name: schema_migrations_schemaversionsid_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.schema_migrations_schemaversionsid_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: schema_migrations_schemaversionsid_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.schema_migrations_schemaversionsid_seq OWNED BY public.schema_migrations.schemaversionsid;

--
-- Name: themes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.themes (
    code text NOT NULL,
    parent_code text,
    label_en text NOT NULL,
    label_fr text NOT NULL,
    label_es text NOT NULL,
    sort_order integer NOT NULL,
    CONSTRAINT themes_check CHECK (((parent_code IS NULL) = (POSITION(('.'::text) IN (code)) = 0))),
    CONSTRAINT themes_check1 CHECK (((parent_code IS NULL) OR (code ~~ (parent_code || '.%'::text)))),
    CONSTRAINT themes_code_check CHECK ((code ~ '^[a-z]+(\.[a-z-]+)?$'::text))
);

--
-- Name: webhook_deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_deliveries (
    id uuid NOT NULL,
    subscription_id uuid NOT NULL,
    event_id uuid NOT NULL,
    "position" bigint NOT NULL,
    seq bigint NOT NULL,
    event_type text NOT NULL,
    body text NOT NULL,
    status text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    last_error text,
    last_status_code integer,
    next_attempt_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    delivered_at timestamp with time zone,
    CONSTRAINT webhook_deliveries_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'delivered'::text, 'dead_lettered'::text])))
);

--
-- Name: TABLE webhook_deliveries; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.webhook_deliveries IS 'One row per event per subscription: delivered in feed order, at least once, retried with backoff, dead-lettered after Webhooks:MaxAttempts. The body is the event exactly as sent and signed (ids and changed field names only).';

--
-- Name: webhook_subscriptions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_subscriptions (
    id uuid NOT NULL,
    url text NOT NULL,
    event_types text[] NOT NULL,
    secret text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by uuid,
    cursor_position bigint NOT NULL,
    cursor_seq bigint NOT NULL,
    CONSTRAINT webhook_subscriptions_url_check CHECK ((length(url) <= 2000))
);

--
-- Name: TABLE webhook_subscriptions; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.webhook_subscriptions IS 'Webhook subscribers: where to POST which event types, the signing secret, and how far through the change feed deliveries were queued.';

--
-- Name: schema_migrations schemaversionsid; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations ALTER COLUMN schemaversionsid SET DEFAULT nextval('public.schema_migrations_schemaversionsid_seq'::regclass);

--
-- Name: schema_migrations PK_schema_migrations_Id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT "PK_schema_migrations_Id" PRIMARY KEY (schemaversionsid);

--
-- Name: action_plans action_plans_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_plans
    ADD CONSTRAINT action_plans_pkey PRIMARY KEY (id);

--
-- Name: action_status_changes action_status_changes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_status_changes
    ADD CONSTRAINT action_status_changes_pkey PRIMARY KEY (id);

--
-- Name: actions actions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.actions
    ADD CONSTRAINT actions_pkey PRIMARY KEY (id);

--
-- Name: activities activities_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.activities
    ADD CONSTRAINT activities_pkey PRIMARY KEY (id);

--
-- Name: activity_ledger activity_ledger_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.activity_ledger
    ADD CONSTRAINT activity_ledger_pkey PRIMARY KEY (start_month, type);

--
-- Name: api_keys api_keys_key_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash);

--
-- Name: api_keys api_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (id);

--
-- Name: audit_entries audit_entries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_entries
    ADD CONSTRAINT audit_entries_pkey PRIMARY KEY (id);

--
-- Name: change_commits change_commits_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.change_commits
    ADD CONSTRAINT change_commits_pkey PRIMARY KEY ("position");

--
-- Name: change_events change_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.change_events
    ADD CONSTRAINT change_events_pkey PRIMARY KEY (seq);

--
-- Name: change_feed_horizon change_feed_horizon_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.change_feed_horizon
    ADD CONSTRAINT change_feed_horizon_pkey PRIMARY KEY (only_row);

--
-- Name: countries countries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.countries
    ADD CONSTRAINT countries_pkey PRIMARY KEY (code);

--
-- Name: cv_documents cv_documents_expert_id_sha256_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cv_documents
    ADD CONSTRAINT cv_documents_expert_id_sha256_key UNIQUE (expert_id, sha256);

--
-- Name: cv_documents cv_documents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cv_documents
    ADD CONSTRAINT cv_documents_pkey PRIMARY KEY (expert_id, version);

--
-- Name: demo_data_loads demo_data_loads_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.demo_data_loads
    ADD CONSTRAINT demo_data_loads_pkey PRIMARY KEY (name);

--
-- Name: deployment_ledger deployment_ledger_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deployment_ledger
    ADD CONSTRAINT deployment_ledger_pkey PRIMARY KEY (start_month, next_month, expert_kind, expert_gender, expert_nationality, expert_member_state);

--
-- Name: deployment_month_ledger deployment_month_ledger_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deployment_month_ledger
    ADD CONSTRAINT deployment_month_ledger_pkey PRIMARY KEY (start_month);

--
-- Name: deployments deployments_no_overlap; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deployments
    ADD CONSTRAINT deployments_no_overlap EXCLUDE USING gist (expert_id WITH =, period WITH &&) WHERE ((cancelled_at IS NULL));

--
-- Name: deployments deployments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deployments
    ADD CONSTRAINT deployments_pkey PRIMARY KEY (id);

--
-- Name: eu_memberships eu_memberships_country_code_period_excl; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.eu_memberships
    ADD CONSTRAINT eu_memberships_country_code_period_excl EXCLUDE USING gist (country_code WITH =, period WITH &&);

--
-- Name: evaluations evaluations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evaluations
    ADD CONSTRAINT evaluations_pkey PRIMARY KEY (deployment_id);

--
-- Name: expert_confirmations expert_confirmations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_confirmations
    ADD CONSTRAINT expert_confirmations_pkey PRIMARY KEY (id);

--
-- Name: expert_consents expert_consents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_consents
    ADD CONSTRAINT expert_consents_pkey PRIMARY KEY (id);

--
-- Name: expert_languages expert_languages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_languages
    ADD CONSTRAINT expert_languages_pkey PRIMARY KEY (expert_id, language_code);

--
-- Name: expert_search expert_search_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_search
    ADD CONSTRAINT expert_search_pkey PRIMARY KEY (expert_id);

--
-- Name: expert_snippet_words expert_snippet_words_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_snippet_words
    ADD CONSTRAINT expert_snippet_words_pkey PRIMARY KEY (expert_id);

--
-- Name: expert_themes expert_themes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_themes
    ADD CONSTRAINT expert_themes_pkey PRIMARY KEY (expert_id, theme_code);

--
-- Name: expert_unavailability expert_unavailability_expert_id_period_excl; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_unavailability
    ADD CONSTRAINT expert_unavailability_expert_id_period_excl EXCLUDE USING gist (expert_id WITH =, period WITH &&);

--
-- Name: experts experts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experts
    ADD CONSTRAINT experts_pkey PRIMARY KEY (id);

--
-- Name: language_levels language_levels_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.language_levels
    ADD CONSTRAINT language_levels_pkey PRIMARY KEY (level);

--
-- Name: language_levels language_levels_rank_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.language_levels
    ADD CONSTRAINT language_levels_rank_key UNIQUE (rank);

--
-- Name: languages languages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.languages
    ADD CONSTRAINT languages_pkey PRIMARY KEY (code);

--
-- Name: matching_runs matching_runs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matching_runs
    ADD CONSTRAINT matching_runs_pkey PRIMARY KEY (id);

--
-- Name: pool_ledger pool_ledger_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pool_ledger
    ADD CONSTRAINT pool_ledger_pkey PRIMARY KEY (day, member_state);

--
-- Name: pool_month_ledger pool_month_ledger_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pool_month_ledger
    ADD CONSTRAINT pool_month_ledger_pkey PRIMARY KEY (start_month, member_state);

--
-- Name: rate_limit_windows rate_limit_windows_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.rate_limit_windows
    ADD CONSTRAINT rate_limit_windows_pkey PRIMARY KEY (partition, minute);

--
-- Name: region_countries region_countries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.region_countries
    ADD CONSTRAINT region_countries_pkey PRIMARY KEY (region_code, country_code);

--
-- Name: regions regions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.regions
    ADD CONSTRAINT regions_pkey PRIMARY KEY (code);

--
-- Name: retention_actions retention_actions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.retention_actions
    ADD CONSTRAINT retention_actions_pkey PRIMARY KEY (id);

--
-- Name: retention_runs retention_runs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.retention_runs
    ADD CONSTRAINT retention_runs_pkey PRIMARY KEY (id);

--
-- Name: retention_secret retention_secret_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.retention_secret
    ADD CONSTRAINT retention_secret_pkey PRIMARY KEY (only_row);

--
-- Name: themes themes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.themes
    ADD CONSTRAINT themes_pkey PRIMARY KEY (code);

--
-- Name: webhook_deliveries webhook_deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id);

--
-- Name: webhook_deliveries webhook_deliveries_subscription_id_event_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_subscription_id_event_id_key UNIQUE (subscription_id, event_id);

--
-- Name: webhook_subscriptions webhook_subscriptions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_subscriptions
    ADD CONSTRAINT webhook_subscriptions_pkey PRIMARY KEY (id);

--
-- Name: action_plans_action; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX action_plans_action ON public.action_plans USING btree (action_id, requested_at);

--
-- Name: action_status_changes_action; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX action_status_changes_action ON public.action_status_changes USING btree (action_id, id);

--
-- Name: actions_code_unique; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX actions_code_unique ON public.actions USING btree (upper(code));

--
-- Name: actions_countries; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX actions_countries ON public.actions USING gin (beneficiary_countries);

--
-- Name: actions_period; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX actions_period ON public.actions USING gist (period);

--
-- Name: actions_region; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX actions_region ON public.actions USING btree (region, id);

--
-- Name: actions_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX actions_status ON public.actions USING btree (status, id);

--
-- Name: actions_themes; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX actions_themes ON public.actions USING gin (themes);

--
-- Name: activities_action; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX activities_action ON public.activities USING btree (action_id, lower(period));

--
-- Name: activities_start; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX activities_start ON public.activities USING btree (lower(period)) INCLUDE (type, action_id);

--
-- Name: audit_entries_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entries_at ON public.audit_entries USING btree (at);

--
-- Name: audit_entries_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entries_key ON public.audit_entries USING btree (key_id, id);

--
-- Name: audit_entries_refusals_per_minute; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX audit_entries_refusals_per_minute ON public.audit_entries USING btree (refusal_minute, client_address, key_id, status_code) NULLS NOT DISTINCT WHERE (outcome = 'refused'::text);

--
-- Name: audit_entries_target; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entries_target ON public.audit_entries USING btree (target_id, id);

--
-- Name: audit_entries_to_pseudonymise; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_entries_to_pseudonymise ON public.audit_entries USING btree (at) WHERE (pseudonymised_at IS NULL);

--
-- Name: change_events_xid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX change_events_xid ON public.change_events USING btree (xid, seq);

--
-- Name: cv_documents_waiting_for_text; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX cv_documents_waiting_for_text ON public.cv_documents USING btree (expert_id, version) WHERE (text_status = 'not_extracted'::text);

--
-- Name: INDEX cv_documents_waiting_for_text; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON INDEX public.cv_documents_waiting_for_text IS 'The versions CvTextRecovery reads again when their expert consents to cv_text_extraction.';

--
-- Name: deployments_activity; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX deployments_activity ON public.deployments USING btree (activity_id);

--
-- Name: deployments_expert; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX deployments_expert ON public.deployments USING btree (expert_id, lower(period));

--
-- Name: deployments_expert_live; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX deployments_expert_live ON public.deployments USING btree (expert_id, lower(period)) INCLUDE (expert_member_state) WHERE (cancelled_at IS NULL);

--
-- Name: deployments_start; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX deployments_start ON public.deployments USING btree (lower(period)) INCLUDE (expert_id, expert_kind, expert_gender, expert_nationality, expert_member_state) WHERE (cancelled_at IS NULL);

--
-- Name: expert_confirmations_expert; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX expert_confirmations_expert ON public.expert_confirmations USING btree (expert_id, id);

--
-- Name: expert_consents_current; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX expert_consents_current ON public.expert_consents USING btree (expert_id, purpose, id DESC);

--
-- Name: expert_consents_expiring; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX expert_consents_expiring ON public.expert_consents USING btree (expires_at) WHERE ((withdrawn_at IS NULL) AND (expires_at IS NOT NULL));

--
-- Name: expert_languages_search; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX expert_languages_search ON public.expert_languages USING btree (language_code, level_rank, expert_id);

--
-- Name: expert_search_cv_only; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX expert_search_cv_only ON public.expert_search USING gin (cv_only);

--
-- Name: expert_search_document; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX expert_search_document ON public.expert_search USING gin (document);

--
-- Name: expert_search_facets; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX expert_search_facets ON public.expert_search USING gin (facets);

--
-- Name: expert_search_names_themes; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX expert_search_names_themes ON public.expert_search USING gin (names_themes);

--
-- Name: expert_search_profile; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX expert_search_profile ON public.expert_search USING gin (profile);

--
-- Name: expert_search_profile_only; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX expert_search_profile_only ON public.expert_search USING gin (profile_only);

--
-- Name: expert_themes_search; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX expert_themes_search ON public.expert_themes USING btree (theme_code, expert_id);

--
-- Name: expert_unavailability_by_expert; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX expert_unavailability_by_expert ON public.expert_unavailability USING btree (expert_id, lower(period)) INCLUDE (period);

--
-- Name: experts_confirmation; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX experts_confirmation ON public.experts USING btree (confirmed_at) WHERE (erased_at IS NULL);

--
-- Name: experts_countries_of_experience; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX experts_countries_of_experience ON public.experts USING gin (countries_of_experience);

--
-- Name: experts_email_unique; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX experts_email_unique ON public.experts USING btree (lower(email)) WHERE (email IS NOT NULL);

--
-- Name: experts_kind; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX experts_kind ON public.experts USING btree (kind, id) WHERE (erased_at IS NULL);

--
-- Name: experts_language_skills; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX experts_language_skills ON public.experts USING gin (language_skills);

--
-- Name: experts_member_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX experts_member_state ON public.experts USING btree (member_state, id) WHERE (erased_at IS NULL);

--
-- Name: experts_nationality; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX experts_nationality ON public.experts USING btree (nationality, id) WHERE (erased_at IS NULL);

--
-- Name: experts_pool; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX experts_pool ON public.experts USING btree (created_at) INCLUDE (consent_recorded_at, status, erased_at, member_state, gender, kind, nationality);

--
-- Name: experts_theme_codes; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX experts_theme_codes ON public.experts USING gin (theme_codes);

--
-- Name: matching_runs_action; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX matching_runs_action ON public.matching_runs USING btree (action_id, requested_at);

--
-- Name: region_countries_country; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX region_countries_country ON public.region_countries USING btree (country_code);

--
-- Name: retention_actions_consent_expired; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX retention_actions_consent_expired ON public.retention_actions USING btree (consent_id) WHERE (kind = 'consent_expired'::text);

--
-- Name: retention_actions_expert; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX retention_actions_expert ON public.retention_actions USING btree (expert_id, id) WHERE (expert_id IS NOT NULL);

--
-- Name: retention_actions_run; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX retention_actions_run ON public.retention_actions USING btree (run_id, id);

--
-- Name: retention_runs_started; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX retention_runs_started ON public.retention_runs USING btree (started_at);

--
-- Name: roster_changes_changed_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX roster_changes_changed_at ON public.roster_changes USING btree (changed_at);

--
-- Name: roster_changes_xid; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX roster_changes_xid ON public.roster_changes USING btree (xid);

--
-- Name: themes_parent; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX themes_parent ON public.themes USING btree (parent_code);

--
-- Name: webhook_deliveries_listing; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_deliveries_listing ON public.webhook_deliveries USING btree (subscription_id, "position" DESC, seq DESC);

--
-- Name: webhook_deliveries_queue; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX webhook_deliveries_queue ON public.webhook_deliveries USING btree (subscription_id, "position", seq) WHERE (status = 'pending'::text);

--
-- Name: activities activity_ledger_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER activity_ledger_deleted AFTER DELETE ON public.activities REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.activity_ledger_deleted();

--
-- Name: TRIGGER activity_ledger_deleted ON activities; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER activity_ledger_deleted ON public.activities IS 'Reports: a deleted activity leaves activity_ledger.';

--
-- Name: activities activity_ledger_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER activity_ledger_inserted AFTER INSERT ON public.activities REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.activity_ledger_inserted();

--
-- Name: TRIGGER activity_ledger_inserted ON activities; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER activity_ledger_inserted ON public.activities IS 'Reports: the summary''s activities by type over whole months are read from activity_ledger; a new activity counts at its first day''s month.';

--
-- Name: activities activity_ledger_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER activity_ledger_updated AFTER UPDATE ON public.activities REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.activity_ledger_updated();

--
-- Name: TRIGGER activity_ledger_updated ON activities; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER activity_ledger_updated ON public.activities IS 'Reports: an activity whose first day or type changed moves in activity_ledger.';

--
-- Name: api_keys api_keys_changed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER api_keys_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON public.api_keys FOR EACH STATEMENT EXECUTE FUNCTION public.api_keys_announce_change();

--
-- Name: TRIGGER api_keys_changed ON api_keys; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER api_keys_changed ON public.api_keys IS 'Keeps every instance''s key cache honest: any insert, update, delete or truncate of api_keys, whoever makes it, empties the caches on commit.';

--
-- Name: change_events change_events_positioned; Type: TRIGGER; Schema: public; Owner: -
--

CREATE CONSTRAINT TRIGGER change_events_positioned AFTER INSERT ON public.change_events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.change_commit_position();

--
-- Name: TRIGGER change_events_positioned ON change_events; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER change_events_positioned ON public.change_events IS 'Gives each transaction that wrote change events its commit position at commit time (decision 0023).';

--
-- Name: actions changes_actions_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_actions_inserted AFTER INSERT ON public.actions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_actions_inserted();

--
-- Name: TRIGGER changes_actions_inserted ON actions; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_actions_inserted ON public.actions IS 'Change feed: action.created.';

--
-- Name: actions changes_actions_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_actions_updated AFTER UPDATE ON public.actions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_actions_updated();

--
-- Name: TRIGGER changes_actions_updated ON actions; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_actions_updated ON public.actions IS 'Change feed: action.status_changed, action.updated.';

--
-- Name: activities changes_activities_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_activities_inserted AFTER INSERT ON public.activities REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_activities_inserted();

--
-- Name: TRIGGER changes_activities_inserted ON activities; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_activities_inserted ON public.activities IS 'Change feed: activity.added.';

--
-- Name: cv_documents changes_cv_documents_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_cv_documents_inserted AFTER INSERT ON public.cv_documents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_cv_documents_inserted();

--
-- Name: TRIGGER changes_cv_documents_inserted ON cv_documents; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_cv_documents_inserted ON public.cv_documents IS 'Change feed: cv_version.added.';

--
-- Name: deployments changes_deployments_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_deployments_inserted AFTER INSERT ON public.deployments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_deployments_inserted();

--
-- Name: TRIGGER changes_deployments_inserted ON deployments; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_deployments_inserted ON public.deployments IS 'Change feed: deployment.created.';

--
-- Name: deployments changes_deployments_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_deployments_updated AFTER UPDATE ON public.deployments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_deployments_updated();

--
-- Name: TRIGGER changes_deployments_updated ON deployments; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_deployments_updated ON public.deployments IS 'Change feed: deployment.cancelled.';

--
-- Name: evaluations changes_evaluations_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_evaluations_inserted AFTER INSERT ON public.evaluations REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_evaluations_inserted();

--
-- Name: TRIGGER changes_evaluations_inserted ON evaluations; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_evaluations_inserted ON public.evaluations IS 'Change feed: deployment.evaluated.';

--
-- Name: evaluations changes_evaluations_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_evaluations_updated AFTER UPDATE ON public.evaluations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_evaluations_saved();

--
-- Name: TRIGGER changes_evaluations_updated ON evaluations; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_evaluations_updated ON public.evaluations IS 'Change feed: deployment.evaluated on a re-evaluation.';

--
-- Name: expert_consents changes_expert_consents_granted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_expert_consents_granted AFTER INSERT ON public.expert_consents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_expert_consents_granted();

--
-- Name: TRIGGER changes_expert_consents_granted ON expert_consents; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_expert_consents_granted ON public.expert_consents IS 'Change feed: consent.changed for a grant.';

--
-- Name: expert_consents changes_expert_consents_withdrawn; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_expert_consents_withdrawn AFTER UPDATE ON public.expert_consents REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_expert_consents_withdrawn();

--
-- Name: TRIGGER changes_expert_consents_withdrawn ON expert_consents; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_expert_consents_withdrawn ON public.expert_consents IS 'Change feed: consent.changed for a withdrawal.';

--
-- Name: experts changes_experts_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_experts_deleted AFTER DELETE ON public.experts REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_experts_deleted();

--
-- Name: TRIGGER changes_experts_deleted ON experts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_experts_deleted ON public.experts IS 'Change feed: expert.erased for a row deleted outright.';

--
-- Name: experts changes_experts_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_experts_inserted AFTER INSERT ON public.experts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_experts_inserted();

--
-- Name: TRIGGER changes_experts_inserted ON experts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_experts_inserted ON public.experts IS 'Change feed: expert.created.';

--
-- Name: experts changes_experts_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_experts_updated AFTER UPDATE ON public.experts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_experts_updated();

--
-- Name: TRIGGER changes_experts_updated ON experts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_experts_updated ON public.experts IS 'Change feed: expert.updated, expert.erased.';

--
-- Name: matching_runs changes_matching_runs_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER changes_matching_runs_inserted AFTER INSERT ON public.matching_runs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.changes_matching_runs_inserted();

--
-- Name: TRIGGER changes_matching_runs_inserted ON matching_runs; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER changes_matching_runs_inserted ON public.matching_runs IS 'Change feed: matching_run.stored.';

--
-- Name: deployments deployment_ledger_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER deployment_ledger_deleted AFTER DELETE ON public.deployments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.deployment_ledger_deleted();

--
-- Name: TRIGGER deployment_ledger_deleted ON deployments; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER deployment_ledger_deleted ON public.deployments IS 'Reports: the deployment ledger forgets a deleted deployment and relinks its neighbours.';

--
-- Name: deployments deployment_ledger_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER deployment_ledger_inserted AFTER INSERT ON public.deployments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.deployment_ledger_inserted();

--
-- Name: TRIGGER deployment_ledger_inserted ON deployments; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER deployment_ledger_inserted ON public.deployments IS 'Reports: the deployment ledger counts a booking and relinks the expert''s other deployments.';

--
-- Name: deployments deployment_ledger_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER deployment_ledger_updated AFTER UPDATE ON public.deployments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.deployment_ledger_updated();

--
-- Name: TRIGGER deployment_ledger_updated ON deployments; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER deployment_ledger_updated ON public.deployments IS 'Reports: the deployment ledger follows a cancellation or a change of days, expert or snapshot; other updates write nothing.';

--
-- Name: deployment_ledger deployment_month_ledger_moved; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER deployment_month_ledger_moved AFTER INSERT OR DELETE OR UPDATE ON public.deployment_ledger FOR EACH ROW EXECUTE FUNCTION public.deployment_month_ledger_moved();

--
-- Name: TRIGGER deployment_month_ledger_moved ON deployment_ledger; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER deployment_month_ledger_moved ON public.deployment_ledger IS 'Reports: the summary''s number of deployments over whole months is the sum of deployment_ledger''s rows of those months, read from deployment_month_ledger.';

--
-- Name: deployments deployments_snapshot_expert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER deployments_snapshot_expert BEFORE INSERT ON public.deployments FOR EACH ROW EXECUTE FUNCTION public.deployments_snapshot_expert();

--
-- Name: TRIGGER deployments_snapshot_expert ON deployments; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER deployments_snapshot_expert ON public.deployments IS 'Reports: "who was deployed" is read from the deployment alone, as it was at booking. Insert only: a later change of the expert does not rewrite history, and the service never moves a deployment to another expert.';

--
-- Name: experts experts_refresh_search; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER experts_refresh_search AFTER INSERT OR UPDATE OF given_name, family_name, "position", employer, bio, cv_text, theme_codes ON public.experts FOR EACH ROW EXECUTE FUNCTION public.experts_refresh_search();

--
-- Name: TRIGGER experts_refresh_search ON experts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER experts_refresh_search ON public.experts IS 'Search: q finds and ranks an expert by the words of its names, themes, profile and CV as they are now. Row-level with UPDATE OF: it fires only when one of those columns is set.';

--
-- Name: experts experts_refresh_search_facets; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER experts_refresh_search_facets AFTER UPDATE OF kind, nationality, member_state, status, language_skills, countries_of_experience ON public.experts FOR EACH ROW WHEN (((((((old.kind IS DISTINCT FROM new.kind) OR (old.nationality IS DISTINCT FROM new.nationality)) OR (old.member_state IS DISTINCT FROM new.member_state)) OR (old.status IS DISTINCT FROM new.status)) OR (old.language_skills IS DISTINCT FROM new.language_skills)) OR (old.countries_of_experience IS DISTINCT FROM new.countries_of_experience))) EXECUTE FUNCTION public.experts_refresh_search_facets();

--
-- Name: TRIGGER experts_refresh_search_facets ON experts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER experts_refresh_search_facets ON public.experts IS 'Search: a filtered search with q finds the expert''s kind, nationality, member state, status, languages and countries of experience as they are now. Row-level, only when one of them changed.';

--
-- Name: experts pool_ledger_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER pool_ledger_deleted AFTER DELETE ON public.experts REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.pool_ledger_deleted();

--
-- Name: TRIGGER pool_ledger_deleted ON experts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER pool_ledger_deleted ON public.experts IS 'Reports: the pool ledger forgets a deleted expert (erasure is an update and keeps the past).';

--
-- Name: experts pool_ledger_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER pool_ledger_inserted AFTER INSERT ON public.experts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.pool_ledger_inserted();

--
-- Name: TRIGGER pool_ledger_inserted ON experts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER pool_ledger_inserted ON public.experts IS 'Reports: the pool ledger counts a new expert.';

--
-- Name: experts pool_ledger_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER pool_ledger_updated AFTER UPDATE ON public.experts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.pool_ledger_updated();

--
-- Name: TRIGGER pool_ledger_updated ON experts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER pool_ledger_updated ON public.experts IS 'Reports: the pool ledger follows a change of creation, consent, status, erasure or member state.';

--
-- Name: pool_ledger pool_month_ledger_moved; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER pool_month_ledger_moved AFTER INSERT OR DELETE OR UPDATE ON public.pool_ledger FOR EACH ROW EXECUTE FUNCTION public.pool_month_ledger_moved();

--
-- Name: TRIGGER pool_month_ledger_moved ON pool_ledger; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER pool_month_ledger_moved ON public.pool_ledger IS 'Reports: the pool at a date is pool_month_ledger''s months before its month and pool_ledger''s days of its month up to it.';

--
-- Name: actions roster_actions_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_actions_updated AFTER UPDATE ON public.actions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.roster_actions_changed_by_update();

--
-- Name: TRIGGER roster_actions_updated ON actions; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_actions_updated ON public.actions IS 'Matching: experts deployed on an action whose beneficiary countries or themes changed are read again; a status move is ignored.';

--
-- Name: activities roster_activities_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_activities_updated AFTER UPDATE ON public.activities REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.roster_activities_changed_by_update();

--
-- Name: TRIGGER roster_activities_updated ON activities; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_activities_updated ON public.activities IS 'Matching: experts deployed on an activity whose country or action changed are read again (region experience, conflict of interest).';

--
-- Name: expert_consents roster_consents_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_consents_deleted AFTER DELETE ON public.expert_consents REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_expert_rows();

--
-- Name: TRIGGER roster_consents_deleted ON expert_consents; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_consents_deleted ON public.expert_consents IS 'Matching: a deleted grant (the expert''s own deletion) reloads the expert.';

--
-- Name: expert_consents roster_consents_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_consents_inserted AFTER INSERT ON public.expert_consents REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_expert_rows();

--
-- Name: TRIGGER roster_consents_inserted ON expert_consents; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_consents_inserted ON public.expert_consents IS 'Matching: a new grant (any purpose) reloads the expert, whose roster membership or evaluation use may have changed.';

--
-- Name: expert_consents roster_consents_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_consents_updated AFTER UPDATE ON public.expert_consents REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_expert_rows();

--
-- Name: TRIGGER roster_consents_updated ON expert_consents; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_consents_updated ON public.expert_consents IS 'Matching: a withdrawal reloads the expert at once.';

--
-- Name: deployments roster_deployments_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_deployments_deleted AFTER DELETE ON public.deployments REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_expert_rows();

--
-- Name: TRIGGER roster_deployments_deleted ON deployments; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_deployments_deleted ON public.deployments IS 'Matching: the expert of a deleted deployment is read again.';

--
-- Name: deployments roster_deployments_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_deployments_inserted AFTER INSERT ON public.deployments REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_expert_rows();

--
-- Name: TRIGGER roster_deployments_inserted ON deployments; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_deployments_inserted ON public.deployments IS 'Matching: a booked expert is read again (hard rule: already deployed; track record, rotation).';

--
-- Name: deployments roster_deployments_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_deployments_updated AFTER UPDATE ON public.deployments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.roster_deployments_changed_by_update();

--
-- Name: TRIGGER roster_deployments_updated ON deployments; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_deployments_updated ON public.deployments IS 'Matching: the expert of a deployment cancelled, moved or re-assigned is read again; clearing free text is ignored.';

--
-- Name: evaluations roster_evaluations_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_evaluations_deleted AFTER DELETE ON public.evaluations REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_evaluations();

--
-- Name: TRIGGER roster_evaluations_deleted ON evaluations; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_evaluations_deleted ON public.evaluations IS 'Matching: the expert of a deleted evaluation is read again (a deployment deleted with it is logged by roster_deployments_deleted).';

--
-- Name: evaluations roster_evaluations_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_evaluations_inserted AFTER INSERT ON public.evaluations REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_evaluations();

--
-- Name: TRIGGER roster_evaluations_inserted ON evaluations; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_evaluations_inserted ON public.evaluations IS 'Matching: the evaluated expert is read again (track record, do_not_redeploy).';

--
-- Name: evaluations roster_evaluations_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_evaluations_updated AFTER UPDATE ON public.evaluations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.roster_evaluations_changed_by_update();

--
-- Name: TRIGGER roster_evaluations_updated ON evaluations; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_evaluations_updated ON public.evaluations IS 'Matching: the expert of a re-rated deployment is read again; clearing the comment is ignored.';

--
-- Name: experts roster_experts_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_experts_deleted AFTER DELETE ON public.experts REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_experts();

--
-- Name: TRIGGER roster_experts_deleted ON experts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_experts_deleted ON public.experts IS 'Matching: a deleted expert leaves the roster.';

--
-- Name: experts roster_experts_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_experts_inserted AFTER INSERT ON public.experts REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_experts();

--
-- Name: TRIGGER roster_experts_inserted ON experts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_experts_inserted ON public.experts IS 'Matching: a new expert is read into the roster.';

--
-- Name: experts roster_experts_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_experts_updated AFTER UPDATE ON public.experts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.roster_experts_changed_by_update();

--
-- Name: TRIGGER roster_experts_updated ON experts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_experts_updated ON public.experts IS 'Matching: an expert whose facts for matching changed is read again; other columns (names, contact, CV text) are ignored.';

--
-- Name: expert_languages roster_languages_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_languages_deleted AFTER DELETE ON public.expert_languages REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_expert_rows();

--
-- Name: TRIGGER roster_languages_deleted ON expert_languages; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_languages_deleted ON public.expert_languages IS 'Matching: the expert of a removed language is read again.';

--
-- Name: expert_languages roster_languages_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_languages_inserted AFTER INSERT ON public.expert_languages REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_expert_rows();

--
-- Name: TRIGGER roster_languages_inserted ON expert_languages; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_languages_inserted ON public.expert_languages IS 'Matching: the expert of a new language is read again.';

--
-- Name: expert_languages roster_languages_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_languages_updated AFTER UPDATE ON public.expert_languages REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.roster_languages_changed_by_update();

--
-- Name: TRIGGER roster_languages_updated ON expert_languages; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_languages_updated ON public.expert_languages IS 'Matching: the expert of a language whose level changed is read again.';

--
-- Name: expert_themes roster_themes_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_themes_deleted AFTER DELETE ON public.expert_themes REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_expert_rows();

--
-- Name: TRIGGER roster_themes_deleted ON expert_themes; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_themes_deleted ON public.expert_themes IS 'Matching: the expert of a removed theme is read again.';

--
-- Name: expert_themes roster_themes_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_themes_inserted AFTER INSERT ON public.expert_themes REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_expert_rows();

--
-- Name: TRIGGER roster_themes_inserted ON expert_themes; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_themes_inserted ON public.expert_themes IS 'Matching: the expert of a new theme is read again.';

--
-- Name: expert_themes roster_themes_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_themes_updated AFTER UPDATE ON public.expert_themes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.roster_themes_changed_by_update();

--
-- Name: TRIGGER roster_themes_updated ON expert_themes; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_themes_updated ON public.expert_themes IS 'Matching: the expert of a theme whose level changed is read again.';

--
-- Name: expert_unavailability roster_unavailability_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_unavailability_deleted AFTER DELETE ON public.expert_unavailability REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_expert_rows();

--
-- Name: TRIGGER roster_unavailability_deleted ON expert_unavailability; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_unavailability_deleted ON public.expert_unavailability IS 'Matching: the expert of a removed unavailability is read again.';

--
-- Name: expert_unavailability roster_unavailability_inserted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_unavailability_inserted AFTER INSERT ON public.expert_unavailability REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.roster_changed_expert_rows();

--
-- Name: TRIGGER roster_unavailability_inserted ON expert_unavailability; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_unavailability_inserted ON public.expert_unavailability IS 'Matching: the expert of a new unavailability is read again (hard rule: unavailable).';

--
-- Name: expert_unavailability roster_unavailability_updated; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER roster_unavailability_updated AFTER UPDATE ON public.expert_unavailability REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.roster_unavailability_changed_by_update();

--
-- Name: TRIGGER roster_unavailability_updated ON expert_unavailability; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TRIGGER roster_unavailability_updated ON public.expert_unavailability IS 'Matching: the expert of an unavailability whose period changed is read again.';

--
-- Name: action_plans action_plans_accepted_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_plans
    ADD CONSTRAINT action_plans_accepted_by_fkey FOREIGN KEY (accepted_by) REFERENCES public.api_keys(id);

--
-- Name: action_plans action_plans_action_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_plans
    ADD CONSTRAINT action_plans_action_id_fkey FOREIGN KEY (action_id) REFERENCES public.actions(id) ON DELETE CASCADE;

--
-- Name: action_plans action_plans_requested_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_plans
    ADD CONSTRAINT action_plans_requested_by_fkey FOREIGN KEY (requested_by) REFERENCES public.api_keys(id);

--
-- Name: action_status_changes action_status_changes_action_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_status_changes
    ADD CONSTRAINT action_status_changes_action_id_fkey FOREIGN KEY (action_id) REFERENCES public.actions(id) ON DELETE CASCADE;

--
-- Name: action_status_changes action_status_changes_changed_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_status_changes
    ADD CONSTRAINT action_status_changes_changed_by_fkey FOREIGN KEY (changed_by) REFERENCES public.api_keys(id);

--
-- Name: actions actions_region_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.actions
    ADD CONSTRAINT actions_region_fkey FOREIGN KEY (region) REFERENCES public.regions(code);

--
-- Name: activities activities_action_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.activities
    ADD CONSTRAINT activities_action_id_fkey FOREIGN KEY (action_id) REFERENCES public.actions(id) ON DELETE CASCADE;

--
-- Name: activities activities_country_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.activities
    ADD CONSTRAINT activities_country_fkey FOREIGN KEY (country) REFERENCES public.countries(code);

--
-- Name: api_keys api_keys_member_state_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_member_state_fkey FOREIGN KEY (member_state) REFERENCES public.countries(code);

--
-- Name: cv_documents cv_documents_expert_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cv_documents
    ADD CONSTRAINT cv_documents_expert_id_fkey FOREIGN KEY (expert_id) REFERENCES public.experts(id) ON DELETE CASCADE;

--
-- Name: cv_documents cv_documents_uploaded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.cv_documents
    ADD CONSTRAINT cv_documents_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.api_keys(id);

--
-- Name: deployments deployments_activity_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deployments
    ADD CONSTRAINT deployments_activity_id_fkey FOREIGN KEY (activity_id) REFERENCES public.activities(id) ON DELETE RESTRICT;

--
-- Name: deployments deployments_cancelled_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deployments
    ADD CONSTRAINT deployments_cancelled_by_fkey FOREIGN KEY (cancelled_by) REFERENCES public.api_keys(id);

--
-- Name: deployments deployments_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deployments
    ADD CONSTRAINT deployments_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.api_keys(id);

--
-- Name: deployments deployments_expert_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deployments
    ADD CONSTRAINT deployments_expert_id_fkey FOREIGN KEY (expert_id) REFERENCES public.experts(id) ON DELETE RESTRICT;

--
-- Name: eu_memberships eu_memberships_country_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.eu_memberships
    ADD CONSTRAINT eu_memberships_country_code_fkey FOREIGN KEY (country_code) REFERENCES public.countries(code);

--
-- Name: evaluations evaluations_deployment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evaluations
    ADD CONSTRAINT evaluations_deployment_id_fkey FOREIGN KEY (deployment_id) REFERENCES public.deployments(id) ON DELETE CASCADE;

--
-- Name: evaluations evaluations_evaluated_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evaluations
    ADD CONSTRAINT evaluations_evaluated_by_fkey FOREIGN KEY (evaluated_by) REFERENCES public.api_keys(id);

--
-- Name: expert_confirmations expert_confirmations_expert_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_confirmations
    ADD CONSTRAINT expert_confirmations_expert_id_fkey FOREIGN KEY (expert_id) REFERENCES public.experts(id) ON DELETE CASCADE;

--
-- Name: expert_consents expert_consents_expert_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_consents
    ADD CONSTRAINT expert_consents_expert_id_fkey FOREIGN KEY (expert_id) REFERENCES public.experts(id) ON DELETE CASCADE;

--
-- Name: expert_languages expert_languages_expert_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_languages
    ADD CONSTRAINT expert_languages_expert_id_fkey FOREIGN KEY (expert_id) REFERENCES public.experts(id) ON DELETE CASCADE;

--
-- Name: expert_languages expert_languages_language_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_languages
    ADD CONSTRAINT expert_languages_language_code_fkey FOREIGN KEY (language_code) REFERENCES public.languages(code);

--
-- Name: expert_languages expert_languages_level_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_languages
    ADD CONSTRAINT expert_languages_level_fkey FOREIGN KEY (level) REFERENCES public.language_levels(level);

--
-- Name: expert_search expert_search_expert_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_search
    ADD CONSTRAINT expert_search_expert_id_fkey FOREIGN KEY (expert_id) REFERENCES public.experts(id) ON DELETE CASCADE;

--
-- Name: expert_snippet_words expert_snippet_words_expert_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_snippet_words
    ADD CONSTRAINT expert_snippet_words_expert_id_fkey FOREIGN KEY (expert_id) REFERENCES public.experts(id) ON DELETE CASCADE;

--
-- Name: expert_themes expert_themes_expert_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_themes
    ADD CONSTRAINT expert_themes_expert_id_fkey FOREIGN KEY (expert_id) REFERENCES public.experts(id) ON DELETE CASCADE;

--
-- Name: expert_themes expert_themes_theme_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_themes
    ADD CONSTRAINT expert_themes_theme_code_fkey FOREIGN KEY (theme_code) REFERENCES public.themes(code);

--
-- Name: expert_unavailability expert_unavailability_expert_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.expert_unavailability
    ADD CONSTRAINT expert_unavailability_expert_id_fkey FOREIGN KEY (expert_id) REFERENCES public.experts(id) ON DELETE CASCADE;

--
-- Name: experts experts_member_state_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experts
    ADD CONSTRAINT experts_member_state_fkey FOREIGN KEY (member_state) REFERENCES public.countries(code);

--
-- Name: experts experts_nationality_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.experts
    ADD CONSTRAINT experts_nationality_fkey FOREIGN KEY (nationality) REFERENCES public.countries(code);

--
-- Name: matching_runs matching_runs_action_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matching_runs
    ADD CONSTRAINT matching_runs_action_id_fkey FOREIGN KEY (action_id) REFERENCES public.actions(id) ON DELETE CASCADE;

--
-- Name: matching_runs matching_runs_requested_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matching_runs
    ADD CONSTRAINT matching_runs_requested_by_fkey FOREIGN KEY (requested_by) REFERENCES public.api_keys(id);

--
-- Name: region_countries region_countries_country_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.region_countries
    ADD CONSTRAINT region_countries_country_code_fkey FOREIGN KEY (country_code) REFERENCES public.countries(code);

--
-- Name: region_countries region_countries_region_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.region_countries
    ADD CONSTRAINT region_countries_region_code_fkey FOREIGN KEY (region_code) REFERENCES public.regions(code);

--
-- Name: retention_actions retention_actions_expert_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.retention_actions
    ADD CONSTRAINT retention_actions_expert_id_fkey FOREIGN KEY (expert_id) REFERENCES public.experts(id) ON DELETE CASCADE;

--
-- Name: retention_actions retention_actions_run_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.retention_actions
    ADD CONSTRAINT retention_actions_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.retention_runs(id);

--
-- Name: themes themes_parent_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.themes
    ADD CONSTRAINT themes_parent_code_fkey FOREIGN KEY (parent_code) REFERENCES public.themes(code);

--
-- Name: webhook_deliveries webhook_deliveries_subscription_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.webhook_subscriptions(id) ON DELETE CASCADE;

--
-- PostgreSQL database dump complete
--
