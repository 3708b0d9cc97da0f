-- A search ranks up to 1,000 full-text candidates and keeps those of one server that are approved. Checking
-- that through the table read each candidate's whole row (descriptions included); this index answers it from
-- (id, guild_id, status) alone, so whole rows are read only for the page shown.
CREATE INDEX resources_scope ON resources(id, guild_id, status);
