-- The deployment figures of the reports from a ledger, so that a window of many years costs about what a
-- month does (issue #15 item 4). Until now every report counted the deployments whose first day lies in
-- the window, one index entry each.
--
-- Each live (not cancelled) deployment d of an expert knows the first day of the same expert's next live
-- deployment (live deployments of one expert never overlap, so their first days differ). An expert
-- deployed in [from, to] counts once, at its latest deployment there: the d with first day in the window
-- and no next one up to `to`. So experts_deployed, and its breakdown by the snapshot columns taken at
-- booking (0010), is the number of deployments with first day in [from, to] and next start after `to` (or
-- none). A deployment is also the first of its (expert, member state at booking) pair or not: experts ever
-- deployed per member state up to D is the number of pair-firsts with first day up to D.
--
-- deployment_ledger holds, per month of the first day, month of the next start ('infinity' for none) and
-- snapshot columns, the number of deployments and of pair-firsts. The reports sum the whole months of a
-- window from it and read the days of the partial edge months (and the deployments whose next start falls
-- in the last, partial, month) from deployments through its indexes (ReportsQueries.cs).
--
-- Kept by statement-level triggers on deployments: an insert (a booking may land anywhere in an expert's
-- history), a change of expert, days, being cancelled or snapshot columns (cancelling relinks the
-- neighbours), and a delete. For each expert touched, the trigger takes out the ledger rows of the
-- expert's deployments as they were before the statement and adds those as they are after it; an expert
-- has few deployments, so that is cheap. Two transactions booking the same expert would each compute
-- without the other's uncommitted row: the trigger takes a transaction-level advisory lock per expert
-- first, so the second waits and then (READ COMMITTED, a new snapshot per statement) sees the first's.

CREATE TABLE deployment_ledger (
    start_month         date   NOT NULL,
    next_month          date   NOT NULL,
    expert_kind         text   NOT NULL,
    expert_gender       text   NOT NULL,
    expert_nationality  char(2) NOT NULL,
    expert_member_state text   NOT NULL,
    deployments         bigint NOT NULL DEFAULT 0,
    pair_firsts         bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (start_month, next_month, expert_kind, expert_gender, expert_nationality, expert_member_state)
);
COMMENT ON TABLE deployment_ledger IS
    'Per month of a live deployment''s first day, month of the same expert''s next live deployment (''infinity'' for none) and the expert''s kind, gender, nationality and member state ('''' for none) at booking: the number of deployments, and of those that are the expert''s first with that member state. Kept by the deployment_ledger_* triggers on deployments; the reports sum its whole months.';

-- The one definition of the ledger rows of a set of deployments, which must hold every deployment of
-- each expert it names (the next start and the pair-first are read among them).
CREATE FUNCTION deployment_ledger_rows(ds deployments[])
RETURNS TABLE (start_month date, next_month date, expert_kind text, expert_gender text, expert_nationality char(2),
               expert_member_state text, deployments bigint, pair_firsts bigint)
LANGUAGE sql IMMUTABLE AS $$
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
COMMENT ON FUNCTION deployment_ledger_rows(deployments[]) IS
    'The deployment_ledger rows of a set of deployments holding all of each of its experts'' deployments: live ones only, each with the month of the expert''s next live deployment and whether it is the expert''s first with its member state. Shared by the triggers and the backfill.';

-- Replaces, for the experts touched, the ledger rows of their deployments before the statement by those
-- after it. before_rows: the deployments of those experts as they were (the table minus the rows the
-- statement wrote, plus the rows as they were before it).
CREATE FUNCTION deployment_ledger_replace(touched uuid[], before_rows deployments[]) RETURNS void LANGUAGE plpgsql AS $$
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
COMMENT ON FUNCTION deployment_ledger_replace(uuid[], deployments[]) IS
    'Moves deployment_ledger from the rows of the touched experts'' deployments as they were (before_rows) to those of their deployments as they are now. Called by the deployment_ledger_* trigger functions after taking the experts'' advisory locks.';

-- Serialises the ledger's writers per expert (see the top of this file); in expert order, so that two
-- bulk statements cannot deadlock on each other.
CREATE FUNCTION deployment_ledger_lock(touched uuid[]) RETURNS void LANGUAGE sql AS $$
    SELECT count(pg_advisory_xact_lock(hashtextextended('deployment_ledger:' || t::text, 0)))
    FROM (SELECT DISTINCT t FROM unnest(touched) t ORDER BY t) s
$$;
COMMENT ON FUNCTION deployment_ledger_lock(uuid[]) IS
    'Takes, in expert order, a transaction advisory lock per expert, so that two transactions writing one expert''s deployments update deployment_ledger one after the other, the second seeing the first''s rows.';

CREATE FUNCTION deployment_ledger_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched uuid[];
    before_rows deployments[];
BEGIN
    SELECT array_agg(DISTINCT expert_id) INTO touched FROM new_rows;
    PERFORM deployment_ledger_lock(touched);
    SELECT array_agg(d) INTO before_rows FROM deployments d
    WHERE d.expert_id IN (SELECT unnest(touched)) AND d.id NOT IN (SELECT id FROM new_rows);
    PERFORM deployment_ledger_replace(touched, before_rows);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION deployment_ledger_inserted() IS
    'Re-counts in deployment_ledger the experts of the inserted deployments: a booking may fall before, between or after their others and relink them.';

CREATE FUNCTION deployment_ledger_updated() RETURNS trigger LANGUAGE plpgsql AS $$
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
    SELECT coalesce((SELECT array_agg(d) FROM deployments d WHERE d.expert_id IN (SELECT unnest(touched)) AND d.id NOT IN (SELECT id FROM new_rows)), '{}')
           || coalesce((SELECT array_agg(ROW(o.*)::deployments) FROM old_rows o WHERE o.expert_id IN (SELECT unnest(touched))), '{}')
    INTO before_rows;
    PERFORM deployment_ledger_replace(touched, before_rows);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION deployment_ledger_updated() IS
    'Re-counts in deployment_ledger the experts (before and after) of the deployments whose expert, first day, being cancelled or snapshot columns changed: cancelling relinks the neighbours. Erasure clearing cancel_reason writes nothing.';

CREATE FUNCTION deployment_ledger_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
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
COMMENT ON FUNCTION deployment_ledger_deleted() IS
    'Re-counts in deployment_ledger the experts of the deleted deployments (the service never deletes one; a clean-up might).';

CREATE TRIGGER deployment_ledger_inserted AFTER INSERT ON deployments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION deployment_ledger_inserted();
CREATE TRIGGER deployment_ledger_updated AFTER UPDATE ON deployments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION deployment_ledger_updated();
CREATE TRIGGER deployment_ledger_deleted AFTER DELETE ON deployments REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION deployment_ledger_deleted();
COMMENT ON TRIGGER deployment_ledger_inserted ON deployments IS 'Reports: the deployment ledger counts a booking and relinks the expert''s other deployments.';
COMMENT ON TRIGGER deployment_ledger_updated ON deployments IS 'Reports: the deployment ledger follows a cancellation or a change of days, expert or snapshot; other updates write nothing.';
COMMENT ON TRIGGER deployment_ledger_deleted ON deployments IS 'Reports: the deployment ledger forgets a deleted deployment and relinks its neighbours.';

INSERT INTO deployment_ledger (start_month, next_month, expert_kind, expert_gender, expert_nationality, expert_member_state, deployments, pair_firsts)
SELECT * FROM deployment_ledger_rows((SELECT coalesce(array_agg(d), '{}') FROM deployments d));

-- The edge months: a live deployment's next start, its predecessor, and its being first with its member
-- state are read through this index (expert, first day) of the live deployments only.
CREATE INDEX deployments_expert_live ON deployments (expert_id, lower(period))
    INCLUDE (expert_member_state) WHERE cancelled_at IS NULL;
