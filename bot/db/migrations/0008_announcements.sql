-- 0008_announcements: /announce posts to the announcements channel, now or at a scheduled time.
-- Times are UTC ISO-8601 text. A scheduled post is fired by a durable timer (event announce.post,
-- key announce:<id>:post); the row is the truth about whether it was posted. Rows are stored only once the
-- author pressed "Post" (a preview stores nothing).
CREATE TABLE announcements (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    author_id    INTEGER NOT NULL,
    title        TEXT    NOT NULL DEFAULT '' CHECK (length(title) <= 256),
    body         TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    ping_role_id INTEGER,
    due_at       TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'scheduled'
                 CHECK (status IN ('scheduled', 'posted', 'cancelled', 'failed')),
    channel_id   INTEGER,
    message_id   INTEGER,
    created_at   TEXT    NOT NULL,
    posted_at    TEXT
);
CREATE INDEX announcements_due ON announcements(guild_id, status, due_at);
CREATE INDEX announcements_author ON announcements(author_id);
