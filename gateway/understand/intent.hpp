#pragma once
// What a citizen's free-typed first message is about ("PKH sy gk cair2 udh 3 bln" is a PKH
// complaint, "mau daftar dtks gmn" a registration, "jgn kirim sms lg" an opt-out), from the
// lexicon's "intents" and "categories" phrase lists (locales/lexicon/, Indonesian with informal
// spellings, Javanese, Sundanese). A guess for the dialog to confirm with the citizen, never a
// decision. Deterministic; no I/O; nothing logged.
//
// Method (gateway/understand/README.md has the reasons and the measured accuracy):
// 1. The text is normalised (NormalizeMessage: folding, repeated letters, "cair2", "gk" ->
//    "tidak", ...).
// 2. Intent pass: from left to right, the longest phrase of any intent list (and of the thanks
//    and greetings lists) starting at each token is taken and its tokens consumed; equal
//    lengths go to the earlier intent in the order opt_out, ticket_status, human, opt_in,
//    registration, registry_check, complaint, help. A message token matches a phrase token
//    when equal or when it is that token plus a clitic suffix ("pkhnya", "sembakone",
//    "daftarkan": -nya -ne -na -ku -mu -kan -e, on phrase tokens of 3+ letters).
// 3. Negation: a match of registration, registry_check, ticket_status, human, opt_in or help
//    right after a negating word (a lexicon negator or a one-word "no" word: "tidak", "jangan",
//    "ora", "ulah", ...), optionally with one modal word between ("tidak mau daftar",
//    "ora arep daftar"), does not count: "tidak mau daftar" is not a registration. Complaint and
//    opt-out phrases carry their own negation ("belum cair", "jangan kirim sms").
// 4. Score per intent: each counted match adds the intent's weight (opt_out 4, ticket_status 4,
//    human 3, opt_in 3, registration 3, complaint 3, registry_check 2, help 1) plus one per
//    extra token of the phrase (a longer phrase is surer).
// 5. Category pass, independent of step 2: the same longest-match over the category lists,
//    plus typo tolerance for programme names (text::BoundedEditDistance, single-token category
//    phrases only: distance 1 for words of 6+ letters, 2 for 9+; distance 1 between
//    four-letter-plus acronyms without vowels, "bnpt" for "bpnt"; doubled letters collapsed,
//    "pkhh" for "pkh"). Any category mention adds 1 to the complaint score: a programme named
//    with no other intent ("pkh", "bansos pkh saya gimana") is taken as a complaint about it,
//    since that is the most common reason to write and the dialog confirms anyway; with
//    "cek" it is a registry check, with "daftar" a registration.
// 6. The intent is the highest score (ties in the order of step 2). When no intent scored:
//    thanks if a thanks phrase was found, else greeting if a greeting was found, else unknown.
//    A thanks phrase also beats help alone ("terima kasih atas bantuannya"). Greetings never
//    beat anything else ("halo pak, PKH saya belum cair" is a complaint).
// 3b. A complaint or ticket-status match followed by a place of the lexicon's reported_to list
//    (optionally after a connector and a title: "sudah lapor ke pak RT", "wis lapor neng deso")
//    is a complaint made in person, scored as a complaint phrase of its whole length; the place
//    tokens are not detail.
// 7. For a complaint, the category by tiers: "pemulangan"; a programme (any id not named
//    below) with the most matched tokens, the earliest on a tie; "pungli" / "adminduk"; "data";
//    a category hint (lexicon category_hints: "kks", "ktp"); "lainnya"; else "" (the dialog
//    asks). Typo tolerance (step 5) only for programmes, "data" and "lainnya". A category of the
//    first or third tier adds 2 to the complaint score instead of 1.
// 8. has_detail (complaints only): at least two tokens say something of the citizen's own:
//    tokens of complaint phrases ("belum cair", "dicoret"), digits, words the lexicon does not
//    know at all ("rekening"), and category words after the first ("rumah bocor, atap mau
//    ambruk": the first names the programme, the others describe); greetings, the programme
//    name, fillers ("saya", "mau", abbreviation expansions) and the words of other intents do
//    not count. "mau ngadu", "pkh", "bansos pkh saya
//    gimana" have none; "PKH sy gk cair2 udh 3 bln" has.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "understand/lexicon.hpp"

namespace satupintu::understand {

enum class Intent : std::uint8_t {
  kUnknown,
  kComplaint,
  kRegistryCheck,
  kRegistration,
  kTicketStatus,
  kHelp,
  kOptOut,
  kOptIn,
  kHuman,
  kThanks,
  kGreeting
};

// "unknown", "complaint", "registry_check", "registration", "ticket_status", "help", "opt_out",
// "opt_in", "human", "thanks", "greeting"
const char* IntentName(Intent intent);
std::optional<Intent> IntentFromName(std::string_view name);

struct IntentGuess {
  Intent intent = Intent::kUnknown;
  std::string category;     // complaint category id from the lexicon, "" when none recognised
  bool has_detail = false;  // the message says more than keywords: worth keeping as the
                            // complaint description (e.g. "PKH sy gk cair2 udh 3 bln" yes,
                            // "mau ngadu" no)
};

IntentGuess RecognizeIntent(std::string_view text, const Lexicon& lexicon);

// Steps 1, 5 and 7 alone: the complaint category the text names, "" when none, whatever its
// intent. For a message already known to be a complaint (the text of ADU#NIK#text, where
// "pkh belum cair, sudah lapor ke pendamping" would otherwise not be read as a complaint).
std::string RecognizeCategory(std::string_view text, const Lexicon& lexicon);

}  // namespace satupintu::understand
