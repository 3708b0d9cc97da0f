-- Trainings, second part: the Discord Scheduled Event that mirrors a training (when the creator asked for
-- one), and a ledger of reminder DMs already sent, so a fan-out interrupted by a crash resumes where it
-- stopped instead of walking every Going member again. The ledger holds ids and a time only.
ALTER TABLE trainings ADD COLUMN event_id INTEGER;

CREATE TABLE training_reminders_sent (
    timer_id    INTEGER NOT NULL,
    training_id INTEGER NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (timer_id, user_id)
);
CREATE INDEX training_reminders_sent_user ON training_reminders_sent (user_id);
