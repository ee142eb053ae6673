#include "backoffice/schema.hpp"

namespace satupintu::backoffice {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
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
    {17, "officer alerts, messages between office and citizen",
     R"sql(
-- What the office and a citizen write to each other about a ticket (backoffice/case_service.hpp):
-- "out" from an officer (user_id), "in" the citizen's answer. The conversation view and the
-- "who answers the citizen" rule read it; a citizen's answer goes to the ticket whose last
-- "out" is younger than the thread's time.
CREATE TABLE ticket_message (
  id          INTEGER PRIMARY KEY,
  ticket_id   INTEGER NOT NULL REFERENCES ticket (id),
  citizen_id  INTEGER NOT NULL,
  direction   TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
  user_id     INTEGER NOT NULL DEFAULT 0,
  channel     TEXT    NOT NULL,
  text        TEXT    NOT NULL,
  at_ms       INTEGER NOT NULL
);
CREATE INDEX ticket_message_ticket ON ticket_message (ticket_id, id);
CREATE INDEX ticket_message_citizen ON ticket_message (citizen_id, direction, at_ms);

-- Officer alerts (backoffice/alerts.hpp). The triggers below note what happened to a ticket;
-- the dispatcher's pass turns each noted change into one alert per officer it concerns and
-- sends each officer's due alerts as one message (a digest), outside quiet hours, at most one
-- per interval.
CREATE TABLE alert_event (
  id        INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL,
  kind      TEXT    NOT NULL,
  at_ms     INTEGER NOT NULL  -- the ticket's updated_at_ms (the SLA pass leaves it): a hint only
);
CREATE TABLE officer_alert (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL,
  ticket_id     INTEGER NOT NULL,
  kind          TEXT    NOT NULL,
  created_at_ms INTEGER NOT NULL,
  sent_at_ms    INTEGER NOT NULL DEFAULT 0,  -- 0 until a digest carried it
  UNIQUE (user_id, ticket_id, kind, created_at_ms)
);
CREATE INDEX officer_alert_pending ON officer_alert (user_id) WHERE sent_at_ms = 0;
-- Where an officer's alerts go. The address is in clear, like every address the outbox sends
-- to; the phone an officer sends SMS commands from stays a keyed hash in app_user.
CREATE TABLE officer_alert_route (
  user_id       INTEGER PRIMARY KEY REFERENCES app_user (id),
  channel       TEXT    NOT NULL,  -- "kannel:dinsos", "gammu:modem1", "telegram:bot"; "" = the
                                   -- gateway's officer SMS channel (tickets.alert_channel)
  address       TEXT    NOT NULL,
  enabled       INTEGER NOT NULL DEFAULT 1,
  next_at_ms    INTEGER NOT NULL DEFAULT 0  -- no digest before this (interval, quiet hours)
);

CREATE TRIGGER alert_ticket_new AFTER INSERT ON ticket
BEGIN INSERT INTO alert_event (ticket_id, kind, at_ms) VALUES (NEW.id, 'new', NEW.created_at_ms);
END;
CREATE TRIGGER alert_ticket_placed AFTER UPDATE OF village_code ON ticket
WHEN NEW.village_code IS NOT OLD.village_code
BEGIN INSERT INTO alert_event (ticket_id, kind, at_ms) VALUES (NEW.id, 'new', NEW.updated_at_ms);
END;
CREATE TRIGGER alert_ticket_level AFTER UPDATE OF level ON ticket
WHEN NEW.level IS NOT OLD.level AND NEW.level <> 'village'
BEGIN
  INSERT INTO alert_event (ticket_id, kind, at_ms) VALUES (NEW.id, 'escalated', NEW.updated_at_ms);
END;
CREATE TRIGGER alert_ticket_status AFTER UPDATE OF status ON ticket
WHEN NEW.status IS NOT OLD.status AND NEW.status IN ('forwarded', 'reviewed')
BEGIN
  INSERT INTO alert_event (ticket_id, kind, at_ms) VALUES (NEW.id, NEW.status, NEW.updated_at_ms);
END;
CREATE TRIGGER alert_ticket_sla AFTER UPDATE OF sla ON ticket
WHEN NEW.sla IS NOT OLD.sla AND NEW.sla IN ('warning', 'breached')
BEGIN
  INSERT INTO alert_event (ticket_id, kind, at_ms)
  VALUES (NEW.id, CASE NEW.sla WHEN 'warning' THEN 'sla_warning' ELSE 'sla_breach' END,
          NEW.updated_at_ms);
END;
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::backoffice
