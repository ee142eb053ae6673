#pragma once
// Gammu SMSD settings the pure logic needs. The database path and the poll interval belong to
// the gateway, which runs the SQL; nothing here is secret.

#include <chrono>
#include <cstddef>
#include <string>

namespace satupintu::adapters::gammu {

struct Config {
  // Operators bill per part and phones struggle past a handful; the dialogs keep to far less.
  std::size_t max_parts = 6;
  // An incomplete concatenated message older than this is delivered as it is. SMSD itself
  // holds parts back for MultipartTimeout (600 s by default) before storing a lone part, so
  // anything shorter would cut off messages SMSD was still completing.
  std::chrono::seconds partial_timeout{std::chrono::minutes(15)};
  // SMSD on SQLite writes ReceivingDateTime in the local time of its host (datetime('now',
  // 'localtime')), without a zone: WIB hosts need +7 h, WITA +8 h, WIT +9 h.
  std::chrono::seconds smsd_utc_offset{0};
  // Ask for status reports so sentitems can move from SendingOK to DeliveryOK/DeliveryFailed.
  bool delivery_report = true;
  // outbox.SenderID: with several SMSD instances (one per modem) on one database, the PhoneID
  // of the one that must send. Empty lets any instance take the message.
  std::string phone_id;
};

// Empty when usable, else why not (names the field, never a value).
std::string ValidateConfig(const Config& config);

}  // namespace satupintu::adapters::gammu
