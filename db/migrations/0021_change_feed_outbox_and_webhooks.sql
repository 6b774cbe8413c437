-- The change feed and webhooks (issue #18, decision 0023).
--
-- Every write that other systems care about leaves events in change_events, written by triggers in the
-- writing transaction itself: no write path can forget one, a rolled-back write leaves none, and none is
-- lost once the write commits. Each transaction that wrote events gets one row in change_commits, with the
-- commit position assigned just before it commits, under one advisory lock that is released only once
-- the commit is visible. Positions therefore become visible in increasing order: a reader that sees
-- position N+1 also sees every position below it that will ever commit. The feed is ordered by
-- (position, event seq), and a cursor is the last (position, seq) read: it can never skip a late commit,
-- which a cursor over transaction ids (or over a plain sequence) could.

CREATE TABLE change_commits (
    position     bigint      PRIMARY KEY,
    xid          xid8        NOT NULL,
    committed_at timestamptz NOT NULL
);
CREATE SEQUENCE change_commit_positions;

CREATE TABLE change_events (
    seq           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Random, so unique without an index to keep: the feed and the deliveries name the event by it.
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    xid           xid8        NOT NULL DEFAULT pg_current_xact_id(),
    type          text        NOT NULL,
    resource_type text        NOT NULL,
    resource_id   uuid        NOT NULL,
    expert_id     uuid,
    member_state  char(2),
    key_id        uuid,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    data          jsonb       NOT NULL
);
CREATE INDEX change_events_xid ON change_events (xid, seq);

-- The last (position, seq) trimmed away: a cursor before it points into trimmed history, and the feed answers
-- 410 rather than skip; a cursor at or after it (a follower that had read everything trimmed) reads on.
CREATE TABLE change_feed_horizon (
    only_row      boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    trimmed_through bigint NOT NULL DEFAULT 0,
    trimmed_seq   bigint NOT NULL DEFAULT 0
);
INSERT INTO change_feed_horizon DEFAULT VALUES;

COMMENT ON TABLE change_commits IS
    'One row per committed transaction that wrote change events: its commit position, assigned just before commit under an advisory lock held until the commit is visible, so positions become visible in order (decision 0023).';
COMMENT ON TABLE change_events IS
    'The outbox behind GET /api/v1/changes and the webhooks: one row per change, written by triggers in the changing transaction. Ids, changed column names and the expert''s member state, never personal values. Trimmed after Changes:RetentionDays.';
COMMENT ON TABLE change_feed_horizon IS
    'The last feed place (commit position, event seq) trimmed away: a cursor before it is answered 410 Gone.';

CREATE FUNCTION ear_emit_change(
    event_type text, resource_type text, resource_id uuid, expert_id uuid, member_state char(2), data jsonb)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- PL/pgSQL rather than SQL: its statement's plan is kept for the session, where a SQL function called from a
    -- trigger is parsed and planned again at every call (PostgreSQL 15).
    INSERT INTO change_events (type, resource_type, resource_id, expert_id, member_state, key_id, data)
    VALUES (event_type, resource_type, resource_id, expert_id, member_state,
            nullif(current_setting('ear.key_id', true), '')::uuid, data);
END $$;
COMMENT ON FUNCTION ear_emit_change(text, text, uuid, uuid, char, jsonb) IS
    'Writes one change event in the current transaction, with the key of ear.key_id (set by the service where its transaction starts). Every change trigger calls it; a new table that should announce changes needs only triggers calling it. The event''s transaction gets its commit position at commit (change_events_positioned).';

CREATE FUNCTION change_commit_position() RETURNS trigger LANGUAGE plpgsql AS $$
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
COMMENT ON FUNCTION change_commit_position() IS
    'Runs just before commit (a deferred constraint trigger on change_events), once per transaction: takes the change-feed advisory lock, records the transaction''s commit position in change_commits and notifies ear_changes (delivered at commit). The lock is released after the commit is visible, so positions become visible in increasing order.';

CREATE CONSTRAINT TRIGGER change_events_positioned AFTER INSERT ON change_events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION change_commit_position();
COMMENT ON TRIGGER change_events_positioned ON change_events IS
    'Gives each transaction that wrote change events its commit position at commit time (decision 0023).';

-- Experts ------------------------------------------------------------------------------------------
-- Bookkeeping columns that change with every write (or, for cv_text, with a CV upload, announced as
-- cv_version.added) are not "changed fields".
CREATE FUNCTION changed_columns(old_row jsonb, new_row jsonb, ignored text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(n.key ORDER BY n.key), '{}')
    FROM jsonb_each(new_row) n
    WHERE n.key <> ALL (ignored) AND n.value IS DISTINCT FROM old_row -> n.key
$$;
COMMENT ON FUNCTION changed_columns(jsonb, jsonb, text[]) IS
    'The names (never the values) of the columns that differ between two rows as jsonb, leaving out the ignored ones; the change triggers report them as changedFields.';

CREATE FUNCTION changes_experts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ear_emit_change('expert.created', 'expert', id, id, member_state,
                            jsonb_build_object('expertId', id, 'consentGiven', consent_recorded_at IS NOT NULL))
    FROM new_rows ORDER BY id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION changes_experts_inserted() IS
    'Announces expert.created for every inserted expert (ids and whether consent is recorded, no personal data).';

CREATE FUNCTION changes_experts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
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
COMMENT ON FUNCTION changes_experts_updated() IS
    'Announces expert.erased when an expert is erased, else expert.updated (changed column names; on every new version). The consent columns are left out: the roster_membership grant they mirror is announced by expert_consents (consent.changed). A CV upload setting cv_text alone announces nothing here (cv_version.added does).';

CREATE FUNCTION changes_experts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ear_emit_change('expert.erased', 'expert', id, id, member_state, jsonb_build_object('expertId', id))
    FROM old_rows WHERE erased_at IS NULL ORDER BY id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION changes_experts_deleted() IS
    'Announces expert.erased for a deleted expert that was not erased before (an erased one was announced then).';

CREATE TRIGGER changes_experts_inserted AFTER INSERT ON experts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_experts_inserted();
CREATE TRIGGER changes_experts_updated AFTER UPDATE ON experts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_experts_updated();
CREATE TRIGGER changes_experts_deleted AFTER DELETE ON experts REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_experts_deleted();
COMMENT ON TRIGGER changes_experts_inserted ON experts IS 'Change feed: expert.created.';
COMMENT ON TRIGGER changes_experts_updated ON experts IS 'Change feed: expert.updated, expert.erased.';
COMMENT ON TRIGGER changes_experts_deleted ON experts IS 'Change feed: expert.erased for a row deleted outright.';

-- Consent by purpose (0020): a grant and a withdrawal are rows of expert_consents; an expiry writes no row, so
-- ConsentWrites announces it itself when the retention job records it.
CREATE FUNCTION changes_expert_consents_granted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ear_emit_change('consent.changed', 'expert', n.expert_id, n.expert_id, x.member_state,
                            jsonb_build_object('expertId', n.expert_id, 'purpose', n.purpose, 'consentState', 'granted'))
    FROM new_rows n JOIN experts x ON x.id = n.expert_id ORDER BY n.expert_id, n.id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION changes_expert_consents_granted() IS 'Announces consent.changed (the expert, the purpose, granted) for every recorded grant.';

CREATE FUNCTION changes_expert_consents_withdrawn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ear_emit_change('consent.changed', 'expert', n.expert_id, n.expert_id, x.member_state,
                            jsonb_build_object('expertId', n.expert_id, 'purpose', n.purpose, 'consentState', 'withdrawn'))
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN experts x ON x.id = n.expert_id
    WHERE o.withdrawn_at IS NULL AND n.withdrawn_at IS NOT NULL
    ORDER BY n.expert_id, n.id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION changes_expert_consents_withdrawn() IS
    'Announces consent.changed (the expert, the purpose, withdrawn) for every grant withdrawn; other updates (an erasure clearing notes) announce nothing.';

CREATE TRIGGER changes_expert_consents_granted AFTER INSERT ON expert_consents REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_expert_consents_granted();
CREATE TRIGGER changes_expert_consents_withdrawn AFTER UPDATE ON expert_consents REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_expert_consents_withdrawn();
COMMENT ON TRIGGER changes_expert_consents_granted ON expert_consents IS 'Change feed: consent.changed for a grant.';
COMMENT ON TRIGGER changes_expert_consents_withdrawn ON expert_consents IS 'Change feed: consent.changed for a withdrawal.';

CREATE FUNCTION changes_cv_documents_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ear_emit_change('cv_version.added', 'expert', n.expert_id, n.expert_id, x.member_state,
                            jsonb_build_object('expertId', n.expert_id, 'version', n.version))
    FROM new_rows n JOIN experts x ON x.id = n.expert_id ORDER BY n.expert_id, n.version;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION changes_cv_documents_inserted() IS 'Announces cv_version.added (the expert and the version number) for every stored CV version.';
CREATE TRIGGER changes_cv_documents_inserted AFTER INSERT ON cv_documents REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_cv_documents_inserted();
COMMENT ON TRIGGER changes_cv_documents_inserted ON cv_documents IS 'Change feed: cv_version.added.';

-- Actions and activities (not personal data: no expert, no member state) ---------------------------
CREATE FUNCTION changes_actions_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ear_emit_change('action.created', 'action', id, NULL, NULL,
                            jsonb_build_object('actionId', id, 'code', code, 'status', status))
    FROM new_rows ORDER BY id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION changes_actions_inserted() IS 'Announces action.created with the action''s code and status.';

CREATE FUNCTION changes_actions_updated() RETURNS trigger LANGUAGE plpgsql AS $$
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
COMMENT ON FUNCTION changes_actions_updated() IS
    'Announces action.status_changed (from, to) when the status moved and action.updated (changed column names) when anything else changed or a new version was written.';

CREATE TRIGGER changes_actions_inserted AFTER INSERT ON actions REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_actions_inserted();
CREATE TRIGGER changes_actions_updated AFTER UPDATE ON actions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_actions_updated();
COMMENT ON TRIGGER changes_actions_inserted ON actions IS 'Change feed: action.created.';
COMMENT ON TRIGGER changes_actions_updated ON actions IS 'Change feed: action.status_changed, action.updated.';

CREATE FUNCTION changes_activities_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ear_emit_change('activity.added', 'activity', id, NULL, NULL,
                            jsonb_build_object('activityId', id, 'actionId', action_id, 'activityType', type))
    FROM new_rows ORDER BY id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION changes_activities_inserted() IS 'Announces activity.added with its action and type.';
CREATE TRIGGER changes_activities_inserted AFTER INSERT ON activities REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_activities_inserted();
COMMENT ON TRIGGER changes_activities_inserted ON activities IS 'Change feed: activity.added.';

CREATE FUNCTION changes_matching_runs_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ear_emit_change('matching_run.stored', 'matching_run', id, NULL, NULL,
                            jsonb_build_object('runId', id, 'actionId', action_id))
    FROM new_rows ORDER BY id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION changes_matching_runs_inserted() IS 'Announces matching_run.stored with the run and its action.';
CREATE TRIGGER changes_matching_runs_inserted AFTER INSERT ON matching_runs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_matching_runs_inserted();
COMMENT ON TRIGGER changes_matching_runs_inserted ON matching_runs IS 'Change feed: matching_run.stored.';

-- Deployments and evaluations (about one expert: they carry the expert and its member state) --------
CREATE FUNCTION changes_deployments_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ear_emit_change('deployment.created', 'deployment', id, expert_id, expert_member_state,
                            jsonb_build_object('deploymentId', id, 'expertId', expert_id, 'activityId', activity_id))
    FROM new_rows ORDER BY id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION changes_deployments_inserted() IS 'Announces deployment.created with the expert and the activity.';

CREATE FUNCTION changes_deployments_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ear_emit_change('deployment.cancelled', 'deployment', n.id, n.expert_id, n.expert_member_state,
                            jsonb_build_object('deploymentId', n.id, 'expertId', n.expert_id, 'activityId', n.activity_id))
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE o.cancelled_at IS NULL AND n.cancelled_at IS NOT NULL
    ORDER BY n.id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION changes_deployments_updated() IS
    'Announces deployment.cancelled when a deployment''s cancelled_at is set. Erasure clearing cancel_reason announces nothing.';

CREATE TRIGGER changes_deployments_inserted AFTER INSERT ON deployments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_deployments_inserted();
CREATE TRIGGER changes_deployments_updated AFTER UPDATE ON deployments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_deployments_updated();
COMMENT ON TRIGGER changes_deployments_inserted ON deployments IS 'Change feed: deployment.created.';
COMMENT ON TRIGGER changes_deployments_updated ON deployments IS 'Change feed: deployment.cancelled.';

CREATE FUNCTION changes_evaluations_saved() RETURNS trigger LANGUAGE plpgsql AS $$
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
COMMENT ON FUNCTION changes_evaluations_saved() IS
    'Announces deployment.evaluated when an evaluation is stored or its rating, recommendation or time changed.';

CREATE FUNCTION changes_evaluations_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ear_emit_change('deployment.evaluated', 'deployment', d.id, d.expert_id, d.expert_member_state,
                            jsonb_build_object('deploymentId', d.id, 'expertId', d.expert_id))
    FROM new_rows n JOIN deployments d ON d.id = n.deployment_id
    ORDER BY d.id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION changes_evaluations_inserted() IS 'Announces deployment.evaluated for every stored evaluation.';

CREATE TRIGGER changes_evaluations_inserted AFTER INSERT ON evaluations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_evaluations_inserted();
CREATE TRIGGER changes_evaluations_updated AFTER UPDATE ON evaluations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION changes_evaluations_saved();
COMMENT ON TRIGGER changes_evaluations_inserted ON evaluations IS 'Change feed: deployment.evaluated.';
COMMENT ON TRIGGER changes_evaluations_updated ON evaluations IS 'Change feed: deployment.evaluated on a re-evaluation.';

-- Webhooks ---------------------------------------------------------------------------------------------
CREATE TABLE webhook_subscriptions (
    id              uuid        PRIMARY KEY,
    url             text        NOT NULL CHECK (length(url) <= 2000),
    event_types     text[]      NOT NULL,
    -- Stored as given to the subscriber: signing needs it. The database is the service's trust boundary
    -- already (it holds the personal data); decision 0023.
    secret          text        NOT NULL,
    created_at      timestamptz NOT NULL,
    created_by      uuid,
    -- The last feed event (commit position, event seq) turned into deliveries for this subscription.
    cursor_position bigint      NOT NULL,
    cursor_seq      bigint      NOT NULL
);
COMMENT ON TABLE webhook_subscriptions IS
    'Webhook subscribers: where to POST which event types, the signing secret, and how far through the change feed deliveries were queued.';

CREATE TABLE webhook_deliveries (
    id               uuid        PRIMARY KEY,
    subscription_id  uuid        NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event_id         uuid        NOT NULL,
    position         bigint      NOT NULL,
    seq              bigint      NOT NULL,
    event_type       text        NOT NULL,
    -- text, not jsonb: the signature covers these exact bytes, and every attempt sends the same ones.
    body             text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'delivered', 'dead_lettered')),
    attempts         integer     NOT NULL DEFAULT 0,
    last_error       text,
    last_status_code integer,
    next_attempt_at  timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (subscription_id, position, seq) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_listing ON webhook_deliveries (subscription_id, position DESC, seq DESC);
COMMENT ON TABLE webhook_deliveries IS
    'One row per event per subscription: delivered in feed order, at least once, retried with backoff, dead-lettered after Webhooks:MaxAttempts. The body is the event exactly as sent and signed (ids and changed field names only).';
