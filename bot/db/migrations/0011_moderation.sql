-- 0011_moderation: a report's free text goes to the mod queue only, like an appeal's; the table keeps
-- ids, status and the queue card's position. Members' words about other people are not stored.
ALTER TABLE mod_reports DROP COLUMN reason;

-- Cases overturned on appeal are looked up per case (history pages, escalation counts).
CREATE INDEX mod_appeals_case ON mod_appeals(case_id, status);
