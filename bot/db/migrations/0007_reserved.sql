-- Placeholder so migrations stay numbered without gaps on the moderation branch (which owns 0009).
-- Delete this file when the branch owning 0007 is merged.
SELECT 1;
