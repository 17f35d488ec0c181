-- The index on users' source holds the source and whether the IdP deleted the user. With the
-- folded userName beside the source it was a second copy of the unique userName index, at a
-- random spot for every create (~8 KiB written per create); now a create appends to its
-- source's end. It answers counts by source and the SCIM scope's COUNT as a covering index;
-- lookups by userName use the unique index.
DROP INDEX users_source;
CREATE INDEX users_source ON users (source, scim_deleted_at);
