-- Refused requests (401, 403) are recorded one row per client address, key, status and minute, with
-- a count, instead of one row each: a flood of bad keys can no longer fill the disk through the audit.
-- Bulk reads of personal data (search pages, CSV exports) are recorded with the filter they used.
ALTER TABLE audit_entries
    ADD COLUMN client_address text,
    ADD COLUMN occurrences    integer NOT NULL DEFAULT 1 CHECK (occurrences >= 1),
    -- The minute a refusal row aggregates; NULL on every other row.
    ADD COLUMN refusal_minute timestamptz,
    -- The query string of an audited bulk read, with the free-text words withheld (they may name a person).
    ADD COLUMN filter         text;

CREATE UNIQUE INDEX audit_entries_refusals_per_minute
    ON audit_entries (refusal_minute, client_address, key_id, status_code) NULLS NOT DISTINCT
    WHERE outcome = 'refused';
