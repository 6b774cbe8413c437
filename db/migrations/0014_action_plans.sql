-- A proposal for staffing a whole action (POST /actions/{id}/plan), kept for review like a matching run,
-- and accepted at most once: acceptance books every deployment of the plan in one transaction.
-- response holds the plan as the API shows it (with the deployments' ids once accepted); it names
-- experts by id only, so an erasure leaves nothing personal in it.
CREATE TABLE action_plans (
    id           uuid        PRIMARY KEY,
    action_id    uuid        NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    requested_by uuid        REFERENCES api_keys (id),
    requested_at timestamptz NOT NULL,
    request      jsonb       NOT NULL,
    response     jsonb       NOT NULL,
    status       text        NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted')),
    accepted_by  uuid        REFERENCES api_keys (id),
    accepted_at  timestamptz,
    CHECK ((status = 'accepted') = (accepted_at IS NOT NULL))
);
CREATE INDEX action_plans_action ON action_plans (action_id, requested_at);
