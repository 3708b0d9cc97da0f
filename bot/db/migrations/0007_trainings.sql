-- Trainings: one row per announced training, one RSVP row per member and training.
-- The announcement's counts are always recomputed from training_rsvps, so they are right after a restart.
CREATE TABLE trainings (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    trainer_id  INTEGER NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_at   TEXT NOT NULL,
    minutes     INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 720),
    ce_hours    REAL NOT NULL DEFAULT 0,
    ce_category TEXT NOT NULL DEFAULT '',
    location    TEXT NOT NULL DEFAULT '',
    capacity    INTEGER CHECK (capacity IS NULL OR capacity > 0),
    channel_id  INTEGER,
    message_id  INTEGER,
    sequence    INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled', 'ended')),
    created_at  TEXT NOT NULL
);
CREATE INDEX trainings_guild_start ON trainings (guild_id, starts_at);

-- answer: going, maybe, no, or waitlist; seq orders the waitlist by click (a new answer takes a new seq).
CREATE TABLE training_rsvps (
    training_id INTEGER NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    answer      TEXT NOT NULL CHECK (answer IN ('going', 'maybe', 'no', 'waitlist')),
    seq         INTEGER NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (training_id, user_id)
);
CREATE INDEX training_rsvps_order ON training_rsvps (training_id, answer, seq);
