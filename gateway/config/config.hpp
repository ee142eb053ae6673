#pragma once
// The typed configuration of one satupintu process. The defaults below ARE the embedded
// default deployment: one process, SQLite under ./var/, HTTPS on 127.0.0.1:8443 with a
// self-signed certificate, plain HTTP for local peers on 127.0.0.1:8080.

#include <cstdint>
#include <string>
#include <vector>

#include "config/reader.hpp"
#include "core/result.hpp"

namespace satupintu::config {

struct ListenerConfig {
  bool enabled = true;
  std::string address = "127.0.0.1";
  int port = 0;
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
  int read_timeout_ms = 10'000;  // whole request, headers and body: defeats slowloris
  int write_timeout_ms = 10'000;
  int idle_timeout_ms = 30'000;    // keep-alive wait for the next request
  int shutdown_grace_ms = 10'000;  // in-flight requests get this long after SIGTERM
  int max_connections = 4'096;
};

struct StoreConfig {
  std::string path = "var/satupintu.db";
  std::string synchronous = "full";  // full | normal
  int busy_timeout_ms = 2'000;
  int max_batch = 512;           // jobs sharing one commit
  std::int64_t max_size_mb = 0;  // 0 = no cap; a cap turns a full volume into a clean 503
};

struct LogConfig {
  std::string level = "info";
};

struct DiagnosticsConfig {
  // POST /diag/journal/{channel} on the private listener: a raw journal used by tests,
  // benchmarks and operators probing durability. Off unless asked for.
  bool journal_route = false;
  // When set, /diag/* routes require "Authorization: Bearer <token>".
  SecretRef token;
};

// One WhatsApp Cloud API business number. Webhook: /webhooks/whatsapp/{name} (public).
struct WhatsAppChannelConfig {
  std::string name;
  std::string base_url = "https://graph.facebook.com";
  std::string api_version = "v21.0";
  std::string phone_number_id;
  SecretRef access_token;
  SecretRef app_secret;
  SecretRef verify_token;
};

// One Telegram bot. Webhook: /webhooks/telegram/{name} (public).
struct TelegramChannelConfig {
  std::string name;
  std::string base_url = "https://api.telegram.org";  // or a self-hosted Bot API server
  SecretRef bot_token;
  SecretRef secret_token;
};

struct ChannelsConfig {
  std::vector<WhatsAppChannelConfig> whatsapp;
  std::vector<TelegramChannelConfig> telegram;
};

struct Config {
  ListenerConfig public_listener{true, "127.0.0.1", 8443};
  TlsConfig tls;
  ListenerConfig private_listener{true, "127.0.0.1", 8080};
  HttpConfig http;
  StoreConfig store;
  LogConfig log;
  DiagnosticsConfig diagnostics;
  ChannelsConfig channels;
};

// Parses JSON text (comments allowed). On failure the error message lists every problem,
// one per line, each naming its key.
core::Result<Config> ParseConfig(const std::string& text);
core::Result<Config> LoadConfigFile(const std::string& path);

// Reads a secret from its environment variable or file and registers it for redaction.
core::Result<std::string> ResolveSecret(const SecretRef& ref, const std::string& key_path);

}  // namespace satupintu::config
