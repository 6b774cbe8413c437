-- Reports over a million experts must not count a million rows.
-- 1. pool_ledger: per day and member state ('' for none), experts joining (+1) or leaving (-1) the pool
--    and experts created. An expert joins on the later of its creation and consent days if active, and
--    leaves on its erasure day; so the pool at D is the sum of the deltas up to D. Statement-level
--    triggers subtract a changed row's old contribution and add its new one.
-- 2. deployments keep the expert's kind, gender, nationality and member state at booking: "who was
--    deployed" is then read from the deployments alone, and is what it was when the expert went.

CREATE TABLE pool_ledger (
    day          date   NOT NULL,
    member_state text   NOT NULL,
    pool_delta   bigint NOT NULL DEFAULT 0,
    created      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (day, member_state)
);

CREATE FUNCTION pool_contributions(e_created timestamptz, e_consent timestamptz, e_status text, e_erased timestamptz, e_member_state char(2))
RETURNS TABLE (day date, member_state text, pool_delta bigint, created bigint)
LANGUAGE sql STABLE AS $$
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

CREATE FUNCTION pool_ledger_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pool_ledger (day, member_state, pool_delta, created)
    SELECT c.day, c.member_state, sum(c.pool_delta), sum(c.created)
    FROM new_rows r, pool_contributions(r.created_at, r.consent_recorded_at, r.status, r.erased_at, r.member_state) c
    GROUP BY c.day, c.member_state
    ON CONFLICT (day, member_state) DO UPDATE
    SET pool_delta = pool_ledger.pool_delta + EXCLUDED.pool_delta, created = pool_ledger.created + EXCLUDED.created;
    RETURN NULL;
END $$;

CREATE FUNCTION pool_ledger_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pool_ledger (day, member_state, pool_delta, created)
    SELECT x.day, x.member_state, sum(x.pool_delta), sum(x.created)
    FROM (
        SELECT c.* FROM new_rows r, pool_contributions(r.created_at, r.consent_recorded_at, r.status, r.erased_at, r.member_state) c
        UNION ALL
        SELECT c.day, c.member_state, -c.pool_delta, -c.created
        FROM old_rows r, pool_contributions(r.created_at, r.consent_recorded_at, r.status, r.erased_at, r.member_state) c
    ) x
    GROUP BY x.day, x.member_state
    ON CONFLICT (day, member_state) DO UPDATE
    SET pool_delta = pool_ledger.pool_delta + EXCLUDED.pool_delta, created = pool_ledger.created + EXCLUDED.created;
    RETURN NULL;
END $$;

CREATE FUNCTION pool_ledger_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pool_ledger (day, member_state, pool_delta, created)
    SELECT c.day, c.member_state, -sum(c.pool_delta), -sum(c.created)
    FROM old_rows r, pool_contributions(r.created_at, r.consent_recorded_at, r.status, r.erased_at, r.member_state) c
    GROUP BY c.day, c.member_state
    ON CONFLICT (day, member_state) DO UPDATE
    SET pool_delta = pool_ledger.pool_delta + EXCLUDED.pool_delta, created = pool_ledger.created + EXCLUDED.created;
    RETURN NULL;
END $$;

CREATE TRIGGER pool_ledger_inserted AFTER INSERT ON experts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pool_ledger_inserted();
CREATE TRIGGER pool_ledger_updated AFTER UPDATE ON experts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pool_ledger_updated();
CREATE TRIGGER pool_ledger_deleted AFTER DELETE ON experts REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pool_ledger_deleted();

INSERT INTO pool_ledger (day, member_state, pool_delta, created)
SELECT c.day, c.member_state, sum(c.pool_delta), sum(c.created)
FROM experts r, pool_contributions(r.created_at, r.consent_recorded_at, r.status, r.erased_at, r.member_state) c
GROUP BY c.day, c.member_state;

ALTER TABLE deployments
    ADD COLUMN expert_kind         text,
    ADD COLUMN expert_gender       text,
    ADD COLUMN expert_nationality  char(2),
    ADD COLUMN expert_member_state char(2);

UPDATE deployments d
SET expert_kind = e.kind, expert_gender = e.gender, expert_nationality = e.nationality, expert_member_state = e.member_state
FROM experts e
WHERE e.id = d.expert_id;

-- New rows get the expert's attributes at booking, whoever writes them (the API, the loaders, COPY).
CREATE FUNCTION deployments_snapshot_expert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT e.kind, e.gender, e.nationality, e.member_state
    INTO NEW.expert_kind, NEW.expert_gender, NEW.expert_nationality, NEW.expert_member_state
    FROM experts e WHERE e.id = NEW.expert_id;
    RETURN NEW;
END $$;

CREATE TRIGGER deployments_snapshot_expert BEFORE INSERT ON deployments
    FOR EACH ROW EXECUTE FUNCTION deployments_snapshot_expert();

ALTER TABLE deployments
    ALTER COLUMN expert_kind SET NOT NULL,
    ALTER COLUMN expert_gender SET NOT NULL,
    ALTER COLUMN expert_nationality SET NOT NULL;

DROP INDEX deployments_start;
CREATE INDEX deployments_start ON deployments (lower(period))
    INCLUDE (expert_id, expert_kind, expert_gender, expert_nationality, expert_member_state) WHERE cancelled_at IS NULL;
