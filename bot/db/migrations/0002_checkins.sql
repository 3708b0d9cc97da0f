-- 0002_checkins: self-care check-ins, their scheduled prompts, and check-in buddies.
-- Everything here is private to its member: only aggregates (>= 5 respondents) leave it.

-- One row per member who ever set a schedule, a pause or buddy preferences.
CREATE TABLE checkin_members (
    user_id           INTEGER PRIMARY KEY,
    guild_id          INTEGER,                -- server the schedule was set in (crisis text, summary)
    cadence           TEXT    NOT NULL DEFAULT 'off'
                      CHECK (cadence IN ('off', 'daily', 'weekdays', 'weekly')),
    at_local          TEXT    CHECK (at_local IS NULL OR length(at_local) = 5),   -- "HH:MM" in tz
    weekday           INTEGER CHECK (weekday IS NULL OR weekday BETWEEN 0 AND 6),
    tz                TEXT,
    paused_until      TEXT,
    tell_buddy_low    INTEGER NOT NULL DEFAULT 0 CHECK (tell_buddy_low IN (0, 1)),
    tell_buddy_missed INTEGER NOT NULL DEFAULT 0 CHECK (tell_buddy_missed BETWEEN 0 AND 14),
    missed_in_row     INTEGER NOT NULL DEFAULT 0 CHECK (missed_in_row >= 0),
    buddy_told_at     TEXT,
    updated_at        TEXT    NOT NULL
);

-- One row per scheduled prompt actually due (keyed by the timer firing, so a re-run finds it again).
CREATE TABLE checkin_prompts (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    guild_id   INTEGER,
    timer_id   INTEGER NOT NULL UNIQUE,
    due_at     TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    sent_at    TEXT,
    late       INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    status     TEXT    NOT NULL DEFAULT 'open'
               CHECK (status IN ('open', 'answered', 'missed', 'undelivered', 'closed')),
    nudged_at  TEXT
);
CREATE INDEX checkin_prompts_user ON checkin_prompts(user_id, status);

CREATE TABLE checkins (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    guild_id   INTEGER,
    mood       INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
    note       TEXT    CHECK (note IS NULL OR length(note) <= 1000),
    prompt_id  INTEGER REFERENCES checkin_prompts(id) ON DELETE SET NULL,
    local_date TEXT    NOT NULL,              -- the member's calendar day when answering (streaks)
    created_at TEXT    NOT NULL
);
CREATE INDEX checkins_user ON checkins(user_id, created_at);
CREATE INDEX checkins_guild ON checkins(guild_id, created_at);
CREATE UNIQUE INDEX checkins_one_per_prompt ON checkins(prompt_id) WHERE prompt_id IS NOT NULL;

-- A buddy link: pending until the invitee accepts; one link per pair, one active buddy per member.
CREATE TABLE checkin_buddies (
    id          INTEGER PRIMARY KEY,
    inviter_id  INTEGER NOT NULL,
    invitee_id  INTEGER NOT NULL CHECK (invitee_id <> inviter_id),
    guild_id    INTEGER,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'active')),
    created_at  TEXT    NOT NULL,
    accepted_at TEXT
);
CREATE UNIQUE INDEX checkin_buddies_pair ON checkin_buddies(min(inviter_id, invitee_id), max(inviter_id, invitee_id));
CREATE INDEX checkin_buddies_inviter ON checkin_buddies(inviter_id, status);
CREATE INDEX checkin_buddies_invitee ON checkin_buddies(invitee_id, status);
