#pragma once
// One citizen's conversation: where they are in which flow, what they have answered so far.
// Persisted by the runtime after every turn (gateway/conversation), so a restart continues
// where the citizen was.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace satupintu::dialog {

struct State {
  std::string language = "id";
  std::string flow;  // "" when idle
  std::string step;
  std::map<std::string, std::string> slots;
  // Raw answers to use at the step that asks for the slot, as if typed there (from a one-shot
  // form or a guessed free-text first message): validated like any answer.
  std::map<std::string, std::string> prefill;
  std::vector<std::pair<std::string, std::string>> candidates;  // {id, label}
  // A choice too long for one message goes in pages: the page shown is options
  // [page_start, page_start + page_size) plus "more" and "none of these" (0: all shown).
  // Kept so that the answer's number means what the citizen read.
  int page_start = 0;
  int page_size = 0;
  int tries = 0;
  std::string awaiting;  // the service whose result the engine waits for
  std::int64_t last_activity_ms = 0;
  bool reminded = false;
  // After an expiry, LANJUT continues here (the slots are kept).
  std::string resume_flow, resume_step;

  bool Idle() const { return flow.empty(); }
  friend bool operator==(const State&, const State&) = default;
};

// Compact JSON, for the conversation table; versioned ("v": 1).
std::string SerializeState(const State& state);
// nullopt for anything that is not a state this version wrote.
std::optional<State> ParseState(std::string_view text);

}  // namespace satupintu::dialog
