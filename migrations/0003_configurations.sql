-- A7: configurations whose text fields may hold ${variables}, filled in per user.
CREATE TABLE configurations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind       TEXT NOT NULL CHECK (kind IN ('email_account')),
    fields     TEXT NOT NULL,  -- JSON: field name -> text as the admin wrote it
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
