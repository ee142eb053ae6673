#pragma once
// One citizen talking to the dialogs without a phone: `satupintu chat` and the transcript
// tests. Each line goes through the same runtime as a channel message (conversation state and
// tickets in the store, services, rendering for the channel); the replies are returned as the
// citizen would see them instead of being queued for sending.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "app/dialog_stack.hpp"
#include "storage/store.hpp"

namespace satupintu::app {

enum class ChatChannel { kSms, kWhatsApp, kTelegram };

class ChatSession {
 public:
  // `address`: "6281100000001" for SMS/WhatsApp, "tg:1001" for Telegram.
  ChatSession(storage::Store* store, DialogStack* stack, ChatChannel channel, std::string address);

  // The citizen writes `text` (or taps the button `choice_id`); returns the replies rendered
  // for the channel (Preview). Errors are returned as one line starting with "ERROR: ".
  std::vector<std::string> Say(const std::string& text, const std::string& choice_id = "");
  // Moves the session clock forward and runs the due timers (reminders, expiries).
  std::vector<std::string> Advance(std::int64_t minutes);
  // The office starts `flow` for this citizen (the survey after a ticket closed).
  std::vector<std::string> Start(const std::string& flow,
                                 const std::map<std::string, std::string>& slots);

  std::int64_t NowMs() const { return base_ms_ + offset_ms_; }
  const std::string& Channel() const { return channel_; }
  // The choices of the last reply that had any, {id, title} (for tapping by number).
  const std::vector<std::pair<std::string, std::string>>& LastChoices() const {
    return last_choices_;
  }

 private:
  using Turn = std::function<core::Result<std::vector<compose::Outgoing>>(storage::Db&)>;
  // Runs `turn` as one write job of the store, waits, and renders its replies.
  std::vector<std::string> Run(const Turn& turn);

  storage::Store* store_;
  DialogStack* stack_;
  std::string channel_;
  std::string address_;
  std::int64_t base_ms_;
  std::int64_t offset_ms_ = 0;
  std::int64_t next_id_;
  std::vector<std::pair<std::string, std::string>> last_choices_;
};

}  // namespace satupintu::app
