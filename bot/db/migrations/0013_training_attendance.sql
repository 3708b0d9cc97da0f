-- Attendance codes, attendance, certificates of attendance and Harbor's own certificate storage.

-- A training's attendance codes: one live code (retired_at NULL) and the ones it replaced, so a member who
-- types a rotated code is told it was replaced rather than "unknown". Codes are unique per server.
CREATE TABLE training_codes (
    guild_id    INTEGER NOT NULL,
    code        TEXT    NOT NULL CHECK (length(code) BETWEEN 4 AND 12),
    training_id INTEGER NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    created_at  TEXT    NOT NULL,
    retired_at  TEXT,
    PRIMARY KEY (guild_id, code)
);
CREATE INDEX training_codes_training ON training_codes (training_id, retired_at);

-- Who attended. The credit columns are filled in one transaction with the CE entry and the certificate file,
-- so a crash leaves an attendee either fully credited or not at all; dm_at records the certificate DM.
CREATE TABLE training_attendance (
    training_id    INTEGER NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL,
    method         TEXT    NOT NULL CHECK (method IN ('code', 'trainer')),
    marked_by      INTEGER NOT NULL,
    marked_at      TEXT    NOT NULL,
    credited_at    TEXT,
    verify_code    TEXT    UNIQUE,
    display_name   TEXT    CHECK (display_name IS NULL OR length(display_name) <= 100),
    ce_entry_id    INTEGER,
    certificate_id INTEGER,
    dm_at          TEXT,
    PRIMARY KEY (training_id, user_id)
);
CREATE INDEX training_attendance_user ON training_attendance (user_id);

-- Certificate files kept by Harbor (Discord attachment URLs expire): uploads with `/ce log` and the PDFs
-- trainings generate. In the database file, so `harbor backup` copies them. 8 MiB per file at most.
CREATE TABLE certificate_files (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL,
    ce_entry_id  INTEGER REFERENCES ce_entries (id) ON DELETE CASCADE,
    origin       TEXT    NOT NULL CHECK (origin IN ('upload', 'training')),
    filename     TEXT    NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL CHECK (size BETWEEN 1 AND 8388608),
    sha256       TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX certificate_files_user ON certificate_files (user_id, size);
CREATE UNIQUE INDEX certificate_files_entry ON certificate_files (ce_entry_id) WHERE ce_entry_id IS NOT NULL;

-- Where an entry came from when Harbor logged it ('training:<id>'); unique per member, so a training's credit
-- re-run after a crash can never log a second entry.
ALTER TABLE ce_entries ADD COLUMN source TEXT;
CREATE UNIQUE INDEX ce_entries_source ON ce_entries (user_id, source) WHERE source IS NOT NULL;
