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

// Runs `job` as one write job of the store and waits for it.
core::Status WriteAndWait(storage::Store* store, storage::Store::WriteJob job) {
  std::promise<core::Status> done;
  auto future = done.get_future();
  store->Write(std::move(job), [&done](core::Status s) { done.set_value(std::move(s)); });
  return future.get();
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

std::vector<std::string> ChatSession::Collect(
    core::Result<std::vector<outbound::Outgoing>> replies) {
  if (!replies.ok()) return {"ERROR: " + replies.error().message};
  std::vector<std::string> out;
  for (const auto& r : replies.value()) {
    if (!r.choices.empty()) last_choices_ = r.choices;
    out.push_back(conversation::Preview(r));
  }
  return out;
}

std::vector<std::string> ChatSession::Say(const std::string& text, const std::string& choice_id) {
  core::Result<std::vector<outbound::Outgoing>> replies = std::vector<outbound::Outgoing>{};
  const std::int64_t now = NowMs();
  const std::int64_t id = next_id_++;
  auto s = WriteAndWait(store_, [&](storage::Db& db) -> core::Status {
    auto citizen = citizens::TouchInbound(db, address_, channel_, now);
    if (!citizen.ok()) return citizen.error();
    conversation::Message m;
    m.journal_id = id;
    m.citizen_id = citizen.value();
    m.channel = channel_;
    m.address = address_;
    m.text = text;
    m.choice_id = choice_id;
    replies = stack_->conversations->OnMessage(db, m, now);
    return replies.ok() ? core::Status{} : core::Status(replies.error());
  });
  if (!s.ok()) return {"ERROR: " + s.error().message};
  return Collect(std::move(replies));
}

std::vector<std::string> ChatSession::Advance(std::int64_t minutes) {
  offset_ms_ += minutes * 60'000;
  core::Result<std::vector<outbound::Outgoing>> replies = std::vector<outbound::Outgoing>{};
  const std::int64_t now = NowMs();
  auto s = WriteAndWait(store_, [&](storage::Db& db) -> core::Status {
    replies = stack_->conversations->OnTimers(db, now, 1000);
    return replies.ok() ? core::Status{} : core::Status(replies.error());
  });
  if (!s.ok()) return {"ERROR: " + s.error().message};
  return Collect(std::move(replies));
}

std::vector<std::string> ChatSession::Start(const std::string& flow,
                                            const std::map<std::string, std::string>& slots) {
  core::Result<std::vector<outbound::Outgoing>> replies = std::vector<outbound::Outgoing>{};
  const std::int64_t now = NowMs();
  auto s = WriteAndWait(store_, [&](storage::Db& db) -> core::Status {
    auto citizen = citizens::CitizenOf(db, address_);
    if (!citizen.ok()) return citizen.error();
    if (!citizen.value()) return {};
    replies = stack_->conversations->Start(db, *citizen.value(), flow, slots, now);
    return replies.ok() ? core::Status{} : core::Status(replies.error());
  });
  if (!s.ok()) return {"ERROR: " + s.error().message};
  return Collect(std::move(replies));
}

}  // namespace satupintu::app
