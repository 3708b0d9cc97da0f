-- Case discussion. The confidentiality agreement each server publishes (every publish is a new version)
-- and who accepted which version when. Case text is never stored: only ids and metadata live here.
CREATE TABLE agreement_versions (
    guild_id     INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    body         TEXT    NOT NULL,  -- written by an admin for everyone to read; not case text
    published_by INTEGER,
    published_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, version)
);

CREATE TABLE agreement_acceptances (
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    accepted_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, version)
);
CREATE INDEX agreement_acceptances_user ON agreement_acceptances (user_id);

-- One row per case thread: who opened it (so moderators can find the author of an anonymous case) and
-- when. Never the case text.
CREATE TABLE case_threads (
    thread_id  INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    author_id  INTEGER NOT NULL,
    anonymous  INTEGER NOT NULL DEFAULT 0,
    created_at TEXT    NOT NULL
);
CREATE INDEX case_threads_author ON case_threads (author_id);
