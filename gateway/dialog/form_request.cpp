#include "dialog/form_request.hpp"

#include <algorithm>
#include <array>

#include "dialog/validate.hpp"
#include "understand/intent.hpp"
#include "understand/one_shot.hpp"

namespace satupintu::dialog {
namespace {

// The prefixes of tickets::CodePrefix (complaint, registration proposal, handover); the dialog
// library does not depend on the tickets one.
constexpr std::array<std::string_view, 3> kTicketPrefixes = {"ADU", "USL", "PTG"};

bool HasDigit(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "ADU-7K3M9Q", "adu 7k3m9q", "PTG 000001": a whole message that is one ticket code. A digit is
// required so that two words ("adu banget") are never read as a code.
std::optional<std::string> BareTicketCode(std::string_view text) {
  if (!HasDigit(text) || text.size() > 20) return std::nullopt;
  auto code = NormalizeTicketCode(text);
  if (!code) return std::nullopt;
  const std::string_view prefix = std::string_view(*code).substr(0, 3);
  if (std::find(kTicketPrefixes.begin(), kTicketPrefixes.end(), prefix) == kTicketPrefixes.end()) {
    return std::nullopt;
  }
  return code;
}

}  // namespace

std::optional<FormRequest> ReadFormRequest(std::string_view text, const DialogSet& dialogs,
                                           const locale::Catalog& catalog,
                                           const understand::Lexicon& lexicon,
                                           const std::string& language) {
  FormRequest request;
  if (auto code = BareTicketCode(text)) {
    request.flow = "ticket_status";
    request.prefill = {{"mode", "code"}, {"code", *code}};
    return request;
  }
  auto form = understand::SplitOneShot(text);
  if (!form.has_value()) return std::nullopt;
  // "daftar dtks gmn caranya" starts with a form's keyword but is a sentence: a form that is
  // incomplete and has no digit at all goes to intent recognition instead.
  const bool has_digit = HasDigit(text);
  // "cek bansos" asks about the registry: CEK is the form only with something like a code.
  if (form->keyword == "CEK" && !has_digit &&
      (form->fields.empty() || !NormalizeTicketCode(form->fields[0]))) {
    return std::nullopt;
  }
  // REG#NIK# from someone who does not know the KK: the registration asks for the rest.
  const bool reg_nik_only = form->fields.size() == 1 &&
                            form->error == understand::OneShotError::kMissingFields &&
                            (form->keyword == "REG" || form->keyword == "DAFTAR");
  if (!form->ok() && !has_digit) return std::nullopt;
  if (!form->ok() && !reg_nik_only) {
    request.incomplete = true;
    return request;
  }
  const auto& f = form->fields;
  if (form->keyword == "ADU") {
    // One message is the whole complaint: the category is the one its text names, else
    // "lainnya"; the facilitator corrects it when triaging.
    const Category* c = dialogs.FindCategory(understand::RecognizeCategory(f[1], lexicon));
    if (c == nullptr) c = dialogs.FindCategory("lainnya");
    if (c == nullptr) c = &dialogs.Categories().front();
    request.flow = "complaint";
    request.slots = {{"category", c->id}, {"category_label", catalog.Text(language, c->label)}};
    request.prefill = {{"nik", f[0]}, {"description", f[1]}};
  } else if (form->keyword == "CEK") {
    request.flow = "ticket_status";
    request.prefill = {{"mode", "code"}, {"code", f[0]}};
  } else if (form->keyword == "DTKS") {
    request.flow = "registry_check";
    request.prefill = {{"nik", f[0]}, {"name", f[1]}};
  } else {  // REG, DAFTAR
    request.flow = "registration";
    request.prefill = {{"nik", f[0]}};
    if (f.size() > 1) request.prefill["kk"] = f[1];
  }
  return request;
}

}  // namespace satupintu::dialog
