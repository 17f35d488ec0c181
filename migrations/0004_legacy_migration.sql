-- M1: the move from the legacy "Entra ID user source" to SCIM. While it is under way the
-- legacy source is read-only; afterwards it stays retired. One row at most.
CREATE TABLE legacy_migration (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    started_at  TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    finished_at TEXT
);
