#pragma once
// The typed configuration of one satupintu process. The defaults below ARE the embedded
// default deployment: one process, SQLite under ./var/, HTTPS on 127.0.0.1:8443 with a
// self-signed certificate, plain HTTP for local peers on 127.0.0.1:8080.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/reader.hpp"
#include "core/result.hpp"

namespace satupintu::config {

struct ListenerConfig {
  bool enabled = true;
  std::string address = "127.0.0.1";
  int port = 0;
  // Each listener has its own room: a flood of the public one cannot take the private one's
  // (Kannel, health checks). The sum, plus a margin, must fit the process's file limit.
  int max_connections = 1'024;
  int max_connections_per_address = 0;  // 0 = no cap; an IPv6 client counts by its /64
};

struct TlsConfig {
  std::string cert_file = "var/tls/cert.pem";
  std::string key_file = "var/tls/key.pem";
  // Create a self-signed pair when both files are missing (first start of a dev install).
  bool self_signed_if_missing = true;
  std::string min_version = "1.2";  // "1.2" or "1.3"
};

struct HttpConfig {
  int threads = 2;
  std::int64_t header_limit_bytes = std::int64_t{8} * 1024;
  std::int64_t body_limit_bytes = std::int64_t{1024} * 1024;
  int handshake_timeout_ms = 5'000;
  // Whole request, headers and body (slowloris): from the connection's start for its first
  // request, from the first byte for later ones on a kept-alive connection. "read_timeout_ms"
  // is its older name.
  int request_timeout_ms = 10'000;
  int write_timeout_ms = 10'000;
  int idle_timeout_ms = 30'000;    // keep-alive wait for the next request
  int shutdown_grace_ms = 10'000;  // in-flight requests get this long after SIGTERM
};

struct StoreConfig {
  std::string path = "var/satupintu.db";
  std::string synchronous = "full";  // full | normal
  int busy_timeout_ms = 2'000;
  int max_batch = 512;           // jobs sharing one commit
  std::int64_t max_size_mb = 0;  // 0 = no cap; a cap turns a full volume into a clean 503
  // /readyz fails below this much free space on the store's file system (0: not checked).
  std::int64_t min_free_disk_mb = 100;
};

struct LogConfig {
  std::string level = "info";
};

struct DiagnosticsConfig {
  // POST /diag/journal/{channel} on the private listener: a raw journal used by tests,
  // benchmarks and operators probing durability. Off unless asked for.
  bool journal_route = false;
  // POST /diag/outbox: enqueue a message on a configured channel (tests, benchmarks, an
  // operator checking a route). Off unless asked for.
  bool outbox_route = false;
  // When set, /diag/* routes require "Authorization: Bearer <token>".
  SecretRef token;
};

// How the shared sender treats one channel. Rates count messages (SMS parts for Kannel).
struct SendConfig {
  int rate_per_minute = 0;  // 0: no cap
  int burst = 2;
  int per_recipient_interval_ms = 0;  // 0: no per-recipient limit
  int per_recipient_burst = 1;
  int max_in_flight = 64;
  int backoff_base_ms = 2'000;
  int backoff_max_ms = 300'000;
  int timeout_ms = 10'000;  // one HTTP exchange with the peer
  // After a crash, a part of a reply found in flight is sent again (the citizen waits for
  // it); a part of a bulk message is held as 'unknown' (a duplicate costs the office money).
  bool resend_replies = true;
  bool resend_bulk = false;
};

// One WhatsApp Cloud API business number. Webhook: /webhooks/whatsapp/{name} (public).
struct WhatsAppTemplateConfig {
  std::string name;
  std::string language = "id";
};

struct WhatsAppChannelConfig {
  std::string name;
  std::string base_url = "https://graph.facebook.com";
  std::string api_version = "v21.0";
  std::string phone_number_id;
  SecretRef access_token;
  SecretRef app_secret;
  SecretRef verify_token;
  // Outside the 24-hour window a message without a template goes by SMS through this channel
  // ("kannel:<name>" or "gammu:<name>") when the citizen has a phone number; else it fails.
  std::string sms_fallback;
  // The approved template a ticket's status notice uses outside the 24-hour window
  // (gateway/backoffice: parameters {{1}} the ticket code, {{2}} the status label); "" = none,
  // then the notice goes by sms_fallback, or not at all.
  WhatsAppTemplateConfig status_template;
  // Broadcasts (gateway/broadcast) outside the 24-hour window: an approved template whose body
  // is one parameter, {{1}} the announcement; "" = none, then such households get SMS.
  WhatsAppTemplateConfig broadcast_template;
  // Conversations this number may open with people outside their window per rolling 24 h
  // (Meta's messaging limit tier: 250, 2000, 10000, 100000; 0 = unlimited).
  int daily_conversation_limit = 250;
  int template_price = 0;  // rupiah per template message, for the broadcast's cost estimate
  // Meta: 80 msg/s per number; pair limit ~1 per 6 s. The burst stays under the peer's 80: a
  // full burst of 80 plus the refill during it drew one 429 from the fake in the rate
  // benchmark, 72 none (docs/BENCHMARKS.md).
  SendConfig send{4'800, 72, 6'000, 3};
};

// One Telegram bot. Webhook: /webhooks/telegram/{name} (public).
struct TelegramChannelConfig {
  std::string name;
  std::string base_url = "https://api.telegram.org";  // or a self-hosted Bot API server
  SecretRef bot_token;
  SecretRef secret_token;
  // Bot API: ~30 msg/s overall, 1 msg/s per chat; burst under 30 for the same reason.
  SendConfig send{1'800, 27, 1'000, 1};
};

// One Kannel route: MO and DLRs arrive on the private listener at /kannel/{name}/mo and
// /kannel/{name}/dlr; MT goes to smsbox's sendsms.
struct KannelChannelConfig {
  std::string name;
  std::string sendsms_url = "http://127.0.0.1:13013/cgi-bin/sendsms";
  std::string username;
  SecretRef password;
  SecretRef shared_secret;  // in Kannel's get-url and our dlr-url; unreserved characters only
  std::string smsc;
  std::string from;
  std::vector<std::string> allowed_sources;  // empty: loopback only
  // Our private listener as Kannel reaches it, e.g. http://127.0.0.1:8080; the DLR URL is
  // <dlr_base_url>/kannel/<name>/dlr.
  std::string dlr_base_url = "http://127.0.0.1:8080";
  int max_parts = 6;
  SendConfig send{8, 2};  // a GSM modem: 6-10 SMS a minute
};

// One Gammu SMSD instance (one modem) through its SQLite database.
struct GammuChannelConfig {
  std::string name;
  std::string database;
  std::string phone_id;
  int poll_interval_ms = 1'000;
  int smsd_utc_offset_minutes = 0;  // SMSD writes local time: WIB 420, WITA 480, WIT 540
  SendConfig send{8, 2};
};

struct ChannelsConfig {
  std::vector<WhatsAppChannelConfig> whatsapp;
  std::vector<TelegramChannelConfig> telegram;
  std::vector<KannelChannelConfig> kannel;
  std::vector<GammuChannelConfig> gammu;
};

struct OutboundConfig {
  int client_threads = 1;
  int max_connections_per_host = 32;
  std::string ca_file;  // extra trust anchors for peers (a self-hosted Bot API server)
  int channel_log_retention_days = 14;  // the same setting as retention.channel_log_days
};

// What arrives from citizens (issue 19): one address that writes faster than this is
// throttled by the channel dispatcher; its further messages are journaled (never lost) but not
// answered by the dialogs, and the first of them gets one polite "slow down" reply.
struct InboundConfig {
  int max_messages_per_address_per_minute = 20;  // 0: no limit
};

struct LocalesConfig {
  std::string dir = "locales";  // the word lists for understanding are in <dir>/lexicon
};

// Dialog definitions (dialogs/README.md). The timeouts override dialogs/keywords.json when set.
struct DialogsConfig {
  // false: text messages are journaled and not answered (a gateway that only collects);
  // `satupintu chat` and transcript_tests run the dialogs regardless.
  bool enabled = true;
  std::string dir;  // "": the dialogs folder beside the locales folder (<locales.dir>/../dialogs)
  int remind_after_minutes = 0;  // 0: as in keywords.json
  int expire_after_minutes = 0;
  // The key that seals conversation states at rest (created 0600 on first start); "": the
  // file "conversation.key" beside the store file.
  std::string state_key_file;
};

// The welfare registry (docs/registry-format.md): snapshot files and the key their NIK/KK
// hashes are made with. Losing the key makes every snapshot unreadable (re-import the file).
struct RegistryConfig {
  std::string dir = "var/registry";
  std::string hash_key_file = "var/registry/hash.key";
  bool create_key = true;           // write a new random key when the file does not exist
  int name_match_percent = 85;      // NameSimilarity needed for a citizen's check to match
  int citizen_checks_per_hour = 5;  // per citizen and per phone number
  int citizen_checks_per_day = 10;
  // Per NIK from any address (many phones guessing one person's name). Status checks and a
  // complainant's identity share these limits; a limit never refuses a complaint.
  int citizen_checks_per_nik_per_day = 5;
};

// The official region tree (npm idn-area-data) and the deployment's own regency.
struct RegionsConfig {
  std::string data_dir = "deploy/regions/node_modules/idn-area-data/data";
  std::string home_regency;  // "32.01": searches look there first
};

// Tickets (gateway/tickets): the SLA clock in working days (sla.hpp) and the holiday calendar
// it counts with (calendar.hpp), in the office's time zone.
struct TicketsConfig {
  std::string holidays_file = "deploy/holidays/holidays-id.json";
  int utc_offset_minutes = 420;  // WIB; WITA 480, WIT 540
  int sla_verify_days = 3;
  int sla_follow_up_days = 5;
  int sla_complete_days = 60;
  int sla_warn_days = 1;
  int sla_interval_seconds = 60;  // how often the SLA pass runs
  // Where a ticket whose village is unknown waits to be placed (a regency code, "32.06"): its
  // front office and manager list it. "": regions.home_regency (UnplacedRegion).
  std::string unplaced_region;
  // Officer alerts (gateway/backoffice/alerts.hpp): at most one message per officer per
  // interval, none in the quiet hours (office time, "HH:MM-HH:MM"; "" = none), on the user's
  // route; routes without a channel use `alert_channel` ("" = the first Kannel, else Gammu
  // channel of this config). An interval of 0 sends each alert on the next pass.
  bool alerts_enabled = true;
  int alert_interval_minutes = 60;
  std::string alert_quiet_hours = "21:00-06:00";
  std::string alert_channel;
};

// Office users (gateway/users): the key their phone numbers are hashed with, logins and the
// API's request limits.
struct UsersConfig {
  // HMAC key of users' phone numbers (created 0600 on first use); "": the file "users.key"
  // beside the store file. Losing it makes facilitators' phones unknown (set them again).
  std::string key_file;
  int token_ttl_hours = 12;
  int login_attempts_per_15_min = 10;  // per client address
  int lockout_after_failures = 5;      // consecutive wrong passwords lock the account 15 min
  int api_requests_per_minute_per_token = 300;
  int api_requests_per_minute_per_ip = 600;
};

// The back office on the public listener: the REST API (/api/v1) and the triage page (/ui/).
struct WebConfig {
  bool enabled = true;
  std::string dir = "web/ui";              // the page's static files
  std::string locales_dir = "locales/ui";  // its texts, one JSON file per language
};

// How long each class of personal data is kept (gateway/privacy; defaults and their reasons in
// docs/privacy.md, "Retention"). Days; 0 = kept forever where the key allows it. The purge
// pass runs every `interval_minutes`; `enabled` false stops every class but the channel log,
// which has always been pruned (`outbound.channel_log_retention_days` is the same setting).
struct RetentionConfig {
  bool enabled = true;
  int interval_minutes = 60;
  int batch_rows = 100;          // rows per write transaction: the writer is never held long
  int journal_redact_days = 7;   // processed inbound messages lose text and addresses
  int journal_days = 30;         // processed inbound messages are deleted
  int conversation_days = 30;    // dialogs untouched this long are deleted
  int outbox_text_days = 90;     // sent messages lose text, body and address
  int channel_log_days = 14;     // = outbound.channel_log_retention_days
  int closed_ticket_days = 730;  // closed tickets are anonymised (tickets/anonymise.hpp)
  int citizen_days = 730;        // citizens with nothing open and no contact are deleted
  int audit_log_days = 1825;     // the audit log's horizon (kept: see gateway/privacy)
};

// One SMS route for broadcasts: a channel and the operators it is on-net for.
struct SmsRouteConfig {
  std::string channel;                 // "kannel:<name>" or "gammu:<name>"
  std::vector<std::string> operators;  // telkomsel, indosat, xl, axis, tri, smartfren; []: shared
  int price_per_part = 0;              // rupiah
};

// The social office's broadcasts (issue 20, gateway/broadcast).
struct BroadcastConfig {
  bool enabled = true;
  // The sending office as a text must name it (one of these). Without any, nothing can be
  // composed: a broadcast that does not say who sends it teaches people to trust scams.
  std::vector<std::string> office_names;
  std::vector<std::string> official_domains = {"go.id"};  // links may point only here
  std::string window_start = "08:00";  // the recipient's own clock (WIB/WITA/WIT by region)
  std::string window_end = "20:00";
  // Empty: every SMS channel is a shared route at sms_price_per_part.
  std::vector<SmsRouteConfig> sms_routes;
  int sms_price_per_part = 0;  // rupiah, for the routes above when none are listed
  int interval_ms = 1'000;     // how often the runner looks for work
  int batch = 500;             // recipients per write transaction when planning and queuing
  int backlog_seconds = 60;    // bulk parts queued ahead per channel, in seconds of its rate
  int ttl_hours = 72;          // a queued broadcast message not sent by then fails
};

struct Config {
  ListenerConfig public_listener{true, "127.0.0.1", 8443, 4'096, 256};
  TlsConfig tls;
  ListenerConfig private_listener{true, "127.0.0.1", 8080, 256, 0};
  HttpConfig http;
  StoreConfig store;
  LogConfig log;
  DiagnosticsConfig diagnostics;
  ChannelsConfig channels;
  OutboundConfig outbound;
  InboundConfig inbound;
  LocalesConfig locales;
  DialogsConfig dialogs;
  RegistryConfig registry;
  RegionsConfig regions;
  TicketsConfig tickets;
  UsersConfig users;
  WebConfig web;
  RetentionConfig retention;
  BroadcastConfig broadcast;
};

// Parses JSON text (comments allowed). On failure the error message lists every problem,
// one per line, each naming its key.
core::Result<Config> ParseConfig(const std::string& text);
core::Result<Config> LoadConfigFile(const std::string& path);

// Reads a secret from its environment variable or file and registers it for redaction.
core::Result<std::string> ResolveSecret(const SecretRef& ref, const std::string& key_path);

// Key files with a default beside the store file (created 0600 on first use by their users):
// users.key_file or "users.key" (the HMAC key of office users' phones), and
// dialogs.state_key_file or "conversation.key" (the key sealing each citizen's dialog state).
std::string UsersKeyFile(const Config& config);
// Where the audit log's head is anchored outside the store (audit/audit_log.hpp): "audit.head"
// beside the store file.
std::string AuditAnchorFile(const Config& config);
// tickets.unplaced_region, or regions.home_regency when it is empty; "" when neither is set.
std::string UnplacedRegion(const Config& config);
// The officer SMS channel alerts use by default: tickets.alert_channel, else the first
// Kannel channel, else the first Gammu channel; "" when there is none.
std::string AlertChannel(const Config& config);
// Every channel id the config runs ("kannel:dinsos", "telegram:bot", ...).
std::vector<std::string> ChannelIds(const Config& config);
// "21:00-06:00" -> {1260, 360} minutes of the office day; nullopt when malformed. "" -> {0, 0}.
std::optional<std::pair<int, int>> ParseQuietHours(std::string_view text);
std::string StateKeyFile(const Config& config);

}  // namespace satupintu::config
