-- CVs shared by member states' focal points: every distinct upload is a version, kept in the
-- database (so that erasure and backups cover them with the rest). text feeds the expert search.
CREATE TABLE cv_documents (
    expert_id      uuid        NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    version        integer     NOT NULL CHECK (version >= 1),
    sha256         bytea       NOT NULL CHECK (length(sha256) = 32),
    size_bytes     bigint      NOT NULL CHECK (size_bytes > 0),
    content_type   text        NOT NULL CHECK (content_type IN ('application/pdf',
                                   'application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
    file_name      text        NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    text_status    text        NOT NULL CHECK (text_status IN ('extracted', 'encrypted', 'no_text')),
    text           text        NOT NULL,
    content        bytea       NOT NULL,
    uploaded_by    uuid        REFERENCES api_keys (id),
    uploaded_at    timestamptz NOT NULL,
    PRIMARY KEY (expert_id, version),
    UNIQUE (expert_id, sha256)
);

-- Who did what to which resource, and how it ended. Written by the service after each audited
-- request; there is no API to change or delete an entry.
CREATE TABLE audit_entries (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    key_id      uuid,
    role        text,
    action      text        NOT NULL,
    method      text        NOT NULL,
    path        text        NOT NULL,
    target_type text,
    target_id   uuid,
    status_code integer     NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('succeeded', 'refused', 'failed'))
);
CREATE INDEX audit_entries_target ON audit_entries (target_id, id);
CREATE INDEX audit_entries_key ON audit_entries (key_id, id);
CREATE INDEX audit_entries_at ON audit_entries (at);
