#include "understand/intent.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "text/edit_distance.hpp"
#include "understand/normalize.hpp"

namespace satupintu::understand {
namespace {

constexpr std::array<const char*, 11> kNames = {
    "unknown", "complaint", "registry_check", "registration", "ticket_status", "help",
    "opt_out", "opt_in",    "human",          "thanks",       "greeting"};

struct Weighted {
  Intent intent;
  int weight;
  bool negatable;  // "tidak mau daftar" cancels it
  bool command;    // a one-word phrase ("stop", "mulai") counts only when no category is named
};

// Step 2's order (ties) and step 4's weights.
constexpr std::array<Weighted, 8> kScored = {{
    {Intent::kOptOut, 4, false, true},
    {Intent::kTicketStatus, 4, true, false},
    {Intent::kHuman, 3, true, false},
    {Intent::kOptIn, 3, true, true},
    {Intent::kRegistration, 3, true, false},
    {Intent::kRegistryCheck, 2, true, false},
    {Intent::kComplaint, 3, false, false},
    {Intent::kHelp, 1, true, false},
}};
constexpr std::size_t kThanksList = kScored.size();
constexpr std::size_t kGreetingList = kScored.size() + 1;
constexpr std::size_t kListCount = kScored.size() + 2;

constexpr std::array<std::string_view, 7> kSuffixes = {"nya", "ne", "na", "ku", "mu", "kan", "e"};
// Words allowed between a negator and what it negates ("tidak mau daftar").
constexpr std::array<std::string_view, 14> kModals = {"mau",  "ingin", "perlu",  "usah",   "bisa",
                                                      "arep", "badhe", "pengen", "hoyong", "bade",
                                                      "iso",  "isa",   "saged",  "tiasa"};

// Words between a complaint or ticket-status phrase and where the citizen reported in person
// ("sudah lapor ke pak RT", "wis lapor neng deso", "atos lapor ka desa").
constexpr std::array<std::string_view, 16> kConnectors = {
    "ke",   "di",   "sama", "dengan",  "kepada", "pada", "ka",    "dhateng",
    "teng", "nang", "neng", "menyang", "marang", "karo", "kalih", "lewat"};
constexpr std::array<std::string_view, 8> kTitles = {"bapak", "ibu", "mas",  "mbak",
                                                     "kang",  "teh", "mbah", "pa"};

// Step 7's tiers, best first. A stranded person needs to get home whatever else the message
// says ("nenek terlantar di terminal" is not an elderly-aid complaint); a programme named beats
// the kind of problem (illegal fees, civil documents: "pkh dipotong ketua kelompok" goes to
// PKH), which beats the registry; a hint ("kks", "ktp") counts only when no other category is
// named but "other" ("bansos").
enum Tier : int { kStranded, kProgramme, kKind, kRegistry, kHint, kOther };
constexpr std::array<std::string_view, 2> kKindCategories = {"pungli", "adminduk"};
int CategoryTier(std::string_view id, bool hint) {
  if (id == "pemulangan") return kStranded;
  if (hint) return kHint;
  if (std::find(kKindCategories.begin(), kKindCategories.end(), id) != kKindCategories.end()) {
    return kKind;
  }
  if (id == "data") return kRegistry;
  if (id == "lainnya") return kOther;
  return kProgramme;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool HasDigit(std::string_view token) {
  for (char c : token) {
    if (IsDigit(c)) return true;
  }
  return false;
}

bool TokenMatches(std::string_view token, std::string_view word) {
  if (token == word) return true;
  if (word.size() < 3 || token.size() <= word.size() || token.substr(0, word.size()) != word) {
    return false;
  }
  const std::string_view rest = token.substr(word.size());
  for (auto suffix : kSuffixes) {
    if (rest == suffix) return true;
  }
  return false;
}

std::size_t MatchAt(const std::vector<std::string>& tokens, std::size_t at, const Phrase& phrase) {
  if (phrase.empty() || at + phrase.size() > tokens.size()) return 0;
  for (std::size_t i = 0; i < phrase.size(); ++i) {
    if (!TokenMatches(tokens[at + i], phrase[i])) return 0;
  }
  return phrase.size();
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool IsAcronym(std::string_view word) {
  if (word.size() < 4) return false;
  for (char c : word) {
    if (IsVowel(c) || IsDigit(c)) return false;
  }
  return true;
}

std::string CollapseDoubles(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (out.empty() || out.back() != c) out.push_back(c);
  }
  return out;
}

// Typo tolerance for one-token category phrases (step 5).
bool FuzzyMatches(std::string_view token, std::string_view word) {
  if (HasDigit(token)) return false;
  if (token.size() >= 4 && CollapseDoubles(token) == word) return true;
  if (IsAcronym(word)) {
    return IsAcronym(token) && text::BoundedEditDistance(token, word, 1) <= 1;
  }
  const int allowed = word.size() >= 9 ? 2 : word.size() >= 6 ? 1 : 0;
  if (allowed == 0 || token.size() + 2 < word.size()) return false;
  return text::BoundedEditDistance(token, word, allowed) <= allowed;
}

struct Match {
  std::size_t list = 0;  // index into the lists searched
  std::size_t at = 0;
  std::size_t length = 0;
};

// Longest phrase of `lists` starting at tokens[at]; ties go to the earlier list.
Match LongestAt(const std::vector<std::string>& tokens, std::size_t at,
                const std::vector<const std::vector<Phrase>*>& lists) {
  Match best{0, at, 0};
  for (std::size_t l = 0; l < lists.size(); ++l) {
    for (const auto& phrase : *lists[l]) {
      if (phrase.size() <= best.length) break;  // lists are longest first
      if (MatchAt(tokens, at, phrase) != 0) {
        best = {l, at, phrase.size()};
        break;
      }
    }
  }
  return best;
}

bool IsNegating(const std::string& token, const Lexicon& lexicon) {
  if (lexicon.IsNegator(token)) return true;
  for (const auto& no : lexicon.No()) {
    if (no.size() == 1 && no[0] == token) return true;
  }
  return false;
}

bool IsModal(std::string_view token) {
  return std::find(kModals.begin(), kModals.end(), token) != kModals.end();
}

// The end of "[connector] [title] place" starting at tokens[at] ("ke pak rt"), 0 when there is
// no place of the lexicon's reported_to list there.
std::size_t ReportedToEnd(const std::vector<std::string>& tokens, std::size_t at,
                          const Lexicon& lexicon) {
  std::size_t i = at;
  if (i < tokens.size() &&
      std::find(kConnectors.begin(), kConnectors.end(), tokens[i]) != kConnectors.end()) {
    ++i;
  }
  if (i < tokens.size() && std::find(kTitles.begin(), kTitles.end(), tokens[i]) != kTitles.end()) {
    ++i;
  }
  for (const auto& phrase : lexicon.ReportedTo()) {
    if (MatchAt(tokens, i, phrase) != 0) return i + phrase.size();
  }
  return 0;
}

// Kind of each token, for negation and has_detail.
enum class Role : std::uint8_t { kFree, kComplaint, kOther, kCategory };

// Steps 5 and 7: the category the tokens name ("" when none); category tokens that were free
// get Role::kCategory.
std::string CategoryOf(const std::vector<std::string>& tokens, const Lexicon& lexicon,
                       std::vector<Role>& role, int* chosen_tier = nullptr) {
  struct List {
    std::string_view id;
    int tier = 0;
    bool fuzzy = false;  // typo tolerance: programme names, the registry, "other"
  };
  std::vector<List> info;
  std::vector<const std::vector<Phrase>*> lists;
  for (const auto* group : {&lexicon.Categories(), &lexicon.CategoryHints()}) {
    const bool hint = group == &lexicon.CategoryHints();
    for (const auto& [id, phrases] : *group) {
      const int t = CategoryTier(id, hint);
      info.push_back({id, t, t == kProgramme || t == kRegistry || t == kOther});
      lists.push_back(&phrases);
    }
  }
  std::vector<int> score(lists.size(), 0);
  std::vector<std::size_t> first(lists.size(), tokens.size());
  for (std::size_t at = 0; at < tokens.size();) {
    Match m = LongestAt(tokens, at, lists);
    for (std::size_t l = 0; l < lists.size() && m.length == 0; ++l) {
      if (!info[l].fuzzy) continue;
      for (const auto& phrase : *lists[l]) {
        if (phrase.size() == 1 && FuzzyMatches(tokens[at], phrase[0])) {
          m = {l, at, 1};
          break;
        }
      }
    }
    if (m.length == 0) {
      ++at;
      continue;
    }
    score[m.list] += static_cast<int>(m.length);
    if (first[m.list] == tokens.size()) first[m.list] = at;
    for (std::size_t i = at; i < at + m.length; ++i) {
      if (role[i] == Role::kFree) role[i] = Role::kCategory;
    }
    at += m.length;
  }
  std::size_t chosen = lists.size();
  for (std::size_t i = 0; i < lists.size(); ++i) {
    if (score[i] == 0) continue;
    if (chosen == lists.size() || info[i].tier < info[chosen].tier ||
        (info[i].tier == info[chosen].tier &&
         (score[i] > score[chosen] || (score[i] == score[chosen] && first[i] < first[chosen])))) {
      chosen = i;
    }
  }
  if (chosen == lists.size()) return {};
  if (chosen_tier != nullptr) *chosen_tier = info[chosen].tier;
  return std::string(info[chosen].id);
}

}  // namespace

const char* IntentName(Intent intent) {
  const auto i = static_cast<std::size_t>(intent);
  return i < kNames.size() ? kNames[i] : "unknown";
}

std::optional<Intent> IntentFromName(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (name == kNames[i]) return static_cast<Intent>(i);
  }
  return std::nullopt;
}

std::string RecognizeCategory(std::string_view text, const Lexicon& lexicon) {
  const auto tokens = NormalizeMessage(text, lexicon).tokens;
  std::vector<Role> role(tokens.size(), Role::kFree);
  return CategoryOf(tokens, lexicon, role);
}

IntentGuess RecognizeIntent(std::string_view text, const Lexicon& lexicon) {
  IntentGuess guess;
  const auto tokens = NormalizeMessage(text, lexicon).tokens;
  if (tokens.empty()) return guess;

  std::vector<Role> role(tokens.size(), Role::kFree);
  std::size_t complaint_index = 0;
  while (kScored[complaint_index].intent != Intent::kComplaint) ++complaint_index;

  // Steps 2-4: the intent pass.
  std::vector<const std::vector<Phrase>*> lists;
  lists.reserve(kListCount);
  for (const auto& w : kScored) lists.push_back(&lexicon.IntentPhrases(w.intent));
  lists.push_back(&lexicon.Thanks());
  lists.push_back(&lexicon.Greetings());
  std::array<int, kScored.size()> score{};
  std::array<int, kScored.size()> command_score{};  // the part from one-word commands
  bool thanks = false;
  bool greeting = false;
  for (std::size_t at = 0; at < tokens.size();) {
    const Match m = LongestAt(tokens, at, lists);
    if (m.length == 0) {
      ++at;
      continue;
    }
    const bool complaint = m.list < kScored.size() && kScored[m.list].intent == Intent::kComplaint;
    for (std::size_t i = at; i < at + m.length; ++i) {
      role[i] = complaint ? Role::kComplaint : Role::kOther;
    }
    // Step 3b: "sudah lapor ke desa", "pengaduan saya di kelurahan": a complaint made in person,
    // not a question about one made here (there is no ticket to show).
    std::size_t place_end = 0;
    if (complaint || (m.list < kScored.size() && kScored[m.list].intent == Intent::kTicketStatus)) {
      place_end = ReportedToEnd(tokens, at + m.length, lexicon);
    }
    if (place_end != 0) {
      for (std::size_t i = at + m.length; i < place_end; ++i) role[i] = Role::kOther;
      score[complaint_index] +=
          kScored[complaint_index].weight + static_cast<int>(place_end - at) - 1;
      at = place_end;
      continue;
    }
    if (m.list == kThanksList) {
      thanks = true;
    } else if (m.list == kGreetingList) {
      greeting = true;
    } else {
      const auto& w = kScored[m.list];
      bool negated = false;
      if (w.negatable && at > 0) {
        std::size_t before = at - 1;
        if (IsModal(tokens[before]) && before > 0) --before;
        negated = role[before] == Role::kFree && IsNegating(tokens[before], lexicon);
      }
      if (!negated) {
        const int points = w.weight + static_cast<int>(m.length) - 1;
        score[m.list] += points;
        if (w.command && m.length == 1) command_score[m.list] += points;
      }
    }
    at += m.length;
  }

  // Steps 5 and 7: the category pass (the choice is used for complaints only).
  int category_tier = kOther;
  const std::string category = CategoryOf(tokens, lexicon, role, &category_tier);
  const bool any_category = !category.empty();

  // Step 6: the intent.
  if (any_category) {
    // A programme named alone is probably a complaint about it; a stranded person, an illegal
    // fee or a missing document named is a problem told ("ktp hilang", "ada pungli").
    score[complaint_index] += category_tier == kStranded || category_tier == kKind ? 2 : 1;
    // "bantuan sosial sy berhenti" is about the aid stopping, not a "stop" command.
    for (std::size_t i = 0; i < score.size(); ++i) score[i] -= command_score[i];
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < score.size(); ++i) {
    if (score[i] > score[best]) best = i;
  }
  const bool only_help = kScored[best].intent == Intent::kHelp;
  if (score[best] == 0 || (thanks && only_help)) {
    guess.intent = thanks ? Intent::kThanks : greeting ? Intent::kGreeting : Intent::kUnknown;
    return guess;
  }
  guess.intent = kScored[best].intent;
  if (guess.intent != Intent::kComplaint) return guess;

  guess.category = category;

  // Step 8: detail.
  int own = 0;
  bool named = false;  // the first category word names the programme; later ones describe
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (role[i] == Role::kCategory) {
      if (named) ++own;
      named = true;
    } else if (role[i] == Role::kComplaint ||
               (role[i] == Role::kFree &&
                (HasDigit(tokens[i]) || !lexicon.IsPhraseWord(tokens[i])))) {
      ++own;
    }
  }
  guess.has_detail = own >= 2;
  return guess;
}

}  // namespace satupintu::understand
