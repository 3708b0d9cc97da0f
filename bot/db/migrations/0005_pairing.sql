-- 0005_pairing: peer pairing ("Donut-style" networking). Opt-in only; avoid lists are confidential.
-- Times are UTC ISO-8601 text. The round schedule itself lives in `schedules` (key pairing:round:<guild>).

-- Who opted in, per server. Leaving deletes the row; a pause keeps it with paused_until in the future.
CREATE TABLE pairing_members (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    joined_at    TEXT    NOT NULL,
    paused_until TEXT,
    PRIMARY KEY (guild_id, user_id)
);

-- A member's own, confidential avoid list (symmetric in effect; the avoided member is never told).
CREATE TABLE pairing_avoids (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    avoided_id INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, avoided_id),
    CHECK (user_id <> avoided_id)
);
CREATE INDEX pairing_avoids_avoided ON pairing_avoids(guild_id, avoided_id);

-- One row per round; `key` makes creation idempotent (a retried timer or command finds its round).
CREATE TABLE pairing_rounds (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    key         TEXT    NOT NULL UNIQUE,
    channel_id  INTEGER NOT NULL,
    seed        INTEGER NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    started_at  TEXT    NOT NULL,
    finished_at TEXT
);
CREATE INDEX pairing_rounds_guild ON pairing_rounds(guild_id, started_at);

-- A pair or trio; `thread_id` is recorded as soon as the thread exists, so a retry never opens another.
CREATE TABLE pairing_groups (
    id          INTEGER PRIMARY KEY,
    round_id    INTEGER NOT NULL REFERENCES pairing_rounds(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    icebreaker  TEXT    NOT NULL,
    thread_id   INTEGER,
    status      TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'open', 'asked')),
    UNIQUE (round_id, position)
);

CREATE TABLE pairing_group_members (
    group_id INTEGER NOT NULL REFERENCES pairing_groups(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX pairing_group_members_user ON pairing_group_members(user_id);

-- Members a round could not place (told kindly by DM; `told_at` keeps a retry from telling twice).
CREATE TABLE pairing_unpaired (
    round_id INTEGER NOT NULL REFERENCES pairing_rounds(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL,
    told_at  TEXT,
    PRIMARY KEY (round_id, user_id)
);
CREATE INDEX pairing_unpaired_user ON pairing_unpaired(user_id);

-- "Did you connect?" — one answer per member per group (the latest click wins).
CREATE TABLE pairing_feedback (
    group_id    INTEGER NOT NULL REFERENCES pairing_groups(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    answer      TEXT    NOT NULL CHECK (answer IN ('yes', 'not_yet', 'skip')),
    answered_at TEXT    NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX pairing_feedback_user ON pairing_feedback(user_id);
