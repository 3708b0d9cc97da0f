-- 0003_continuing_education: CE templates (built-in and per server), members' credentials and CE entries.
-- Hours are stored as integer quarter-hours (1.5 h = 6) so sums are exact; dates are ISO 'YYYY-MM-DD' text.

CREATE TABLE ce_templates (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER,                          -- NULL: built into Harbor (cannot be removed)
    name           TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    cycle_months   INTEGER NOT NULL CHECK (cycle_months BETWEEN 1 AND 120),
    total_quarters INTEGER NOT NULL CHECK (total_quarters > 0 AND total_quarters <= 16000),
    window_days    INTEGER NOT NULL DEFAULT 90 CHECK (window_days BETWEEN 0 AND 730),
    expires_md     TEXT    CHECK (expires_md IS NULL OR expires_md GLOB '[01][0-9]-[0-3][0-9]'),  -- fixed expiry day
    source_url     TEXT    CHECK (source_url IS NULL OR length(source_url) <= 300),
    last_verified  TEXT,                             -- when the figures were last checked against the source
    note           TEXT    NOT NULL DEFAULT 'Verify with your board: requirements change.',
    created_at     TEXT    NOT NULL
);
CREATE UNIQUE INDEX ce_templates_name ON ce_templates(ifnull(guild_id, 0), lower(name));

CREATE TABLE ce_template_categories (
    template_id INTEGER NOT NULL REFERENCES ce_templates(id) ON DELETE CASCADE,
    category    TEXT    NOT NULL,
    quarters    INTEGER NOT NULL CHECK (quarters > 0),
    PRIMARY KEY (template_id, category)
);

-- A member's credential; its current cycle ends on expires_on. The number is the member's private data.
CREATE TABLE ce_credentials (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    guild_id    INTEGER NOT NULL,                    -- where it was added: that server's reminder lead days apply
    template_id INTEGER NOT NULL REFERENCES ce_templates(id) ON DELETE RESTRICT,
    expires_on  TEXT    NOT NULL CHECK (expires_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    number      TEXT    CHECK (number IS NULL OR length(number) <= 64),
    created_at  TEXT    NOT NULL
);
CREATE INDEX ce_credentials_user ON ce_credentials(user_id);
CREATE INDEX ce_credentials_template ON ce_credentials(template_id);
CREATE INDEX ce_credentials_guild ON ce_credentials(guild_id);

-- One completed activity; it counts toward every credential of the member whose cycle contains its date.
CREATE TABLE ce_entries (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL,
    title           TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    provider        TEXT    CHECK (provider IS NULL OR length(provider) <= 200),
    completed_on    TEXT    NOT NULL CHECK (completed_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    quarters        INTEGER NOT NULL CHECK (quarters > 0 AND quarters <= 160),
    category        TEXT    NOT NULL DEFAULT 'general' CHECK (length(category) BETWEEN 1 AND 40),
    certificate_url TEXT    CHECK (certificate_url IS NULL OR length(certificate_url) <= 1000),
    created_at      TEXT    NOT NULL
);
CREATE INDEX ce_entries_user_date ON ce_entries(user_id, completed_on, category, quarters);

-- The lead days each server's reminders were last planned with, to notice `/setup reminders` changes.
CREATE TABLE ce_guild_plans (
    guild_id  INTEGER PRIMARY KEY,
    lead_days TEXT    NOT NULL
);

-- Built-in templates, checked on 2026-11-22 against copies of the sources named here. Boards change their rules:
-- every template says "verify with your board". PCB accepts renewals from 3 months before expiry (window 90 days);
-- the other boards publish no window, so 90 days is Harbor's default there.
INSERT INTO ce_templates (name, cycle_months, total_quarters, window_days, expires_md, source_url, last_verified,
                          note, created_at) VALUES
    ('PA CRS', 24, 120, 90, NULL, 'https://www.pacertboard.org/recertification-information', '2026-11-22',
     'Pennsylvania Certification Board, Certified Recovery Specialist: 30 h per 2-year cycle incl. 6 ethics and'
     || ' 3 confidentiality; renew from 3 months before expiry. Verify with your board: requirements change.',
     '2026-11-22T00:00:00+00:00'),
    ('PA CFRS', 24, 120, 90, NULL, 'https://www.pacertboard.org/recertification-information', '2026-11-22',
     'Pennsylvania Certification Board, Certified Family Recovery Specialist: 30 h per 2-year cycle incl. 6 ethics'
     || ' and 3 confidentiality; renew from 3 months before expiry. Verify with your board: requirements change.',
     '2026-11-22T00:00:00+00:00'),
    ('PA CPS', 24, 144, 90, NULL, 'https://www.pacertboard.org/recertification-information', '2026-11-22',
     'Pennsylvania Certification Board, Certified Peer Specialist: 36 h per 2-year cycle incl. 24 specific to peer'
     || ' support or recovery practice and 3 ethics. Verify with your board: requirements change.',
     '2026-11-22T00:00:00+00:00'),
    ('MT CBHPSS', 12, 80, 90, '12-31', 'https://mtpeernetwork.org/peer-support-division/', '2026-11-22',
     'Montana Board of Behavioral Health, Certified Behavioral Health Peer Support Specialist: 20 h per year'
     || ' (fewer if first certified after July 1); certificates expire Dec 31. Verify with your board:'
     || ' requirements change.', '2026-11-22T00:00:00+00:00'),
    ('NAADAC NCAC I', 24, 160, 90, NULL, 'https://www.naadac.org/certification/re-certification', '2026-11-22',
     'NAADAC / NCC AP National Certified Addiction Counselor, Level I: 40 contact hours per 2-year cycle (older'
     || ' guidance: 20 of them specific to addiction counseling). Verify with your board: requirements change.',
     '2026-11-22T00:00:00+00:00'),
    ('NAADAC NCAC II', 24, 160, 90, NULL, 'https://www.naadac.org/certification/re-certification', '2026-11-22',
     'NAADAC / NCC AP National Certified Addiction Counselor, Level II: 40 contact hours per 2-year cycle (older'
     || ' guidance: 20 of them specific to addiction counseling). Verify with your board: requirements change.',
     '2026-11-22T00:00:00+00:00');

INSERT INTO ce_template_categories (template_id, category, quarters)
SELECT id, 'ethics', 24 FROM ce_templates WHERE guild_id IS NULL AND name IN ('PA CRS', 'PA CFRS')
UNION ALL
SELECT id, 'confidentiality', 12 FROM ce_templates WHERE guild_id IS NULL AND name IN ('PA CRS', 'PA CFRS')
UNION ALL
SELECT id, 'peer-specific', 96 FROM ce_templates WHERE guild_id IS NULL AND name = 'PA CPS'
UNION ALL
SELECT id, 'ethics', 12 FROM ce_templates WHERE guild_id IS NULL AND name = 'PA CPS';
