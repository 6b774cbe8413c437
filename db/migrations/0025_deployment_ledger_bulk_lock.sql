-- A statement writing the deployments of thousands of experts (the benchmark's `seed`, a bulk import, a clean-up)
-- failed with "out of shared memory": 0019's deployment_ledger_lock took one advisory lock per expert touched, and
-- a transaction may hold only about max_locks_per_transaction × max_connections locks in all (6,400 with the
-- defaults), shared by every session.
--
-- The ledger's writers now take a two-level lock. Every writer first takes one ledger-wide advisory lock: shared
-- when it touches a few experts, then one exclusive lock per expert as before (writers of different experts still
-- run side by side, writers of one expert one after the other); exclusive when it touches more than
-- deployment_ledger_bulk_threshold() experts, which waits for every other writer and needs no per-expert lock at
-- all. A transaction holding the shared lock may still take the exclusive one and the other way round (a lock
-- never conflicts with its own transaction's), so an ordinary write followed by a bulk one in one transaction
-- works; two such transactions waiting on each other are a deadlock PostgreSQL breaks by aborting one.

CREATE FUNCTION deployment_ledger_bulk_threshold() RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT 256 $$;
COMMENT ON FUNCTION deployment_ledger_bulk_threshold() IS
    'How many experts a statement may touch before deployment_ledger_lock locks the whole ledger instead of each expert: small against the lock table (max_locks_per_transaction × max_connections), large against any write the API makes.';

CREATE OR REPLACE FUNCTION deployment_ledger_lock(touched uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(touched) > deployment_ledger_bulk_threshold() THEN
        PERFORM pg_advisory_xact_lock(hashtextextended('deployment_ledger', 0));
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('deployment_ledger', 0));
    PERFORM count(pg_advisory_xact_lock(hashtextextended('deployment_ledger:' || t::text, 0)))
    FROM (SELECT DISTINCT t FROM unnest(touched) t ORDER BY t) s;
END $$;
COMMENT ON FUNCTION deployment_ledger_lock(uuid[]) IS
    'Serialises the writers of deployment_ledger per expert: a ledger-wide lock, shared, then a transaction advisory lock per expert in expert order; past deployment_ledger_bulk_threshold() experts, the ledger-wide lock exclusive instead (0025: thousands of per-expert locks overflowed the lock table).';
