#include "tickets/schema.hpp"

namespace satupintu::tickets {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
    {8, "tickets, survey answers",
     R"sql(
-- The minimal ticket table (gateway/tickets); the Tickets issue extends it.
CREATE TABLE ticket (
  id            INTEGER PRIMARY KEY,
  code          TEXT    NOT NULL UNIQUE,
  type          TEXT    NOT NULL,
  status        TEXT    NOT NULL DEFAULT 'open',
  citizen_id    INTEGER NOT NULL,
  channel       TEXT    NOT NULL,
  category      TEXT    NOT NULL DEFAULT '',
  nik_hash      TEXT    NOT NULL DEFAULT '',
  nik_masked    TEXT    NOT NULL DEFAULT '',
  kk_hash       TEXT    NOT NULL DEFAULT '',
  kk_masked     TEXT    NOT NULL DEFAULT '',
  name          TEXT    NOT NULL DEFAULT '',
  birth_date    TEXT    NOT NULL DEFAULT '',
  village_code  TEXT    NOT NULL DEFAULT '',
  household     INTEGER NOT NULL DEFAULT 0,
  description   TEXT    NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE INDEX ticket_citizen ON ticket (citizen_id, created_at_ms);

CREATE TABLE survey_response (
  ticket_id   INTEGER PRIMARY KEY REFERENCES ticket (id),
  rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment     TEXT    NOT NULL DEFAULT '',
  answered_at_ms INTEGER NOT NULL
);
)sql"},
    {9, "ticket workflow: levels, claims, referrals, append-only history",
     R"sql(
-- The SLRT workflow's states (gateway/tickets/workflow.hpp) replace the minimal ones.
UPDATE ticket SET status = CASE status
  WHEN 'open' THEN 'received' WHEN 'in_progress' THEN 'verified' WHEN 'rejected' THEN 'closed'
  ELSE status END;
ALTER TABLE ticket ADD COLUMN level TEXT NOT NULL DEFAULT 'village';
ALTER TABLE ticket ADD COLUMN claimed_by INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket ADD COLUMN close_reason TEXT NOT NULL DEFAULT '';
-- The SLA clock (gateway/tickets/sla.hpp): when the present stage began, where the ticket
-- stands against its target, and when the SLA pass must look at it again (NULL: compute it).
ALTER TABLE ticket ADD COLUMN stage_at_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket ADD COLUMN sla TEXT NOT NULL DEFAULT 'on_time';
ALTER TABLE ticket ADD COLUMN sla_check_ms INTEGER;
UPDATE ticket SET stage_at_ms = created_at_ms;
CREATE INDEX ticket_sla_check ON ticket (sla_check_ms);
-- Queues: a region is a code prefix, so a range scan on village_code finds its tickets.
CREATE INDEX ticket_queue ON ticket (village_code, status);

-- One referral per programme of the catalogue, each with its own answer.
CREATE TABLE referral (
  ticket_id     INTEGER NOT NULL REFERENCES ticket (id),
  programme     TEXT    NOT NULL,
  status        TEXT    NOT NULL DEFAULT 'pending',
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, programme)
);

-- Every change of a ticket: who (0 = the citizen or the system), when, what, why.
CREATE TABLE ticket_event (
  id          INTEGER PRIMARY KEY,
  ticket_id   INTEGER NOT NULL REFERENCES ticket (id),
  at_ms       INTEGER NOT NULL,
  actor_id    INTEGER NOT NULL,
  action      TEXT    NOT NULL,
  from_status TEXT    NOT NULL,
  to_status   TEXT    NOT NULL,
  detail      TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_event_ticket ON ticket_event (ticket_id, id);
CREATE TRIGGER ticket_event_append_only_update BEFORE UPDATE ON ticket_event
BEGIN SELECT RAISE(ABORT, 'ticket history is append-only'); END;
CREATE TRIGGER ticket_event_append_only_delete BEFORE DELETE ON ticket_event
BEGIN SELECT RAISE(ABORT, 'ticket history is append-only'); END;
INSERT INTO ticket_event (ticket_id, at_ms, actor_id, action, from_status, to_status)
  SELECT id, created_at_ms, 0, 'open', '', status FROM ticket;
)sql"},
    {11, "programme catalogue, fast-track priority, registry snapshot at opening",
     R"sql(
-- The programmes a ticket can be referred to (gateway/tickets/catalogue.hpp). Names are the
-- programmes' official Indonesian names, data rather than interface text; an admin adds or
-- retires programmes (a retired one keeps its referrals).
CREATE TABLE programme (
  id         TEXT    PRIMARY KEY,
  name       TEXT    NOT NULL,
  short_name TEXT    NOT NULL,
  active     INTEGER NOT NULL DEFAULT 1,
  sort       INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO programme (id, name, short_name, sort) VALUES
  ('pkh', 'Program Keluarga Harapan', 'PKH', 10),
  ('sembako', 'Program Sembako (BPNT)', 'Sembako', 20),
  ('pbi_jk', 'Penerima Bantuan Iuran Jaminan Kesehatan', 'PBI-JK', 30),
  ('pip', 'Program Indonesia Pintar', 'PIP', 40),
  ('rutilahu', 'Rehabilitasi Rumah Tidak Layak Huni', 'Rutilahu', 50),
  ('atensi', 'Asistensi Rehabilitasi Sosial', 'ATENSI', 60),
  ('jamkesda', 'Jaminan Kesehatan Daerah', 'Jamkesda', 70),
  ('bencana', 'Bantuan Korban Bencana', 'Bencana', 80),
  ('adminduk', 'Layanan Administrasi Kependudukan (Disdukcapil)', 'Adminduk', 90);

-- Fast track (workflow.hpp Priority): '' none, or pregnant, elderly, disability, violence.
ALTER TABLE ticket ADD COLUMN priority TEXT NOT NULL DEFAULT '';
-- What the registry said about the NIK when the ticket was opened (JSON; no NIK, no name):
-- the office sees the situation the citizen complained about, not only today's snapshot.
ALTER TABLE ticket ADD COLUMN registry_snapshot TEXT NOT NULL DEFAULT '{}';
CREATE INDEX ticket_priority ON ticket (priority) WHERE priority <> '';
-- How many SLA targets the ticket missed (sla.cpp), for the compliance report; `sla` itself
-- goes back to on_time when the next stage starts.
ALTER TABLE ticket ADD COLUMN sla_breaches INTEGER NOT NULL DEFAULT 0;
UPDATE ticket SET sla_breaches =
  (SELECT COUNT(*) FROM ticket_event e WHERE e.ticket_id = ticket.id AND e.action = 'sla_breach');
-- Reports (tickets/reports.hpp) read a region's tickets of a period from this index alone.
CREATE INDEX ticket_report ON ticket
  (village_code, created_at_ms, type, category, status, sla_breaches);
)sql"},
    {13, "queue index of the open tickets, index of resolve events",
     R"sql(
-- Queues (tickets/cases.cpp Queue): the open tickets, a few percent of a store, in id order
-- with every column a queue filters on, so a page of a village's, a kecamatan's or the
-- regency's open tickets is found in this index and only the rows shown are read.
CREATE INDEX ticket_open ON ticket
  (id, village_code, status, level, claimed_by, sla, priority, category)
  WHERE status <> 'closed';
-- The yearly recap (tickets/reports.cpp RecapByType) asks of every closed ticket whether it was
-- resolved first: one probe into this small index instead of reading the ticket's history.
CREATE INDEX ticket_event_resolve ON ticket_event (ticket_id) WHERE action = 'resolve';
)sql"},
    {14, "daily report counts kept by triggers",
     R"sql(
-- When a ticket was first referred and first resolved: what the yearly recap asks of a closed
-- ticket, on its row. Set by the triggers below whatever code writes the referral or event.
ALTER TABLE ticket ADD COLUMN referred_at_ms INTEGER;
ALTER TABLE ticket ADD COLUMN resolved_at_ms INTEGER;
UPDATE ticket SET referred_at_ms = (SELECT MIN(e.at_ms) FROM ticket_event e
  WHERE e.ticket_id = ticket.id AND e.action = 'refer')
  WHERE id IN (SELECT ticket_id FROM referral);
UPDATE ticket SET referred_at_ms = (SELECT MIN(r.updated_at_ms) FROM referral r
  WHERE r.ticket_id = ticket.id)
  WHERE referred_at_ms IS NULL AND id IN (SELECT ticket_id FROM referral);
UPDATE ticket SET resolved_at_ms = (SELECT MIN(e.at_ms) FROM ticket_event e
  WHERE e.ticket_id = ticket.id AND e.action = 'resolve')
  WHERE id IN (SELECT ticket_id FROM ticket_event WHERE action = 'resolve');
CREATE TRIGGER referral_marks_ticket AFTER INSERT ON referral BEGIN
  UPDATE ticket SET referred_at_ms = NEW.updated_at_ms
  WHERE id = NEW.ticket_id AND referred_at_ms IS NULL;
END;
CREATE TRIGGER resolve_marks_ticket AFTER INSERT ON ticket_event WHEN NEW.action = 'resolve'
BEGIN
  UPDATE ticket SET resolved_at_ms = NEW.at_ms WHERE id = NEW.ticket_id AND resolved_at_ms IS NULL;
END;

-- Regency-wide reports (tickets/reports.hpp) read these daily counts instead of a million
-- tickets. A day is the office's calendar day: `report_clock` holds the time zone they were
-- counted in, NULL until tickets::PrepareReports counted them (the gateway does at start, and
-- again if tickets.utc_offset_minutes changes). Until then the triggers do nothing and the
-- reports read the tickets. Rows whose counts fall to zero stay; the reports skip them.
CREATE TABLE report_clock (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  utc_offset_ms INTEGER
);
INSERT INTO report_clock (id, utc_offset_ms) VALUES (1, NULL);
-- By regency ("32.06"), opening day, type and category: the weekly chart and the yearly recap.
CREATE TABLE report_day (
  regency  TEXT    NOT NULL,
  day      INTEGER NOT NULL,
  type     TEXT    NOT NULL,
  category TEXT    NOT NULL,
  received INTEGER NOT NULL,
  referred INTEGER NOT NULL,
  resolved INTEGER NOT NULL,
  closed   INTEGER NOT NULL,
  open     INTEGER NOT NULL,
  PRIMARY KEY (regency, day, type, category)
) WITHOUT ROWID;
-- By kecamatan ("32.06.05") and opening day: SLA compliance.
CREATE TABLE report_sla (
  kecamatan TEXT    NOT NULL,
  day       INTEGER NOT NULL,
  tickets   INTEGER NOT NULL,
  finished  INTEGER NOT NULL,
  on_time   INTEGER NOT NULL,
  breached  INTEGER NOT NULL,
  PRIMARY KEY (kecamatan, day)
) WITHOUT ROWID;
-- By the ticket's regency, day of the (last) answer and rating: the IKM.
CREATE TABLE report_rating (
  regency   TEXT    NOT NULL,
  day       INTEGER NOT NULL,
  rating    INTEGER NOT NULL,
  responses INTEGER NOT NULL,
  PRIMARY KEY (regency, day, rating)
) WITHOUT ROWID;

-- What one ticket adds to the counts: the one definition the triggers and PrepareReports use.
CREATE VIEW report_fact AS SELECT id,
  substr(village_code, 1, 5) AS regency,
  substr(village_code, 1, 8) AS kecamatan,
  (created_at_ms + (SELECT utc_offset_ms FROM report_clock)) / 86400000 AS day,
  type, category,
  referred_at_ms IS NOT NULL AS referred,
  status = 'resolved' OR (status = 'closed' AND resolved_at_ms IS NOT NULL) AS resolved,
  status = 'closed' AS closed,
  status NOT IN ('resolved', 'closed') AS open,
  status IN ('resolved', 'closed') AS finished,
  status IN ('resolved', 'closed') AND sla_breaches = 0 AS on_time,
  sla_breaches > 0 AS breached
FROM ticket;
CREATE VIEW report_rating_fact AS SELECT r.ticket_id,
  substr(t.village_code, 1, 5) AS regency,
  (r.answered_at_ms + (SELECT utc_offset_ms FROM report_clock)) / 86400000 AS day,
  r.rating
FROM survey_response r JOIN ticket t ON t.id = r.ticket_id;

-- A ticket's facts added (sign 1) to the counts or taken out (-1).
CREATE VIEW report_change AS SELECT 0 AS sign, * FROM report_fact WHERE 0;
CREATE TRIGGER report_change_apply INSTEAD OF INSERT ON report_change BEGIN
  INSERT INTO report_day VALUES (NEW.regency, NEW.day, NEW.type, NEW.category, NEW.sign,
    NEW.sign * NEW.referred, NEW.sign * NEW.resolved, NEW.sign * NEW.closed, NEW.sign * NEW.open)
  ON CONFLICT DO UPDATE SET received = received + excluded.received,
    referred = referred + excluded.referred, resolved = resolved + excluded.resolved,
    closed = closed + excluded.closed, open = open + excluded.open;
  INSERT INTO report_sla VALUES (NEW.kecamatan, NEW.day, NEW.sign, NEW.sign * NEW.finished,
    NEW.sign * NEW.on_time, NEW.sign * NEW.breached)
  ON CONFLICT DO UPDATE SET tickets = tickets + excluded.tickets,
    finished = finished + excluded.finished, on_time = on_time + excluded.on_time,
    breached = breached + excluded.breached;
  -- Its survey answer counts under its regency: moved if a correction moves the ticket.
  INSERT INTO report_rating SELECT regency, day, rating, NEW.sign FROM report_rating_fact
  WHERE ticket_id = NEW.id ON CONFLICT DO UPDATE SET responses = responses + excluded.responses;
END;

CREATE TRIGGER ticket_report_insert AFTER INSERT ON ticket
WHEN (SELECT utc_offset_ms FROM report_clock) IS NOT NULL BEGIN
  INSERT INTO report_change SELECT 1, * FROM report_fact WHERE id = NEW.id;
END;
CREATE TRIGGER ticket_report_delete BEFORE DELETE ON ticket
WHEN (SELECT utc_offset_ms FROM report_clock) IS NOT NULL BEGIN
  INSERT INTO report_change SELECT -1, * FROM report_fact WHERE id = OLD.id;
END;
-- An update takes the old facts out before and puts the new ones in after; most actions
-- (claim, verify, forward, notes) change no fact, and the WHEN skips them.
CREATE TRIGGER ticket_report_update_before BEFORE UPDATE OF village_code, created_at_ms, type,
  category, status, sla_breaches, referred_at_ms, resolved_at_ms ON ticket
WHEN (SELECT utc_offset_ms FROM report_clock) IS NOT NULL
  AND (OLD.village_code, OLD.created_at_ms, OLD.type, OLD.category, OLD.status IN ('resolved',
    'closed'), OLD.status = 'closed', OLD.sla_breaches > 0, OLD.referred_at_ms IS NULL,
    OLD.resolved_at_ms IS NULL)
  IS NOT (NEW.village_code, NEW.created_at_ms, NEW.type, NEW.category, NEW.status IN ('resolved',
    'closed'), NEW.status = 'closed', NEW.sla_breaches > 0, NEW.referred_at_ms IS NULL,
    NEW.resolved_at_ms IS NULL) BEGIN
  INSERT INTO report_change SELECT -1, * FROM report_fact WHERE id = OLD.id;
END;
CREATE TRIGGER ticket_report_update_after AFTER UPDATE OF village_code, created_at_ms, type,
  category, status, sla_breaches, referred_at_ms, resolved_at_ms ON ticket
WHEN (SELECT utc_offset_ms FROM report_clock) IS NOT NULL
  AND (OLD.village_code, OLD.created_at_ms, OLD.type, OLD.category, OLD.status IN ('resolved',
    'closed'), OLD.status = 'closed', OLD.sla_breaches > 0, OLD.referred_at_ms IS NULL,
    OLD.resolved_at_ms IS NULL)
  IS NOT (NEW.village_code, NEW.created_at_ms, NEW.type, NEW.category, NEW.status IN ('resolved',
    'closed'), NEW.status = 'closed', NEW.sla_breaches > 0, NEW.referred_at_ms IS NULL,
    NEW.resolved_at_ms IS NULL) BEGIN
  INSERT INTO report_change SELECT 1, * FROM report_fact WHERE id = NEW.id;
END;

CREATE TRIGGER survey_report_insert AFTER INSERT ON survey_response
WHEN (SELECT utc_offset_ms FROM report_clock) IS NOT NULL BEGIN
  INSERT INTO report_rating SELECT regency, day, rating, 1 FROM report_rating_fact
  WHERE ticket_id = NEW.ticket_id ON CONFLICT DO UPDATE SET responses = responses + 1;
END;
CREATE TRIGGER survey_report_delete BEFORE DELETE ON survey_response
WHEN (SELECT utc_offset_ms FROM report_clock) IS NOT NULL BEGIN
  UPDATE report_rating SET responses = responses - 1 FROM report_rating_fact f
  WHERE f.ticket_id = OLD.ticket_id AND report_rating.regency = f.regency
    AND report_rating.day = f.day AND report_rating.rating = f.rating;
END;
CREATE TRIGGER survey_report_update_before BEFORE UPDATE OF rating, answered_at_ms
  ON survey_response WHEN (SELECT utc_offset_ms FROM report_clock) IS NOT NULL BEGIN
  UPDATE report_rating SET responses = responses - 1 FROM report_rating_fact f
  WHERE f.ticket_id = OLD.ticket_id AND report_rating.regency = f.regency
    AND report_rating.day = f.day AND report_rating.rating = f.rating;
END;
CREATE TRIGGER survey_report_update_after AFTER UPDATE OF rating, answered_at_ms
  ON survey_response WHEN (SELECT utc_offset_ms FROM report_clock) IS NOT NULL BEGIN
  INSERT INTO report_rating SELECT regency, day, rating, 1 FROM report_rating_fact
  WHERE ticket_id = NEW.ticket_id ON CONFLICT DO UPDATE SET responses = responses + 1;
END;
)sql"},
    {16, "every ticket has a region someone answers for",
     R"sql(
-- A ticket opened without a village (an unknown NIK's one-shot complaint, a request for an
-- officer) was in nobody's queue. Those already stored go to the village of their registry
-- situation, else to the regency most tickets belong to (its secretariat places them), else to
-- the holding region "00" the gateway's start moves to the configured regency
-- (tickets::PlaceOrphans). New ones cannot lack a region.
UPDATE ticket SET village_code = COALESCE(
  NULLIF(json_extract(registry_snapshot, '$.village_code'), ''),
  (SELECT substr(village_code, 1, 5) FROM ticket WHERE village_code <> ''
   GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1),
  '00')
WHERE village_code = '';
CREATE TRIGGER ticket_region_required BEFORE INSERT ON ticket WHEN NEW.village_code = ''
BEGIN SELECT RAISE(ABORT, 'a ticket needs a region'); END;
CREATE TRIGGER ticket_region_kept BEFORE UPDATE OF village_code ON ticket
WHEN NEW.village_code = ''
BEGIN SELECT RAISE(ABORT, 'a ticket needs a region'); END;
)sql"},
    {17, "complaint categories as data the administrator keeps",
     R"sql(
-- The categories a citizen chooses from (tickets/catalogue.hpp). The gateway's start adds those
-- of dialogs/categories.json that are missing (label_key: their locales/ key); an administrator
-- adds more with their labels per language (labels: JSON {"id": ..., "en": ...}, which replace
-- the key), renames and retires. A retired category stays on its tickets and is not offered.
CREATE TABLE complaint_category (
  id        TEXT    PRIMARY KEY,
  label_key TEXT    NOT NULL DEFAULT '',
  labels    TEXT    NOT NULL DEFAULT '{}',
  active    INTEGER NOT NULL DEFAULT 1,
  sort      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- A programme manager's queue and the referrals of one programme.
CREATE INDEX referral_programme ON referral (programme, ticket_id);
)sql"},
    {18, "anonymised tickets",
     R"sql(
-- A ticket past retention or erased on request is anonymised (tickets/anonymise.hpp): its
-- personal fields are cleared and this is set, so it is done once. The figures are untouched.
ALTER TABLE ticket ADD COLUMN anonymised_at_ms INTEGER;
-- The retention purge (gateway/privacy) finds closed tickets not anonymised yet by their last
-- change, which is their closure or later.
CREATE INDEX ticket_closed_to_anonymise ON ticket (updated_at_ms)
  WHERE status = 'closed' AND anonymised_at_ms IS NULL;
-- The history stays append-only with one exception: an anonymised ticket's events lose an
-- officer's free-text note (detail's "note"), nothing else of them changes.
DROP TRIGGER ticket_event_append_only_update;
CREATE TRIGGER ticket_event_append_only_update BEFORE UPDATE ON ticket_event
WHEN NOT ((SELECT anonymised_at_ms FROM ticket WHERE id = OLD.ticket_id) IS NOT NULL
  AND NEW.id IS OLD.id AND NEW.ticket_id IS OLD.ticket_id AND NEW.at_ms IS OLD.at_ms
  AND NEW.actor_id IS OLD.actor_id AND NEW.action IS OLD.action
  AND NEW.from_status IS OLD.from_status AND NEW.to_status IS OLD.to_status
  AND json_valid(OLD.detail) AND NEW.detail IS json_remove(OLD.detail, '$.note'))
BEGIN SELECT RAISE(ABORT, 'ticket history is append-only'); END;
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::tickets
