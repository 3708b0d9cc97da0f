-- "When does this schedule fire next?" looked for the schedule's live timer by scanning every timer: about
-- 40 ms with 100,000 pending rows, four times at each start-up (the daily sweeps and the backup) and once per
-- recurring schedule change. An index on the live rows of each schedule makes it a single look-up.
CREATE INDEX timers_schedule_live ON timers(schedule_id, due_at) WHERE status IN ('pending', 'running');
