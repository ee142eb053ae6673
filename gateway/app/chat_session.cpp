#include "app/chat_session.hpp"

#include <future>

#include "citizens/citizens.hpp"
#include "core/clock.hpp"

namespace satupintu::app {
namespace {

const char* ChannelName(ChatChannel c) {
  switch (c) {
    case ChatChannel::kSms:
      return "kannel:chat";
    case ChatChannel::kWhatsApp:
      return "whatsapp:chat";
    case ChatChannel::kTelegram:
      return "telegram:chat";
  }
  return "kannel:chat";
}

}  // namespace

ChatSession::ChatSession(storage::Store* store, DialogStack* stack, ChatChannel channel,
                         std::string address)
    : store_(store),
      stack_(stack),
      channel_(ChannelName(channel)),
      address_(std::move(address)),
      base_ms_(core::NowMs()),
      // Reply keys are "dlg-<id>-<n>"; a session's ids must not repeat an earlier session's.
      next_id_(core::NowMs()) {}

std::vector<std::string> ChatSession::Run(const Turn& turn) {
  core::Result<std::vector<compose::Outgoing>> replies = std::vector<compose::Outgoing>{};
  std::promise<core::Status> done;
  auto future = done.get_future();
  store_->Write(
      [&](storage::Db& db) -> core::Status {
        replies = turn(db);
        return replies.ok() ? core::Status{} : core::Status(replies.error());
      },
      [&done](core::Status s) { done.set_value(std::move(s)); });
  if (auto s = future.get(); !s.ok()) return {"ERROR: " + s.error().message};
  std::vector<std::string> out;
  for (const auto& r : replies.value()) {
    if (!r.choices.empty()) last_choices_ = r.choices;
    out.push_back(conversation::Preview(r));
  }
  return out;
}

std::vector<std::string> ChatSession::Say(const std::string& text, const std::string& choice_id) {
  const std::int64_t now = NowMs();
  const std::int64_t id = next_id_++;
  return Run([&](storage::Db& db) -> core::Result<std::vector<compose::Outgoing>> {
    auto citizen = citizens::TouchInbound(db, address_, channel_, now);
    if (!citizen.ok()) return citizen.error();
    conversation::Message m;
    m.journal_id = id;
    m.citizen_id = citizen.value();
    m.channel = channel_;
    m.address = address_;
    m.text = text;
    m.choice_id = choice_id;
    return stack_->conversations->OnMessage(db, m, now);
  });
}

std::vector<std::string> ChatSession::Advance(std::int64_t minutes) {
  offset_ms_ += minutes * 60'000;
  const std::int64_t now = NowMs();
  return Run([&](storage::Db& db) { return stack_->conversations->OnTimers(db, now, 1000); });
}

std::vector<std::string> ChatSession::Start(const std::string& flow,
                                            const std::map<std::string, std::string>& slots) {
  const std::int64_t now = NowMs();
  return Run([&](storage::Db& db) -> core::Result<std::vector<compose::Outgoing>> {
    auto citizen = citizens::CitizenOf(db, address_);
    if (!citizen.ok()) return citizen.error();
    if (!citizen.value()) return std::vector<compose::Outgoing>{};
    return stack_->conversations->Start(db, *citizen.value(), flow, slots, now);
  });
}

}  // namespace satupintu::app
