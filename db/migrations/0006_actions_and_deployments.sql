-- Actions (a partner's request and what MIEUX does about it), their activities, the experts deployed
-- on them, and the evaluation of each deployment.

CREATE TABLE actions (
    id                     uuid        PRIMARY KEY,
    code                   text        NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{2,39}$'),
    title                  text        NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    requesting_authority   text        CHECK (length(requesting_authority) <= 1000),
    beneficiary_countries  char(2)[]   NOT NULL DEFAULT '{}',
    regional_organisation  text        CHECK (length(regional_organisation) <= 200),
    region                 text        REFERENCES regions (code),
    themes                 text[]      NOT NULL DEFAULT '{}',
    working_languages      char(2)[]   NOT NULL DEFAULT '{}',
    requested_at           date,
    period                 daterange   CHECK (period IS NULL OR (NOT isempty(period) AND NOT lower_inf(period))),
    status                 text        NOT NULL CHECK (status IN ('requested', 'in_preparation', 'approved', 'in_implementation',
                                                                  'completed', 'rejected', 'transferred')),
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    version                integer     NOT NULL DEFAULT 1,
    CHECK (cardinality(beneficiary_countries) > 0 OR regional_organisation IS NOT NULL)
);
CREATE UNIQUE INDEX actions_code_unique ON actions (upper(code));
CREATE INDEX actions_status ON actions (status, id);
CREATE INDEX actions_region ON actions (region, id);
CREATE INDEX actions_themes ON actions USING gin (themes);
CREATE INDEX actions_countries ON actions USING gin (beneficiary_countries);
CREATE INDEX actions_period ON actions USING gist (period);

-- Every transition, with who made it (the API key) and why.
CREATE TABLE action_status_changes (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    action_id    uuid        NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    from_status  text,
    to_status    text        NOT NULL,
    note         text        CHECK (length(note) <= 2000),
    changed_by   uuid        REFERENCES api_keys (id),
    changed_at   timestamptz NOT NULL
);
CREATE INDEX action_status_changes_action ON action_status_changes (action_id, id);

CREATE TABLE activities (
    id         uuid        PRIMARY KEY,
    action_id  uuid        NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    type       text        NOT NULL CHECK (type IN ('fact_finding_mission', 'information_session', 'workshop', 'training',
                                                    'training_of_trainers', 'drafting_session', 'study_visit',
                                                    'regional_consultation', 'remote_support', 'validation_conference')),
    title      text        NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    period     daterange   NOT NULL CHECK (NOT isempty(period) AND NOT lower_inf(period) AND NOT upper_inf(period)),
    country    char(2)     REFERENCES countries (code),
    remote     boolean     NOT NULL,
    created_at timestamptz NOT NULL,
    CHECK (remote = (country IS NULL))
);
CREATE INDEX activities_action ON activities (action_id, lower(period));

-- An expert is never on two live deployments on the same day; a cancelled deployment stays on
-- record but no longer blocks the days.
CREATE TABLE deployments (
    id            uuid        PRIMARY KEY,
    activity_id   uuid        NOT NULL REFERENCES activities (id) ON DELETE RESTRICT,
    expert_id     uuid        NOT NULL REFERENCES experts (id) ON DELETE RESTRICT,
    role          text        NOT NULL CHECK (role IN ('lead_expert', 'expert')),
    period        daterange   NOT NULL CHECK (NOT isempty(period) AND NOT lower_inf(period) AND NOT upper_inf(period)),
    created_at    timestamptz NOT NULL,
    created_by    uuid        REFERENCES api_keys (id),
    cancelled_at  timestamptz,
    cancelled_by  uuid        REFERENCES api_keys (id),
    cancel_reason text        CHECK (length(cancel_reason) <= 2000),
    CONSTRAINT deployments_no_overlap EXCLUDE USING gist (expert_id WITH =, period WITH &&) WHERE (cancelled_at IS NULL)
);
CREATE INDEX deployments_activity ON deployments (activity_id);
CREATE INDEX deployments_expert ON deployments (expert_id, lower(period));

CREATE TABLE evaluations (
    deployment_id  uuid        PRIMARY KEY REFERENCES deployments (id) ON DELETE CASCADE,
    rating         smallint    NOT NULL CHECK (rating BETWEEN 1 AND 5),
    recommendation text        NOT NULL CHECK (recommendation IN ('redeploy', 'redeploy_other_area', 'do_not_redeploy')),
    comment        text        CHECK (length(comment) <= 5000),
    evaluated_at   timestamptz NOT NULL,
    evaluated_by   uuid        REFERENCES api_keys (id)
);
