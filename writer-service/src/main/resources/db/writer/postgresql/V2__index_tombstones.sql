-- The tombstone purge (docs/decisions/0011) looks for old tombstones only: a partial index keeps that cheap
-- however many live rows a table holds.
CREATE INDEX users_tombstones ON users (synced_at) WHERE deleted = 1;
CREATE INDEX sections_tombstones ON sections (synced_at) WHERE deleted = 1;
CREATE INDEX topics_tombstones ON topics (synced_at) WHERE deleted = 1;
CREATE INDEX messages_tombstones ON messages (synced_at) WHERE deleted = 1;
