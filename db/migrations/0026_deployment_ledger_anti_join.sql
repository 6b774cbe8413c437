-- A statement booking or moving the deployments of many experts slowed down far faster than its size: 70,000
-- deployments in one INSERT took 7.5 s, 140,000 took 11.5 s, 421,000 had not finished after 4 minutes (the
-- benchmark's seed of 1,000,000 experts, about 700,000 deployments in one COPY, never finished). The time went to
-- the ledger triggers' "d.id NOT IN (SELECT id FROM new_rows)": PostgreSQL knows a transition table's size, and once
-- the statement's rows no longer fit work_mem as a hash it checks the NOT IN by scanning them again for every
-- deployment (rows × rows). NOT EXISTS says the same here (ids are never null) and is planned as an anti-join,
-- which hashes in batches at any size. Nothing else changes.

CREATE OR REPLACE FUNCTION deployment_ledger_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE OR REPLACE FUNCTION deployment_ledger_updated() RETURNS trigger LANGUAGE plpgsql AS $$
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
