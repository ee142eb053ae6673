#pragma once
// Citizen identity across channels. A citizen has several addresses; an address is the string
// an adapter produces: E.164 digits for a phone number ("6281234567890", so the WhatsApp wa_id
// and the SMS sender of one number are the same address and one citizen without any linking)
// or "tg:<chat id>" for a Telegram chat. Callers normalise phone numbers first
// (adapters::NormalizePhone); these functions refuse anything that is not already canonical.
//
// Every function runs inside a job the caller hands to storage::Store (writes in Store::Write,
// reads in Store::Write or Store::Read) on the Db& it is given, so the gateway composes them
// with other work in one transaction. None of them opens a transaction of its own.
// Error messages never contain an address.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::citizens {

enum class AddressKind { kPhone, kTelegram };

const char* AddressKindName(AddressKind kind);

// "tg:" followed by an optional '-' and 1-20 digits -> kTelegram; 7-15 digits not starting
// with 0 (E.164 without '+') -> kPhone; anything else, including a national "0812..." or a
// "+62..." that was not normalised, -> nullopt.
std::optional<AddressKind> KindOf(std::string_view address);

struct ChannelActivity {
  std::string channel;  // "whatsapp:wa-main", "kannel:modem1", "telegram:bot"
  std::int64_t last_inbound_at_ms = 0;
};

struct Address {
  std::string address;
  AddressKind kind = AddressKind::kPhone;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> opted_out_at_ms;
  std::vector<ChannelActivity> channels;  // ordered by channel name
};

// Records that `address` wrote to `channel` at `at_ms`: creates the citizen and the address
// when new, and moves the channel's last inbound time forward (never back: a provider's late
// retry of an old message does not shorten WhatsApp's window). Returns the citizen id.
// Does not clear an opt-out: that is the dialog's decision (ClearOptOut).
core::Result<std::int64_t> TouchInbound(storage::Db& db, std::string_view address,
                                        std::string_view channel, std::int64_t at_ms);

// A Telegram chat shared its own phone number (contact with its own user id; the caller
// checks that). Afterwards the telegram address and the phone belong to one citizen:
//  - both unknown: one new citizen with both addresses;
//  - only one known: the other address joins its citizen;
//  - both known, different citizens: the telegram address's citizen is merged into the
//    phone's citizen: all its addresses move, its language fills the phone citizen's when
//    that has none, and it keeps merged_into = the phone citizen, so ids held elsewhere
//    (sessions, cases) resolve with ResolveCitizen. The phone's citizen wins because a phone
//    number is the identity the welfare office knows.
// Idempotent. Returns the resulting citizen id.
core::Result<std::int64_t> LinkPhone(storage::Db& db, std::string_view telegram_address,
                                     std::string_view phone, std::int64_t now_ms);

// Opt-out is per address: a citizen who stops SMS may still use WhatsApp. Marking an unknown
// address creates it (an opt-out is never dropped); marking twice keeps the first time.
core::Status MarkOptedOut(storage::Db& db, std::string_view address, std::int64_t now_ms);
// Clearing an unknown or not opted-out address does nothing.
core::Status ClearOptOut(storage::Db& db, std::string_view address);
// False for an unknown address.
core::Result<bool> IsOptedOut(storage::Db& db, std::string_view address);

// The citizen owning `address`, or nullopt when unknown.
core::Result<std::optional<std::int64_t>> CitizenOf(storage::Db& db, std::string_view address);

// The live citizen an id stands for: itself, or the citizen it was merged into. nullopt for
// an id that never existed.
core::Result<std::optional<std::int64_t>> ResolveCitizen(storage::Db& db, std::int64_t citizen_id);

// Addresses of a citizen (merged ids resolved), ordered by address.
core::Result<std::vector<Address>> AddressesOf(storage::Db& db, std::int64_t citizen_id);

// When `address` last wrote to `channel`; nullopt if it never did.
core::Result<std::optional<std::int64_t>> LastInbound(storage::Db& db, std::string_view address,
                                                      std::string_view channel);

// The phone number to reach a citizen by, or nullopt: among its phone addresses the ones not
// opted out first, then the most recent inbound on any channel, then the most recently added.
core::Result<std::optional<std::string>> PhoneOf(storage::Db& db, std::int64_t citizen_id);

// The citizen's language tag ("id", "jv", "su"...), nullopt until one is set.
core::Result<std::optional<std::string>> LanguageOf(storage::Db& db, std::int64_t citizen_id);
// `language`: 2-35 of [A-Za-z0-9-] (a BCP 47 tag), or empty to forget the choice.
// kNotFound for an unknown citizen.
core::Status SetLanguage(storage::Db& db, std::int64_t citizen_id, std::string_view language);

}  // namespace satupintu::citizens
