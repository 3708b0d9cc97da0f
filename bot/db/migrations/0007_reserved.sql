-- Placeholder so migrations stay numbered without gaps on the announce branch (which owns 0008).
-- Delete this file when the branch owning 0007 is merged.
SELECT 1;
