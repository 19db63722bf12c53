-- The forum's tables in the main database, written only by the writer service (PostgreSQL).
-- Same semantics as db/writer/sqlite/V1 (see that file and writer-service/README.md):
--   id              internal key (identity); other tables' foreign keys point to it
--   source_id       the configured source (e.g. forum-sim)
--   external_id     the record's id at that source; UNIQUE(source_id, external_id) maps it to id
--   source_version  the source's version of the stored state (updated_at in epoch ms); 0 = placeholder
--   deleted         1 once the source deleted the record (final: external ids are never reused)
--   synced_at       ISO-8601 instant of the writer's last write to the row
-- Every content and reference column is nullable: a placeholder row (referenced before it arrived) has none.
-- created_at / updated_at are the source's ISO-8601 strings, unchanged (TEXT, as in SQLite).
-- An upsert that finds its row still draws an identity value: ids have gaps, which is harmless.

CREATE TABLE users (
    id             BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id      TEXT     NOT NULL,
    external_id    TEXT     NOT NULL,
    source_version BIGINT   NOT NULL,
    deleted        SMALLINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    synced_at      TEXT     NOT NULL,
    name           TEXT,
    email          TEXT,
    created_at     TEXT,
    updated_at     TEXT,
    UNIQUE (source_id, external_id)
);

CREATE TABLE sections (
    id             BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id      TEXT     NOT NULL,
    external_id    TEXT     NOT NULL,
    source_version BIGINT   NOT NULL,
    deleted        SMALLINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    synced_at      TEXT     NOT NULL,
    title          TEXT,
    created_at     TEXT,
    updated_at     TEXT,
    UNIQUE (source_id, external_id)
);

CREATE TABLE topics (
    id             BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id      TEXT     NOT NULL,
    external_id    TEXT     NOT NULL,
    source_version BIGINT   NOT NULL,
    deleted        SMALLINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    synced_at      TEXT     NOT NULL,
    section_id     BIGINT   REFERENCES sections (id),
    user_id        BIGINT   REFERENCES users (id),
    title          TEXT,
    created_at     TEXT,
    updated_at     TEXT,
    UNIQUE (source_id, external_id)
);

CREATE TABLE messages (
    id             BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id      TEXT     NOT NULL,
    external_id    TEXT     NOT NULL,
    source_version BIGINT   NOT NULL,
    deleted        SMALLINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    synced_at      TEXT     NOT NULL,
    topic_id       BIGINT   REFERENCES topics (id),
    user_id        BIGINT   REFERENCES users (id),
    parent_id      BIGINT   REFERENCES messages (id),
    body           TEXT,
    created_at     TEXT,
    updated_at     TEXT,
    UNIQUE (source_id, external_id)
);

-- Foreign-key columns, for the application's joins (PostgreSQL does not index them by itself).
CREATE INDEX topics_section_id ON topics (section_id);
CREATE INDEX topics_user_id ON topics (user_id);
CREATE INDEX messages_topic_id ON messages (topic_id);
CREATE INDEX messages_user_id ON messages (user_id);
CREATE INDEX messages_parent_id ON messages (parent_id);

-- Placeholders still waiting for their record (counted by the progress log).
CREATE INDEX users_placeholders ON users (id) WHERE source_version = 0;
CREATE INDEX sections_placeholders ON sections (id) WHERE source_version = 0;
CREATE INDEX topics_placeholders ON topics (id) WHERE source_version = 0;
CREATE INDEX messages_placeholders ON messages (id) WHERE source_version = 0;
