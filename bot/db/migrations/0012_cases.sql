-- Case threads: when each one last saw a reply (so idle open threads can be closed like /case close)
-- and when it was closed (so a thread is closed, and its deletion scheduled, once). Ids and times only.
ALTER TABLE case_threads ADD COLUMN last_activity_at TEXT;
ALTER TABLE case_threads ADD COLUMN closed_at TEXT;
CREATE INDEX case_threads_open ON case_threads (closed_at, last_activity_at);
