-- 0009_moderation: the mod log (metadata only: ids, kinds, times, the moderator's reason — never message
-- text or scanner fragments), reports, appeals and per-server escalation rules. Times are UTC ISO text.

-- One row per moderation event; `number` is the server's case number (#12).
CREATE TABLE mod_cases (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    number           INTEGER NOT NULL,
    kind             TEXT    NOT NULL,
    subject_id       INTEGER,
    moderator_id     INTEGER,
    channel_id       INTEGER,
    reason           TEXT,
    identifier_kinds TEXT    NOT NULL DEFAULT '',   -- comma-separated kinds (PHONE,NAME), never the values
    expires_at       TEXT,                          -- timeouts: when they end
    active           INTEGER NOT NULL DEFAULT 0,    -- restrictions: 1 until lifted
    removed_role_id  INTEGER,                       -- restrictions: the case-access role taken away
    created_at       TEXT    NOT NULL,
    UNIQUE (guild_id, number)
);
CREATE INDEX mod_cases_subject ON mod_cases(guild_id, subject_id, id);
CREATE INDEX mod_cases_kind ON mod_cases(guild_id, kind, subject_id, created_at);
CREATE INDEX mod_cases_moderator ON mod_cases(moderator_id);
CREATE INDEX mod_cases_created ON mod_cases(guild_id, created_at);

-- Reports from members: a jump link's ids (never a copy of the message) and the reporter's reason.
CREATE TABLE mod_reports (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    number           INTEGER NOT NULL,
    reporter_id      INTEGER NOT NULL,
    subject_id       INTEGER NOT NULL,
    channel_id       INTEGER,
    message_id       INTEGER,
    reason           TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed', 'warned')),
    decided_by       INTEGER,
    decided_at       TEXT,
    queue_channel_id INTEGER,
    queue_message_id INTEGER,
    created_at       TEXT    NOT NULL,
    UNIQUE (guild_id, number)
);
CREATE UNIQUE INDEX mod_reports_once ON mod_reports(reporter_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX mod_reports_reporter ON mod_reports(guild_id, reporter_id, created_at);
CREATE INDEX mod_reports_created ON mod_reports(guild_id, created_at);

-- Appeals of a case; the member's text goes to the mod queue only, never into this table.
CREATE TABLE mod_appeals (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES mod_cases(id) ON DELETE CASCADE,
    guild_id         INTEGER NOT NULL,
    user_id          INTEGER NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'overturned')),
    decided_by       INTEGER,
    decided_at       TEXT,
    created_at       TEXT    NOT NULL
);
CREATE UNIQUE INDEX mod_appeals_one_open ON mod_appeals(case_id) WHERE status = 'open';
CREATE INDEX mod_appeals_user ON mod_appeals(user_id);

-- Escalation rules per server: `threshold` events of `kind` within `window_days` notify moderators.
-- A server without rows uses the defaults in bot/domain/moderation.py.
CREATE TABLE mod_escalation_rules (
    guild_id    INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    threshold   INTEGER NOT NULL CHECK (threshold BETWEEN 0 AND 100),  -- 0: marker row of an emptied table
    window_days INTEGER NOT NULL CHECK (window_days BETWEEN 1 AND 3650),
    PRIMARY KEY (guild_id, kind)
);
