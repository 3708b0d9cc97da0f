-- 0004_resources: the curated resource library, its full-text index, tags and private bookmarks.
-- The FTS5 index mirrors every row of `resources` (external content, kept in sync by the triggers
-- below, so FTS5's integrity-check passes); every search joins back to `resources` and keeps only
-- status = 'approved', so pending and rejected submissions are never found.

CREATE TABLE resources (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    title            TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 256),
    url              TEXT    NOT NULL CHECK (length(url) BETWEEN 1 AND 512 AND url GLOB 'http*://*'),
    description      TEXT    NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    tags             TEXT    NOT NULL DEFAULT '',       -- space separated, normalised (see resource_tags)
    status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    author_id        INTEGER,                           -- NULL: imported, or the author erased their data
    decided_by       INTEGER,                           -- the moderator who approved or rejected
    reject_reason    TEXT    CHECK (reject_reason IS NULL OR length(reject_reason) <= 500),
    queue_channel_id INTEGER,                           -- the mod-queue message of a pending submission
    queue_message_id INTEGER,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    approved_at      TEXT,
    reviewed_at      TEXT,                              -- approval or the last "Mark reviewed"
    CHECK (status != 'approved' OR (approved_at IS NOT NULL AND reviewed_at IS NOT NULL))
);
-- One live entry per link per server: a rejected submission does not block a later one.
CREATE UNIQUE INDEX resources_live_url ON resources(guild_id, url) WHERE status IN ('pending', 'approved');
CREATE INDEX resources_guild_status ON resources(guild_id, status, approved_at);
CREATE INDEX resources_review ON resources(guild_id, status, reviewed_at);
CREATE INDEX resources_author ON resources(author_id) WHERE author_id IS NOT NULL;
CREATE INDEX resources_decider ON resources(decided_by) WHERE decided_by IS NOT NULL;

CREATE TABLE resource_tags (
    resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    tag         TEXT    NOT NULL CHECK (length(tag) BETWEEN 1 AND 30),
    PRIMARY KEY (resource_id, tag)
) WITHOUT ROWID;
CREATE INDEX resource_tags_tag ON resource_tags(tag, resource_id);

CREATE TABLE resource_bookmarks (
    user_id     INTEGER NOT NULL,
    resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, resource_id)
) WITHOUT ROWID;
CREATE INDEX resource_bookmarks_resource ON resource_bookmarks(resource_id);

-- Per server: up to when the weekly digest has announced new entries.
CREATE TABLE resource_digests (
    guild_id       INTEGER PRIMARY KEY,
    announced_till TEXT    NOT NULL
);

CREATE VIRTUAL TABLE resources_fts USING fts5(
    title, description, tags,
    content = 'resources', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE TRIGGER resources_fts_insert AFTER INSERT ON resources BEGIN
    INSERT INTO resources_fts (rowid, title, description, tags)
    VALUES (new.id, new.title, new.description, new.tags);
END;

CREATE TRIGGER resources_fts_delete AFTER DELETE ON resources BEGIN
    INSERT INTO resources_fts (resources_fts, rowid, title, description, tags)
    VALUES ('delete', old.id, old.title, old.description, old.tags);
END;

-- Only changes to indexed columns touch the index (not status, reviews or author erasure).
CREATE TRIGGER resources_fts_update AFTER UPDATE OF title, description, tags ON resources BEGIN
    INSERT INTO resources_fts (resources_fts, rowid, title, description, tags)
    VALUES ('delete', old.id, old.title, old.description, old.tags);
    INSERT INTO resources_fts (rowid, title, description, tags)
    VALUES (new.id, new.title, new.description, new.tags);
END;
