-- The index that scopes users to their source holds the source alone. With the folded userName
-- beside it, every create wrote a page at a random spot of it (a second copy of the unique
-- userName index, ~8 KiB written per create); on (source, rowid) a create appends to its
-- source's end. Lookups by userName use the unique index, and counts by source this one.
DROP INDEX users_source;
CREATE INDEX users_source ON users (source);
