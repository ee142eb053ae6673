#pragma once
// Conversation state at rest. While a dialog runs its state holds what the citizen typed: NIK,
// name, birth date, the complaint (possibly health details), and after an expiry it is kept 7
// days so that LANJUT can resume. The `conversation` table therefore stores the state sealed
// with AES-256-GCM: a copied database file, a backup or an SQL console shows none of it.
//
// Stored form: "SPS1" | 12-byte random nonce | ciphertext | 16-byte tag. The citizen id is the
// associated data, so a state moved to another citizen's row does not open. The AES key is
// HMAC-SHA256(key file content, "satupintu conversation state v1"). Losing the key file costs
// only the dialogs in progress: those citizens start again at the menu.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace satupintu::conversation {

class StateSeal {
 public:
  // `key`: the key file's content (core::LoadOrCreateKeyFile). Empty: a random key for this
  // process only (states written now do not open after a restart).
  explicit StateSeal(std::string_view key) : StateSeal(key, kConversationLabel) {}
  // The same sealing for another purpose: `label` derives a key of its own from the key file
  // (the officers' alert addresses are sealed under the users key, "satupintu officer alert
  // address v1"); the id bound as associated data is then that record's.
  StateSeal(std::string_view key, std::string_view label);
  static constexpr std::string_view kConversationLabel = "satupintu conversation state v1";
  ~StateSeal();
  StateSeal(const StateSeal&) = delete;
  StateSeal& operator=(const StateSeal&) = delete;

  std::string Seal(std::string_view plain, std::int64_t citizen_id) const;
  // The plain state, or nothing when `sealed` is not ours, was altered, belongs to another
  // citizen or was sealed with another key.
  std::optional<std::string> Open(std::string_view sealed, std::int64_t citizen_id) const;

  static bool LooksSealed(std::string_view stored);

 private:
  std::array<unsigned char, 32> key_{};
};

}  // namespace satupintu::conversation
