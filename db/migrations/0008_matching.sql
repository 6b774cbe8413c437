-- Matching reads the roster from memory. To stay fresh it asks, before every run, which experts changed
-- since it last looked: every write that matters to matching logs the experts it touched, with the id of
-- the writing transaction. Reading "every change by a transaction at or after the oldest one still running
-- when I last looked" (pg_snapshot_xmin) misses nothing, even when transactions commit out of order.
CREATE TABLE roster_changes (
    xid        xid8        NOT NULL DEFAULT pg_current_xact_id(),
    expert_id  uuid        NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX roster_changes_xid ON roster_changes (xid);
CREATE INDEX roster_changes_changed_at ON roster_changes (changed_at);

CREATE FUNCTION roster_changed_experts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id) SELECT DISTINCT id FROM changed;
    RETURN NULL;
END $$;

CREATE FUNCTION roster_changed_expert_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id) SELECT DISTINCT expert_id FROM changed;
    RETURN NULL;
END $$;

CREATE FUNCTION roster_changed_evaluations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT d.expert_id FROM changed c JOIN deployments d ON d.id = c.deployment_id;
    RETURN NULL;
END $$;

CREATE FUNCTION roster_changed_activities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT d.expert_id FROM changed c JOIN deployments d ON d.activity_id = c.id;
    RETURN NULL;
END $$;

CREATE FUNCTION roster_changed_actions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO roster_changes (expert_id)
    SELECT DISTINCT d.expert_id FROM changed c JOIN activities ac ON ac.action_id = c.id JOIN deployments d ON d.activity_id = ac.id;
    RETURN NULL;
END $$;

CREATE TRIGGER roster_experts_inserted AFTER INSERT ON experts REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_experts();
CREATE TRIGGER roster_experts_updated AFTER UPDATE ON experts REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_experts();
CREATE TRIGGER roster_experts_deleted AFTER DELETE ON experts REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_experts();

CREATE TRIGGER roster_languages_inserted AFTER INSERT ON expert_languages REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_expert_rows();
CREATE TRIGGER roster_languages_deleted AFTER DELETE ON expert_languages REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_expert_rows();
CREATE TRIGGER roster_themes_inserted AFTER INSERT ON expert_themes REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_expert_rows();
CREATE TRIGGER roster_themes_deleted AFTER DELETE ON expert_themes REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_expert_rows();
CREATE TRIGGER roster_unavailability_inserted AFTER INSERT ON expert_unavailability REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_expert_rows();
CREATE TRIGGER roster_unavailability_deleted AFTER DELETE ON expert_unavailability REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_expert_rows();
CREATE TRIGGER roster_deployments_inserted AFTER INSERT ON deployments REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_expert_rows();
CREATE TRIGGER roster_deployments_updated AFTER UPDATE ON deployments REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_expert_rows();
CREATE TRIGGER roster_evaluations_inserted AFTER INSERT ON evaluations REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_evaluations();
CREATE TRIGGER roster_evaluations_updated AFTER UPDATE ON evaluations REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_evaluations();
CREATE TRIGGER roster_activities_updated AFTER UPDATE ON activities REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_activities();
CREATE TRIGGER roster_actions_updated AFTER UPDATE ON actions REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION roster_changed_actions();

-- A proposal kept for review: what was asked, what EAR answered, by which key and when.
CREATE TABLE matching_runs (
    id           uuid        PRIMARY KEY,
    action_id    uuid        NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    requested_by uuid        REFERENCES api_keys (id),
    requested_at timestamptz NOT NULL,
    request      jsonb       NOT NULL,
    response     jsonb       NOT NULL
);
CREATE INDEX matching_runs_action ON matching_runs (action_id, requested_at);
