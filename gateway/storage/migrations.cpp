#include "storage/migrations.hpp"
#include "core/clock.hpp"

#include <chrono>
#include <string>

namespace satupintu::storage {
namespace {

constexpr Migration kMigrations[] = {
    {1, "inbound journal",
     R"sql(
CREATE TABLE inbound_journal (
  id             INTEGER PRIMARY KEY,
  channel        TEXT    NOT NULL,
  provider_id    TEXT    NOT NULL,
  received_at_ms INTEGER NOT NULL,
  request_id     TEXT    NOT NULL,
  payload        BLOB    NOT NULL,
  -- No index on state: every index costs each insert on the hottest write path. Consumers
  -- walk the journal by id (a cursor), which the primary key already orders.
  state          TEXT    NOT NULL DEFAULT 'new',
  UNIQUE (channel, provider_id)
);
CREATE TABLE store_heartbeat (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  at_ms      INTEGER NOT NULL
);
INSERT INTO store_heartbeat (id, at_ms) VALUES (1, 0);
)sql"},
    {2, "outbox",
     R"sql(
CREATE TABLE outbox_message (
  id            INTEGER PRIMARY KEY,
  message_key   TEXT    NOT NULL UNIQUE,  -- idempotency key of the logical message
  channel       TEXT    NOT NULL,
  address       TEXT    NOT NULL,
  priority      INTEGER NOT NULL,         -- 0 reply to a citizen, 1 notification, 2 bulk
  in_flight_policy TEXT NOT NULL,         -- after a crash: 'resend' or 'hold'
  body          TEXT    NOT NULL,         -- the OutboundMessage as JSON (choices, template)
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL          -- transient failures retry until then
);
CREATE TABLE outbox_part (
  id                  INTEGER PRIMARY KEY,
  message_id          INTEGER NOT NULL REFERENCES outbox_message (id),
  seq                 INTEGER NOT NULL,
  total               INTEGER NOT NULL,
  part_key            TEXT    NOT NULL UNIQUE,  -- "<message_key>.<seq>": idempotency key sent to peers
  text                TEXT    NOT NULL,
  state               TEXT    NOT NULL,
  attempts            INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms  INTEGER NOT NULL,
  provider_message_id TEXT,
  last_error          TEXT,
  updated_at_ms       INTEGER NOT NULL,
  UNIQUE (message_id, seq)
);
-- Only queued parts are looked for by due time; the partial index stays small.
CREATE INDEX outbox_part_due ON outbox_part (next_attempt_at_ms) WHERE state = 'queued';
CREATE INDEX outbox_part_in_flight ON outbox_part (id) WHERE state = 'in_flight';
CREATE INDEX outbox_part_provider ON outbox_part (provider_message_id)
  WHERE provider_message_id IS NOT NULL;
)sql"},
    {3, "citizens",
     R"sql(
-- One citizen, several addresses. An address is what the adapters produce: E.164 digits for
-- a phone number (a WhatsApp wa_id and an SMS sender of one number are one address) or
-- "tg:<chat id>" for Telegram.
CREATE TABLE citizen (
  id            INTEGER PRIMARY KEY,
  created_at_ms INTEGER NOT NULL,
  language      TEXT,                              -- NULL until the citizen chooses one
  -- Set when this citizen was merged into another (a Telegram chat shared the phone number
  -- of a known citizen): it then owns no address, and ids kept elsewhere resolve through it.
  -- Always points at a citizen that is not merged itself (chains are flattened).
  merged_into   INTEGER REFERENCES citizen (id)
);
CREATE TABLE citizen_address (
  address         TEXT    PRIMARY KEY,
  citizen_id      INTEGER NOT NULL REFERENCES citizen (id),
  kind            TEXT    NOT NULL CHECK (kind IN ('phone', 'telegram')),
  created_at_ms   INTEGER NOT NULL,
  opted_out_at_ms INTEGER                          -- NULL: we may write to this address
) WITHOUT ROWID;
CREATE INDEX citizen_address_citizen ON citizen_address (citizen_id);
-- The last time an address wrote to one of our channels ("whatsapp:wa-main"): the shared
-- sender reads it for WhatsApp's 24-hour customer-service window.
CREATE TABLE address_channel (
  address            TEXT    NOT NULL REFERENCES citizen_address (address),
  channel            TEXT    NOT NULL,
  last_inbound_at_ms INTEGER NOT NULL,
  PRIMARY KEY (address, channel)
) WITHOUT ROWID;
)sql"},
    {4, "channel log",
     R"sql(
-- Every HTTP exchange with a peer, redacted before it is stored; pruned by age.
CREATE TABLE channel_log (
  id              INTEGER PRIMARY KEY,
  at_ms           INTEGER NOT NULL,
  channel         TEXT    NOT NULL,
  part_key        TEXT    NOT NULL DEFAULT '',     -- our outbox part key, "" when none
  direction       TEXT    NOT NULL CHECK (direction IN ('out', 'in')),
  method          TEXT    NOT NULL,
  url             TEXT    NOT NULL,
  request_headers TEXT    NOT NULL DEFAULT '',     -- "name: value" lines
  request_body    TEXT    NOT NULL DEFAULT '',
  http_status     INTEGER,                         -- NULL: no HTTP answer (refused, timeout)
  response_body   TEXT    NOT NULL DEFAULT '',
  elapsed_ms      INTEGER NOT NULL,
  error           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX channel_log_at ON channel_log (at_ms);
CREATE INDEX channel_log_part_key ON channel_log (part_key);
)sql"},
    {5, "outbox claim index, inbound cursor",
     R"sql(
-- The claim query walks queued parts of one channel in priority and due order; carrying
-- channel and priority on the part lets an index answer it without sorting the backlog.
ALTER TABLE outbox_part ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox_part ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
UPDATE outbox_part SET
  channel = (SELECT channel FROM outbox_message m WHERE m.id = outbox_part.message_id),
  priority = (SELECT priority FROM outbox_message m WHERE m.id = outbox_part.message_id);
DROP INDEX outbox_part_due;
CREATE INDEX outbox_part_due ON outbox_part (channel, priority, next_attempt_at_ms, id)
  WHERE state = 'queued';
-- How far each consumer of the inbound journal has read (consumers walk it by id).
CREATE TABLE journal_cursor (
  consumer TEXT PRIMARY KEY,
  last_id  INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
    {6, "regions",
     R"sql(
-- The official region tree (Kemendagri codes with dots: 32, 32.01, 32.01.01, 32.01.01.2001),
-- replaced as a whole by `satupintu regions import`. No foreign key on parent: the importer
-- checks the links before it writes, and other tables may keep codes of regions a later
-- list no longer has.
CREATE TABLE region (
  code   TEXT    PRIMARY KEY,
  parent TEXT,                                     -- NULL for a province
  level  INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),  -- 1 province, 2 regency/city,
                                                          -- 3 kecamatan, 4 desa/kelurahan
  name   TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX region_parent ON region (parent);
-- Where the tree came from (ODbL attribution, and which list a code was valid in).
CREATE TABLE region_source (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  package        TEXT    NOT NULL,                -- "idn-area-data"
  version        TEXT    NOT NULL,                -- "4.0.1"
  imported_at_ms INTEGER NOT NULL,
  provinces      INTEGER NOT NULL,
  regencies      INTEGER NOT NULL,
  districts      INTEGER NOT NULL,
  villages       INTEGER NOT NULL
);
)sql"},
    {7, "audit log, registry snapshots",
     R"sql(
-- Append-only and hash-chained (gateway/audit): each row's hash covers the previous hash.
CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at_ms     INTEGER NOT NULL,
  actor     TEXT    NOT NULL,
  action    TEXT    NOT NULL,
  object    TEXT    NOT NULL,
  purpose   TEXT    NOT NULL,
  ip        TEXT    NOT NULL,
  outcome   TEXT    NOT NULL,
  prev_hash TEXT    NOT NULL,
  hash      TEXT    NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor, at_ms);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Registry snapshots live in their own SQLite files (gateway/registry); this table says which
-- one is in force. An import adds a 'building' row, builds its file apart, and flips it to
-- 'current' (the previous one to 'retired') in one transaction.
CREATE TABLE registry_snapshot (
  id              INTEGER PRIMARY KEY,
  file            TEXT    NOT NULL,
  state           TEXT    NOT NULL,  -- building, current, retired, failed
  format          TEXT    NOT NULL,
  source_name     TEXT    NOT NULL,  -- the input's file name, not its path
  snapshot_date   TEXT    NOT NULL,
  key_fingerprint TEXT    NOT NULL,
  rows            INTEGER NOT NULL DEFAULT 0,
  rejected        INTEGER NOT NULL DEFAULT 0,
  duplicates      INTEGER NOT NULL DEFAULT 0,
  started_at_ms   INTEGER NOT NULL,
  finished_at_ms  INTEGER
);
CREATE UNIQUE INDEX registry_snapshot_one_current ON registry_snapshot (state)
  WHERE state = 'current';

-- Citizen registry checks per citizen and per phone number (keyed hash), for the limits.
CREATE TABLE lookup_quota (
  key   TEXT    NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE INDEX lookup_quota_key ON lookup_quota (key, at_ms);
)sql"},
    {8, "conversations, tickets, survey answers",
     R"sql(
-- One row per citizen in a dialog (gateway/conversation): the engine's state as JSON, the
-- channel and address to answer on, and when its timer (reminder, expiry) falls due.
CREATE TABLE conversation (
  citizen_id    INTEGER PRIMARY KEY,
  channel       TEXT    NOT NULL,
  address       TEXT    NOT NULL,
  state         TEXT    NOT NULL,
  timer_at_ms   INTEGER,
  updated_at_ms INTEGER NOT NULL
);
CREATE INDEX conversation_timer ON conversation (timer_at_ms) WHERE timer_at_ms IS NOT NULL;

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
    {10, "office users and API tokens",
     R"sql(
-- Office users: facilitators, supervisors, the secretariat (gateway/users). No password or
-- phone number in clear: scrypt strings and keyed hashes only.
CREATE TABLE app_user (
  id              INTEGER PRIMARY KEY,
  username        TEXT    NOT NULL UNIQUE COLLATE NOCASE,  -- 3-32 of [a-z0-9._-]
  display_name    TEXT    NOT NULL,
  role            TEXT    NOT NULL,                 -- tickets::RoleName
  region          TEXT    NOT NULL,                 -- dotted code: "32", "32.06", "32.06.05", ...
  language        TEXT    NOT NULL DEFAULT 'id',
  password_hash   TEXT,                             -- "scrypt$..."; NULL: an SMS-only account
  phone_hash      TEXT    UNIQUE,                   -- keyed hash of the E.164 digits
  phone_masked    TEXT    NOT NULL DEFAULT '',      -- "62812****7890"
  failed_logins   INTEGER NOT NULL DEFAULT 0,
  locked_until_ms INTEGER NOT NULL DEFAULT 0,
  disabled_at_ms  INTEGER,
  created_at_ms   INTEGER NOT NULL,
  updated_at_ms   INTEGER NOT NULL
);
CREATE INDEX app_user_region ON app_user (region);
-- Bearer tokens as SHA-256 of the token: a copy of the database lets nobody in.
CREATE TABLE api_token (
  token_hash      BLOB    PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES app_user (id),
  created_at_ms   INTEGER NOT NULL,
  expires_at_ms   INTEGER NOT NULL,
  last_used_at_ms INTEGER NOT NULL,
  revoked_at_ms   INTEGER,
  label           TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX api_token_user ON api_token (user_id);
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
    {12, "surveys waiting for a citizen to finish a dialog",
     R"sql(
-- A ticket closed while its citizen was in the middle of a dialog: the satisfaction survey
-- starts once they are idle (gateway/backoffice/case_service.hpp), tried again on the
-- dispatcher's passes until `expires_at_ms`.
CREATE TABLE pending_survey (
  ticket_id     INTEGER PRIMARY KEY REFERENCES ticket (id),
  citizen_id    INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  next_try_ms   INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL
);
CREATE INDEX pending_survey_due ON pending_survey (next_try_ms);
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
    {15, "provider statuses that arrive before the send's answer is recorded",
     R"sql(
-- A WhatsApp status names the wamid, which the part holds only once the send's answer is
-- recorded; a status that overtakes it waits here and is applied when the answer lands
-- (outbox/outbox_store.cpp). Rows for ids that never become ours are dropped after a day.
CREATE TABLE outbox_early_status (
  channel             TEXT NOT NULL,
  provider_message_id TEXT NOT NULL,
  status              INTEGER NOT NULL,
  error               TEXT NOT NULL,
  at_ms               INTEGER NOT NULL,
  PRIMARY KEY (channel, provider_message_id, status)
) WITHOUT ROWID;
CREATE INDEX outbox_early_status_age ON outbox_early_status (at_ms);
)sql"},
};

using core::NowMs;

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

core::Result<int> ApplyMigrations(Db& db, std::span<const Migration> migrations) {
  if (auto s = db.Exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)");
      !s.ok()) {
    return s.error();
  }
  auto current = db.QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!current.ok()) return current.error();
  int version = static_cast<int>(current.value());
  const int known = migrations.empty() ? 0 : migrations.back().version;
  if (version > known) {
    return core::MakeError(core::ErrorCode::kInternal,
                           "database schema version " + std::to_string(version) +
                               " is newer than this binary knows (" + std::to_string(known) +
                               "); refusing to start");
  }
  for (const auto& m : migrations) {
    if (m.version <= version) continue;
    if (auto s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s.error();
    core::Status applied = db.Exec(m.sql);
    if (applied.ok()) {
      auto stmt = db.Prepare(
          "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)");
      if (!stmt.ok()) {
        applied = stmt.error();
      } else {
        applied =
            stmt.value()->Bind(1, std::int64_t{m.version}).Bind(2, m.name).Bind(3, NowMs()).Run();
      }
    }
    if (applied.ok()) applied = db.Exec("COMMIT");
    if (!applied.ok()) {
      (void)db.Exec("ROLLBACK");
      auto e = applied.error();
      e.message = "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                  ") failed: " + e.message;
      return e;
    }
    version = m.version;
  }
  return version;
}

}  // namespace satupintu::storage
