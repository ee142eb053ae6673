#include "config/config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/redact.hpp"

namespace satupintu::config {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr int kMaxMs = 600'000;

std::string LineColumn(const std::string& text, std::size_t byte) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

void ReadListener(ObjectReader r, ListenerConfig* out) {
  r.Bool("enabled", &out->enabled);
  r.String("address", &out->address);
  r.Int("port", 0, 65535, &out->port);
  r.Int("max_connections", 1, 1'000'000, &out->max_connections);
  r.Int("max_connections_per_address", 0, 1'000'000, &out->max_connections_per_address);
  r.RejectUnknown();
}

void ReadTls(ObjectReader r, TlsConfig* out) {
  r.String("cert_file", &out->cert_file);
  r.String("key_file", &out->key_file);
  r.Bool("self_signed_if_missing", &out->self_signed_if_missing);
  r.Enum("min_version", {"1.2", "1.3"}, &out->min_version);
  r.RejectUnknown();
}

void ReadHttp(ObjectReader r, HttpConfig* out, std::vector<std::string>* errors) {
  r.Int("threads", 1, 64, &out->threads);
  r.Int("header_limit_bytes", 1024, std::int64_t{1024} * 1024, &out->header_limit_bytes);
  r.Int("body_limit_bytes", 1024, std::int64_t{64} * 1024 * 1024, &out->body_limit_bytes);
  r.Int("handshake_timeout_ms", 1, kMaxMs, &out->handshake_timeout_ms);
  // One setting under two names: read_timeout_ms is the older.
  int older = -1;
  int newer = -1;
  r.Int("read_timeout_ms", 1, kMaxMs, &older);
  r.Int("request_timeout_ms", 1, kMaxMs, &newer);
  if (older != -1 && newer != -1 && older != newer) {
    errors->push_back(
        "http.request_timeout_ms: differs from http.read_timeout_ms, its older name (set one)");
  }
  if (newer != -1) {
    out->request_timeout_ms = newer;
  } else if (older != -1) {
    out->request_timeout_ms = older;
  }
  r.Int("write_timeout_ms", 1, kMaxMs, &out->write_timeout_ms);
  r.Int("idle_timeout_ms", 1, kMaxMs, &out->idle_timeout_ms);
  r.Int("shutdown_grace_ms", 0, kMaxMs, &out->shutdown_grace_ms);
  // One limit for both listeners let a flood of the public one refuse Kannel and the health
  // checks on the private one; each listener now has its own.
  int shared_limit = -1;
  r.Int("max_connections", 1, 1'000'000, &shared_limit);
  if (shared_limit != -1) {
    errors->push_back(
        "http.max_connections: replaced by public.max_connections and private.max_connections "
        "(each listener has its own limit; public.max_connections_per_address caps one client)");
  }
  r.RejectUnknown();
}

// retention: days per class, "0 = forever" where the class allows it, a minimum otherwise
// below which the data would go while it is still needed.
void ReadRetention(ObjectReader r, Config* config, std::vector<std::string>* errors) {
  RetentionConfig& out = config->retention;
  r.Bool("enabled", &out.enabled);
  r.Int("interval_minutes", 1, 24 * 60, &out.interval_minutes);
  r.Int("batch_rows", 10, 100'000, &out.batch_rows);
  r.Int("journal_redact_days", 1, 365, &out.journal_redact_days);
  constexpr int kMax = 36'500;
  struct Days {
    const char* key;
    int* days;
    int min;  // when not 0
    const char* why;
  };
  const Days days[] = {
      {"journal_days", &out.journal_days, 1, ""},
      {"conversation_days", &out.conversation_days, 7, " (a dialog waits up to 7 days)"},
      {"outbox_text_days", &out.outbox_text_days, 1, ""},
      {"closed_ticket_days", &out.closed_ticket_days, 30, " (a closed ticket may be reopened)"},
      {"citizen_days", &out.citizen_days, 30, ""},
      {"audit_log_days", &out.audit_log_days, 365, ""},
  };
  for (const auto& d : days) {
    r.Int(d.key, 0, kMax, d.days);
    if (*d.days != 0 && *d.days < d.min) {
      errors->push_back("retention." + std::string(d.key) + ": 0 (kept forever) or " +
                        std::to_string(d.min) + "-" + std::to_string(kMax) + d.why);
    }
  }
  if (out.journal_days != 0 && out.journal_days < out.journal_redact_days) {
    // Allowed (deleting is stronger than redacting) but then redaction never sees a row.
    out.journal_redact_days = out.journal_days;
  }
  // One setting under two names: the channel log's older key and this section's.
  out.channel_log_days = -1;
  r.Int("channel_log_days", 1, 3'650, &out.channel_log_days);
  int& older = config->outbound.channel_log_retention_days;
  if (out.channel_log_days == -1 && older == -1) {
    out.channel_log_days = older = 14;
  } else if (out.channel_log_days == -1) {
    out.channel_log_days = older;
  } else if (older == -1) {
    older = out.channel_log_days;
  } else if (older != out.channel_log_days) {
    errors->push_back(
        "retention.channel_log_days: differs from outbound.channel_log_retention_days, the "
        "same setting (set one)");
  }
  r.RejectUnknown();
}

void ReadStore(ObjectReader r, StoreConfig* out) {
  r.String("path", &out->path);
  r.Enum("synchronous", {"full", "normal"}, &out->synchronous);
  r.Int("busy_timeout_ms", 0, kMaxMs, &out->busy_timeout_ms);
  r.Int("max_batch", 1, 100'000, &out->max_batch);
  r.Int("max_size_mb", 0, std::int64_t{16} * 1024 * 1024, &out->max_size_mb);
  r.Int("min_free_disk_mb", 0, std::int64_t{1024} * 1024, &out->min_free_disk_mb);
  r.RejectUnknown();
}

// "" or a regency code: two digits, a dot, two digits ("32.01").
bool IsRegencyCode(const std::string& h) {
  return h.empty() ||
         (h.size() == 5 && h[2] == '.' && std::isdigit(static_cast<unsigned char>(h[0])) &&
          std::isdigit(static_cast<unsigned char>(h[1])) &&
          std::isdigit(static_cast<unsigned char>(h[3])) &&
          std::isdigit(static_cast<unsigned char>(h[4])));
}

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 24 || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

bool ValidBaseUrl(const std::string& url) {
  return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

// Checks what every channel entry shares: a unique name, a URL, the secrets it needs.
void CheckChannel(const std::string& path, const std::string& name, const std::string& base_url,
                  std::initializer_list<std::pair<const char*, const SecretRef*>> secrets,
                  std::vector<std::string>* seen, std::vector<std::string>* errors) {
  if (!ValidName(name)) {
    errors->push_back(path + ".name: must be 1-24 of [a-z0-9-], starting with a letter");
  } else if (name == "chat") {
    errors->push_back(path +
                      ".name: \"chat\" is the terminal's (`satupintu chat`), not a channel's");
  } else if (std::find(seen->begin(), seen->end(), name) != seen->end()) {
    errors->push_back(path + ".name: \"" + name + "\" is used twice");
  } else {
    seen->push_back(name);
  }
  if (!ValidBaseUrl(base_url))
    errors->push_back(path + ".base_url: must start with https:// or http://");
  for (const auto& [key, ref] : secrets) {
    if (ref->empty()) errors->push_back(path + "." + key + ": required (a secret reference)");
  }
}

void ReadSend(ObjectReader r, SendConfig* out) {
  r.Int("rate_per_minute", 0, 10'000'000, &out->rate_per_minute);
  r.Int("burst", 1, 100'000, &out->burst);
  r.Int("per_recipient_interval_ms", 0, kMaxMs, &out->per_recipient_interval_ms);
  r.Int("per_recipient_burst", 1, 1'000, &out->per_recipient_burst);
  r.Int("max_in_flight", 1, 10'000, &out->max_in_flight);
  r.Int("backoff_base_ms", 1, kMaxMs, &out->backoff_base_ms);
  r.Int("backoff_max_ms", 1, kMaxMs, &out->backoff_max_ms);
  r.Int("timeout_ms", 100, kMaxMs, &out->timeout_ms);
  r.Bool("resend_replies", &out->resend_replies);
  r.Bool("resend_bulk", &out->resend_bulk);
  r.RejectUnknown();
}

void ReadChannels(ObjectReader r, ChannelsConfig* out, std::vector<std::string>* errors) {
  std::vector<std::string> wa_names;
  for (auto& item : r.Objects("whatsapp")) {
    WhatsAppChannelConfig c;
    item.String("name", &c.name);
    item.String("base_url", &c.base_url);
    item.String("api_version", &c.api_version);
    item.String("phone_number_id", &c.phone_number_id);
    item.Secret("access_token", &c.access_token);
    item.Secret("app_secret", &c.app_secret);
    item.Secret("verify_token", &c.verify_token);
    item.String("sms_fallback", &c.sms_fallback);
    {
      ObjectReader t = item.Object("status_template");
      t.String("name", &c.status_template.name);
      t.String("language", &c.status_template.language);
      t.RejectUnknown();
    }
    {
      ObjectReader t = item.Object("broadcast_template");
      t.String("name", &c.broadcast_template.name);
      t.String("language", &c.broadcast_template.language);
      t.RejectUnknown();
    }
    item.Int("daily_conversation_limit", 0, 100'000'000, &c.daily_conversation_limit);
    item.Int("template_price", 0, 1'000'000, &c.template_price);
    ReadSend(item.Object("send"), &c.send);
    item.RejectUnknown();
    const std::string path = "channels.whatsapp[" + std::to_string(out->whatsapp.size()) + "]";
    CheckChannel(path, c.name, c.base_url,
                 {{"access_token", &c.access_token},
                  {"app_secret", &c.app_secret},
                  {"verify_token", &c.verify_token}},
                 &wa_names, errors);
    if (c.phone_number_id.empty()) errors->push_back(path + ".phone_number_id: required");
    out->whatsapp.push_back(std::move(c));
  }
  std::vector<std::string> tg_names;
  for (auto& item : r.Objects("telegram")) {
    TelegramChannelConfig c;
    item.String("name", &c.name);
    item.String("base_url", &c.base_url);
    item.Secret("bot_token", &c.bot_token);
    item.Secret("secret_token", &c.secret_token);
    ReadSend(item.Object("send"), &c.send);
    item.RejectUnknown();
    const std::string path = "channels.telegram[" + std::to_string(out->telegram.size()) + "]";
    CheckChannel(path, c.name, c.base_url,
                 {{"bot_token", &c.bot_token}, {"secret_token", &c.secret_token}}, &tg_names,
                 errors);
    out->telegram.push_back(std::move(c));
  }
  std::vector<std::string> sms_names;
  for (auto& item : r.Objects("kannel")) {
    KannelChannelConfig c;
    item.String("name", &c.name);
    item.String("sendsms_url", &c.sendsms_url);
    item.String("username", &c.username);
    item.Secret("password", &c.password);
    item.Secret("shared_secret", &c.shared_secret);
    item.String("smsc", &c.smsc);
    item.String("from", &c.from);
    item.Strings("allowed_sources", &c.allowed_sources);
    item.String("dlr_base_url", &c.dlr_base_url);
    item.Int("max_parts", 1, 16, &c.max_parts);
    ReadSend(item.Object("send"), &c.send);
    item.RejectUnknown();
    const std::string path = "channels.kannel[" + std::to_string(out->kannel.size()) + "]";
    CheckChannel(path, c.name, c.sendsms_url,
                 {{"password", &c.password}, {"shared_secret", &c.shared_secret}}, &sms_names,
                 errors);
    if (c.username.empty()) errors->push_back(path + ".username: required");
    if (!ValidBaseUrl(c.dlr_base_url)) {
      errors->push_back(path + ".dlr_base_url: must start with https:// or http://");
    }
    out->kannel.push_back(std::move(c));
  }
  for (auto& item : r.Objects("gammu")) {
    GammuChannelConfig c;
    item.String("name", &c.name);
    item.String("database", &c.database);
    item.String("phone_id", &c.phone_id);
    item.Int("poll_interval_ms", 50, kMaxMs, &c.poll_interval_ms);
    item.Int("smsd_utc_offset_minutes", -720, 840, &c.smsd_utc_offset_minutes);
    ReadSend(item.Object("send"), &c.send);
    item.RejectUnknown();
    const std::string path = "channels.gammu[" + std::to_string(out->gammu.size()) + "]";
    CheckChannel(path, c.name, "http://unused", {}, &sms_names, errors);
    if (c.database.empty()) errors->push_back(path + ".database: required");
    out->gammu.push_back(std::move(c));
  }
  r.RejectUnknown();
  // A fallback must name an SMS channel this config defines.
  for (std::size_t i = 0; i < out->whatsapp.size(); ++i) {
    const auto& fb = out->whatsapp[i].sms_fallback;
    if (fb.empty()) continue;
    const bool known =
        std::any_of(out->kannel.begin(), out->kannel.end(),
                    [&](const KannelChannelConfig& k) { return fb == "kannel:" + k.name; }) ||
        std::any_of(out->gammu.begin(), out->gammu.end(),
                    [&](const GammuChannelConfig& g) { return fb == "gammu:" + g.name; });
    if (!known) {
      errors->push_back("channels.whatsapp[" + std::to_string(i) +
                        "].sms_fallback: must name a configured channel, \"kannel:<name>\" or "
                        "\"gammu:<name>\"");
    }
  }
}

bool IsClockTime(const std::string& s) {
  return s.size() == 5 && s[2] == ':' && std::isdigit(static_cast<unsigned char>(s[0])) &&
         std::isdigit(static_cast<unsigned char>(s[1])) &&
         std::isdigit(static_cast<unsigned char>(s[3])) &&
         std::isdigit(static_cast<unsigned char>(s[4])) &&
         ((s[0] - '0') * 10 + (s[1] - '0')) <= 24 && ((s[3] - '0') * 10 + (s[4] - '0')) < 60;
}

void ReadBroadcast(ObjectReader r, Config* config, std::vector<std::string>* errors) {
  BroadcastConfig& out = config->broadcast;
  r.Bool("enabled", &out.enabled);
  r.Strings("office_names", &out.office_names);
  r.Strings("official_domains", &out.official_domains);
  r.String("window_start", &out.window_start);
  r.String("window_end", &out.window_end);
  r.Int("sms_price_per_part", 0, 1'000'000, &out.sms_price_per_part);
  r.Int("interval_ms", 50, kMaxMs, &out.interval_ms);
  r.Int("batch", 1, 100'000, &out.batch);
  r.Int("backlog_seconds", 1, 3'600, &out.backlog_seconds);
  r.Int("ttl_hours", 1, 24 * 30, &out.ttl_hours);
  std::set<std::string> sms_channels;
  for (const auto& k : config->channels.kannel) sms_channels.insert("kannel:" + k.name);
  for (const auto& g : config->channels.gammu) sms_channels.insert("gammu:" + g.name);
  for (auto& item : r.Objects("sms_routes")) {
    SmsRouteConfig route;
    const std::string path = "broadcast.sms_routes[" + std::to_string(out.sms_routes.size()) + "]";
    item.String("channel", &route.channel);
    item.Strings("operators", &route.operators);
    item.Int("price_per_part", 0, 1'000'000, &route.price_per_part);
    item.RejectUnknown();
    if (!sms_channels.contains(route.channel)) {
      errors->push_back(path +
                        ".channel: must name a configured channel, \"kannel:<name>\" or "
                        "\"gammu:<name>\"");
    }
    static const std::set<std::string> kOperators = {"telkomsel", "indosat", "xl",
                                                     "axis",      "tri",     "smartfren"};
    for (const auto& op : route.operators) {
      if (!kOperators.contains(op)) {
        errors->push_back(path + ".operators: unknown operator \"" + op +
                          "\" (telkomsel, indosat, xl, axis, tri, smartfren)");
      }
    }
    out.sms_routes.push_back(std::move(route));
  }
  r.RejectUnknown();
  if (!IsClockTime(out.window_start) || !IsClockTime(out.window_end) ||
      out.window_start >= out.window_end) {
    errors->push_back(
        "broadcast.window_start, broadcast.window_end: \"HH:MM\" with start before end (the "
        "recipient's clock, the same day)");
  }
}

}  // namespace

core::Result<Config> ParseConfig(const std::string& text) {
  // nlohmann keeps the last of two equal keys without a word; an operator who writes
  // "store" twice must hear about it, so keys are tracked per object while parsing.
  struct Object {
    std::string path;
    std::set<std::string> keys;
    std::string last_key;
  };
  std::vector<Object> open_objects;
  std::vector<std::string> duplicates;
  const nlohmann::json::parser_callback_t track_keys =
      [&](int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using Event = nlohmann::json::parse_event_t;
        if (event == Event::object_start) {
          std::string path;
          if (!open_objects.empty()) {
            const auto& parent = open_objects.back();
            path = parent.path.empty() ? parent.last_key : parent.path + "." + parent.last_key;
          }
          open_objects.push_back({std::move(path), {}, {}});
        } else if (event == Event::object_end && !open_objects.empty()) {
          open_objects.pop_back();
        } else if (event == Event::key && !open_objects.empty()) {
          auto& object = open_objects.back();
          object.last_key = parsed.get<std::string>();
          if (!object.keys.insert(object.last_key).second) {
            duplicates.push_back(object.path.empty() ? object.last_key
                                                     : object.path + "." + object.last_key);
          }
        }
        return true;
      };
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text, track_keys, /*allow_exceptions=*/true,
                                 /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& e) {
    // Report the position only: nlohmann's message quotes the text around the error, which
    // may be a secret someone was about to move out of the file.
    return MakeError(ErrorCode::kInvalidArgument,
                     "config is not valid JSON: syntax error at " + LineColumn(text, e.byte));
  } catch (const nlohmann::json::out_of_range&) {
    // A number too large for a double ("1e999"; found by tests/fuzz/config_fuzz).
    return MakeError(ErrorCode::kInvalidArgument,
                     "config is not valid JSON: a number out of range");
  }

  Config config;
  std::vector<std::string> errors;
  errors.reserve(duplicates.size());
  for (const auto& key : duplicates) errors.push_back(key + ": duplicate key");
  ObjectReader r(&root, "", &errors);
  ReadListener(r.Object("public"), &config.public_listener);
  ReadTls(r.Object("tls"), &config.tls);
  ReadListener(r.Object("private"), &config.private_listener);
  ReadHttp(r.Object("http"), &config.http, &errors);
  ReadStore(r.Object("store"), &config.store);
  {
    ObjectReader log = r.Object("log");
    log.Enum("level", {"debug", "info", "warn", "error"}, &config.log.level);
    log.RejectUnknown();
  }
  {
    ObjectReader diag = r.Object("diagnostics");
    diag.Bool("journal_route", &config.diagnostics.journal_route);
    diag.Bool("outbox_route", &config.diagnostics.outbox_route);
    diag.Secret("token", &config.diagnostics.token);
    diag.RejectUnknown();
  }
  ReadChannels(r.Object("channels"), &config.channels, &errors);
  {
    ObjectReader o = r.Object("outbound");
    o.Int("client_threads", 1, 16, &config.outbound.client_threads);
    o.Int("max_connections_per_host", 1, 1'000, &config.outbound.max_connections_per_host);
    o.String("ca_file", &config.outbound.ca_file);
    // -1 until read: retention.channel_log_days is the same setting (ReadRetention).
    config.outbound.channel_log_retention_days = -1;
    o.Int("channel_log_retention_days", 1, 3'650, &config.outbound.channel_log_retention_days);
    o.RejectUnknown();
  }
  {
    ObjectReader in = r.Object("inbound");
    in.Int("max_messages_per_address_per_minute", 0, 100'000,
           &config.inbound.max_messages_per_address_per_minute);
    in.RejectUnknown();
  }
  {
    ObjectReader l = r.Object("locales");
    l.String("dir", &config.locales.dir);
    l.RejectUnknown();
  }
  {
    ObjectReader d = r.Object("dialogs");
    d.Bool("enabled", &config.dialogs.enabled);
    d.String("dir", &config.dialogs.dir);
    d.Int("remind_after_minutes", 0, 10'080, &config.dialogs.remind_after_minutes);
    d.Int("expire_after_minutes", 0, 43'200, &config.dialogs.expire_after_minutes);
    d.String("state_key_file", &config.dialogs.state_key_file);
    d.RejectUnknown();
  }
  {
    ObjectReader g = r.Object("registry");
    g.String("dir", &config.registry.dir);
    g.String("hash_key_file", &config.registry.hash_key_file);
    g.Bool("create_key", &config.registry.create_key);
    g.Int("name_match_percent", 50, 100, &config.registry.name_match_percent);
    g.Int("citizen_checks_per_hour", 1, 1'000, &config.registry.citizen_checks_per_hour);
    g.Int("citizen_checks_per_day", 1, 10'000, &config.registry.citizen_checks_per_day);
    g.Int("citizen_checks_per_nik_per_day", 1, 1'000,
          &config.registry.citizen_checks_per_nik_per_day);
    g.RejectUnknown();
  }
  {
    ObjectReader g = r.Object("regions");
    g.String("data_dir", &config.regions.data_dir);
    g.String("home_regency", &config.regions.home_regency);
    g.RejectUnknown();
  }
  {
    ObjectReader t = r.Object("tickets");
    t.String("holidays_file", &config.tickets.holidays_file);
    t.Int("utc_offset_minutes", 0, 840, &config.tickets.utc_offset_minutes);
    t.Int("sla_verify_days", 1, 60, &config.tickets.sla_verify_days);
    t.Int("sla_follow_up_days", 1, 60, &config.tickets.sla_follow_up_days);
    t.Int("sla_complete_days", 1, 365, &config.tickets.sla_complete_days);
    t.Int("sla_warn_days", 0, 30, &config.tickets.sla_warn_days);
    t.Int("sla_interval_seconds", 1, 3'600, &config.tickets.sla_interval_seconds);
    t.String("unplaced_region", &config.tickets.unplaced_region);
    t.Bool("alerts_enabled", &config.tickets.alerts_enabled);
    t.Int("alert_interval_minutes", 0, 24 * 60, &config.tickets.alert_interval_minutes);
    t.String("alert_quiet_hours", &config.tickets.alert_quiet_hours);
    t.String("alert_channel", &config.tickets.alert_channel);
    t.RejectUnknown();
  }
  {
    ObjectReader u = r.Object("users");
    u.String("key_file", &config.users.key_file);
    u.Int("token_ttl_hours", 1, 720, &config.users.token_ttl_hours);
    u.Int("login_attempts_per_15_min", 1, 1'000, &config.users.login_attempts_per_15_min);
    u.Int("lockout_after_failures", 1, 100, &config.users.lockout_after_failures);
    u.Int("api_requests_per_minute_per_token", 1, 100'000,
          &config.users.api_requests_per_minute_per_token);
    u.Int("api_requests_per_minute_per_ip", 1, 100'000,
          &config.users.api_requests_per_minute_per_ip);
    u.RejectUnknown();
  }
  {
    ObjectReader w = r.Object("web");
    w.Bool("enabled", &config.web.enabled);
    w.String("dir", &config.web.dir);
    w.String("locales_dir", &config.web.locales_dir);
    w.RejectUnknown();
  }
  ReadRetention(r.Object("retention"), &config, &errors);
  ReadBroadcast(r.Object("broadcast"), &config, &errors);
  r.RejectUnknown();

  if (!config.public_listener.enabled && !config.private_listener.enabled) {
    errors.emplace_back("public.enabled, private.enabled: at least one listener must be enabled");
  }
  if (config.store.path.empty()) errors.emplace_back("store.path: must not be empty");
  if (config.registry.dir.empty()) errors.emplace_back("registry.dir: must not be empty");
  if (config.registry.hash_key_file.empty()) {
    errors.emplace_back("registry.hash_key_file: must not be empty");
  }
  if (config.registry.citizen_checks_per_day < config.registry.citizen_checks_per_hour) {
    errors.emplace_back(
        "registry.citizen_checks_per_day: must not be below citizen_checks_per_hour");
  }
  if (!IsRegencyCode(config.regions.home_regency)) {
    errors.emplace_back("regions.home_regency: a regency code like \"32.01\"");
  }
  if (!IsRegencyCode(config.tickets.unplaced_region)) {
    errors.emplace_back("tickets.unplaced_region: a regency code like \"32.01\"");
  }
  if (!ParseQuietHours(config.tickets.alert_quiet_hours).has_value()) {
    errors.emplace_back("tickets.alert_quiet_hours: \"HH:MM-HH:MM\" in office time, or \"\"");
  }
  if (!config.tickets.alert_channel.empty()) {
    const auto ids = ChannelIds(config);
    const bool sms = config.tickets.alert_channel.starts_with("kannel:") ||
                     config.tickets.alert_channel.starts_with("gammu:");
    if (!sms || std::find(ids.begin(), ids.end(), config.tickets.alert_channel) == ids.end()) {
      errors.emplace_back("tickets.alert_channel: a Kannel or Gammu channel of this config");
    }
  }

  if (!errors.empty()) {
    std::string message;
    for (const auto& e : errors) {
      if (!message.empty()) message += '\n';
      message += e;
    }
    return MakeError(ErrorCode::kInvalidArgument, message);
  }
  return config;
}

core::Result<Config> LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInvalidArgument, "cannot read config file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = ParseConfig(text.str());
  if (!parsed.ok()) {
    return MakeError(ErrorCode::kInvalidArgument, path + ": " + parsed.error().message);
  }
  return parsed;
}

core::Result<std::string> ResolveSecret(const SecretRef& ref, const std::string& key_path) {
  std::string value;
  if (!ref.env.empty()) {
    const char* v = std::getenv(ref.env.c_str());
    if (v == nullptr || *v == '\0') {
      return MakeError(ErrorCode::kInvalidArgument,
                       key_path + ": environment variable " + ref.env + " is not set");
    }
    value = v;
  } else {
    std::ifstream in(ref.file, std::ios::binary);
    if (!in) {
      return MakeError(ErrorCode::kInvalidArgument,
                       key_path + ": cannot read secret file " + ref.file);
    }
    std::ostringstream text;
    text << in.rdbuf();
    value = text.str();
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    if (value.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       key_path + ": secret file " + ref.file + " is empty");
    }
  }
  core::RegisterSecret(value);
  return value;
}

namespace {
std::string BesideStore(const Config& config, const std::string& configured, const char* name) {
  if (!configured.empty()) return configured;
  return (std::filesystem::path(config.store.path).parent_path() / name).string();
}
}  // namespace

std::string AuditAnchorFile(const Config& config) { return BesideStore(config, "", "audit.head"); }

std::string UsersKeyFile(const Config& config) {
  return BesideStore(config, config.users.key_file, "users.key");
}

std::string UnplacedRegion(const Config& config) {
  return config.tickets.unplaced_region.empty() ? config.regions.home_regency
                                                : config.tickets.unplaced_region;
}

std::string AlertChannel(const Config& config) {
  if (!config.tickets.alert_channel.empty()) return config.tickets.alert_channel;
  if (!config.channels.kannel.empty()) return "kannel:" + config.channels.kannel.front().name;
  if (!config.channels.gammu.empty()) return "gammu:" + config.channels.gammu.front().name;
  return {};
}

std::vector<std::string> ChannelIds(const Config& config) {
  std::vector<std::string> out;
  for (const auto& c : config.channels.whatsapp) out.push_back("whatsapp:" + c.name);
  for (const auto& c : config.channels.telegram) out.push_back("telegram:" + c.name);
  for (const auto& c : config.channels.kannel) out.push_back("kannel:" + c.name);
  for (const auto& c : config.channels.gammu) out.push_back("gammu:" + c.name);
  return out;
}

std::optional<std::pair<int, int>> ParseQuietHours(std::string_view text) {
  if (text.empty()) return std::pair<int, int>{0, 0};
  auto minute = [](std::string_view t) -> std::optional<int> {
    if (t.size() != 5 || t[2] != ':') return std::nullopt;
    for (int i : {0, 1, 3, 4}) {
      if (t[static_cast<std::size_t>(i)] < '0' || t[static_cast<std::size_t>(i)] > '9') {
        return std::nullopt;
      }
    }
    const int h = (t[0] - '0') * 10 + (t[1] - '0');
    const int m = (t[3] - '0') * 10 + (t[4] - '0');
    if (h > 23 || m > 59) return std::nullopt;
    return h * 60 + m;
  };
  if (text.size() != 11 || text[5] != '-') return std::nullopt;
  const auto from = minute(text.substr(0, 5));
  const auto until = minute(text.substr(6));
  if (!from || !until) return std::nullopt;
  return std::pair<int, int>{*from, *until};
}

std::string StateKeyFile(const Config& config) {
  return BesideStore(config, config.dialogs.state_key_file, "conversation.key");
}

}  // namespace satupintu::config
