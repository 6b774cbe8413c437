-- API keys: only the SHA-256 of a key is stored; the secret is shown once, when it is issued.
-- Keys are high-entropy random strings, so a fast hash is enough (nothing to brute-force).
CREATE TABLE api_keys (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role         text        NOT NULL CHECK (role IN ('admin', 'focal_point', 'reader')),
    member_state char(2)     REFERENCES countries (code),
    key_hash     bytea       NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    key_prefix   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    CHECK ((role = 'focal_point') = (member_state IS NOT NULL))
);
