-- The request budgets of every instance of the service, counted in one place (decision 0017): one row per
-- key (or client address) and clock minute, bumped by one upsert per request (Platform/RateLimiting.cs).
--
-- UNLOGGED because it is written on every request: no WAL is written for it, nothing is shipped to the
-- standbys, and a crash or a failover empties it, which at worst hands each caller one more minute's budget.
-- The fill factor leaves room on each page so that the bumps are HOT updates that touch no index.
CREATE UNLOGGED TABLE rate_limit_windows (
    partition text   NOT NULL,
    minute    bigint NOT NULL,
    used      integer NOT NULL,
    PRIMARY KEY (partition, minute)
) WITH (fillfactor = 50);

COMMENT ON TABLE rate_limit_windows IS
    'Requests counted per API key (''key <id>'') or client address (''address <ip>'') in the clock minute (Unix seconds / 60); rows of past minutes are deleted.';

-- The matching roster may be read from a standby (decision 0020), where a DELETE is refused even when it
-- would delete nothing. The roster's full reload calls this instead: on the primary it trims the change
-- log as before; on a standby it does nothing, and RosterChangeLogTrim trims from the primary.
CREATE FUNCTION trim_roster_changes(retention interval) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_is_in_recovery() THEN
        DELETE FROM roster_changes WHERE changed_at < now() - retention;
    END IF;
END;
$$;
