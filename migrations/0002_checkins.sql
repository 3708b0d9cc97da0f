-- 0002_checkins: reserved; filled in by its feature (kept numbered so migrations have no gaps).
SELECT 1;
