-- 0003_continuing_education: reserved; filled in by its feature (kept numbered so migrations have no gaps).
SELECT 1;
