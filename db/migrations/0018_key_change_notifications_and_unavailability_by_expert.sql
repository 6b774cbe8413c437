-- Each instance of the service keeps the keys it has seen in memory (decision 0015) and must forget
-- them as soon as any key changes, whoever changes it: the API, the bootstrap at start-up, a test, or
-- someone at a psql prompt. This announces every change on the channel the instances listen to.
-- Statement-level, once per statement however many rows; PostgreSQL sends it only when the change
-- commits, and folds repeats within one transaction into one.
CREATE FUNCTION api_keys_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ear_api_keys_changed', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER api_keys_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION api_keys_announce_change();

COMMENT ON FUNCTION api_keys_announce_change() IS
    'Notifies ear_api_keys_changed on any change to api_keys, so every instance forgets its cached keys (decision 0015).';
COMMENT ON TRIGGER api_keys_changed ON api_keys IS
    'Keeps every instance''s key cache honest: any insert, update, delete or truncate of api_keys, whoever makes it, empties the caches on commit.';

-- A profile lists the expert's unavailability in date order. The exclusion constraint's GiST index
-- (expert_id, period) answers "this expert's periods" too, but visits some thirty pages for it (uuid
-- keys in GiST overlap badly), half a millisecond of every profile read at 100,000 experts; this
-- B-tree finds them in two, already in order and without visiting the table.
CREATE INDEX expert_unavailability_by_expert ON expert_unavailability (expert_id, lower(period)) INCLUDE (period);
