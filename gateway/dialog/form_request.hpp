#pragma once
// What a message that is a one-shot SMS form (ADU#NIK#text, CEK <code>, DTKS NIK NAME,
// REG#NIK#KK#) or a bare ticket code ("ADU-7K3M9Q", "adu 7k3m9q") asks for: the flow to run and
// the answers it already holds. Read the same way on a first message and in the middle of a
// dialog (the engine decides what happens to a dialog a form interrupts).

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "dialog/definition.hpp"
#include "locale/catalog.hpp"
#include "understand/lexicon.hpp"

namespace satupintu::dialog {

struct FormRequest {
  std::string flow;                            // "complaint", "ticket_status", ...
  std::map<std::string, std::string> slots;    // set before the flow starts (the category)
  std::map<std::string, std::string> prefill;  // raw answers, validated at their steps
  bool incomplete = false;  // a form with a field missing: answer "oneshot.format", start nothing
};

// nullopt when `text` is neither a form nor a bare ticket code, and for sentences that start
// with a keyword ("cek bansos", "daftar dtks gmn caranya": no digit, incomplete). Then:
// - ADU: the complaint with the category the text names (understand::RecognizeCategory:
//   "pkh belum cair, sudah lapor ke pendamping" is PKH, "kks hilang" Sembako), else "lainnya";
// - CEK <code> (spaces inside the code allowed: "CEK adu hph855") and a message that is only a
//   ticket code of a known prefix with at least one digit: the ticket status by code;
// - DTKS: the registry check; REG / DAFTAR: the registration (REG#NIK# alone too).
std::optional<FormRequest> ReadFormRequest(std::string_view text, const DialogSet& dialogs,
                                           const locale::Catalog& catalog,
                                           const understand::Lexicon& lexicon,
                                           const std::string& language);

}  // namespace satupintu::dialog
