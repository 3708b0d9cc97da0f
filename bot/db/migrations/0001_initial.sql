-- Harbor core: settings, profiles, durable timers and schedules, DM delivery notices.
-- Times are stored as UTC ISO-8601 text ("2026-11-22T15:00:00+00:00"), which sorts correctly.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per (guild, setting). Values are JSON so features can add settings without a migration.
CREATE TABLE guild_settings (
    guild_id   INTEGER NOT NULL,
    key        TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    updated_by INTEGER,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, key)
);

CREATE TABLE profiles (
    user_id    INTEGER PRIMARY KEY,
    timezone   TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Recurring definitions; each firing of a schedule's timer creates the next one-shot timer row.
CREATE TABLE schedules (
    id         INTEGER PRIMARY KEY,
    event      TEXT    NOT NULL,
    recurrence TEXT    NOT NULL,          -- JSON, see bot.domain.recurrence
    payload    TEXT    NOT NULL DEFAULT '{}',
    guild_id   INTEGER,
    user_id    INTEGER,
    key        TEXT UNIQUE,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT    NOT NULL
);
CREATE INDEX schedules_user ON schedules(user_id);

-- The truth for every scheduled thing; APScheduler only caches the pending rows.
CREATE TABLE timers (
    id          INTEGER PRIMARY KEY,
    event       TEXT    NOT NULL,
    due_at      TEXT    NOT NULL,
    payload     TEXT    NOT NULL DEFAULT '{}',
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    guild_id    INTEGER,
    user_id     INTEGER,
    key         TEXT,
    schedule_id INTEGER REFERENCES schedules(id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL,
    claimed_at  TEXT,
    finished_at TEXT,
    error       TEXT                      -- exception type only, never message content
);
CREATE INDEX timers_pending ON timers(status, due_at);
CREATE INDEX timers_user ON timers(user_id);
CREATE UNIQUE INDEX timers_live_key ON timers(key) WHERE key IS NOT NULL AND status IN ('pending', 'running');

-- A DM the bot could not deliver (DMs closed); the member is told on their next command.
CREATE TABLE dm_failures (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    guild_id   INTEGER,
    purpose    TEXT    NOT NULL,          -- e.g. "check-in prompt"; never the message itself
    failed_at  TEXT    NOT NULL,
    notified   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX dm_failures_user ON dm_failures(user_id, notified);
