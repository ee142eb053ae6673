// One-shot forms and ticket codes as the engine reads them (dialog/form_request.hpp), first
// message or in the middle of a dialog, on the real dialogs, locales and lexicon.

#include "dialog/form_request.hpp"

#include <gtest/gtest.h>

#include "conversation/services.hpp"
#include "dialog/engine.hpp"
#include "dialog/state.hpp"
#include "paths/paths.hpp"
#include "unit/real_lexicon.hpp"

namespace satupintu::dialog {
namespace {

const std::string kSource = ::satupintu::testing::SourceDir();

const locale::Catalog& Locales() {
  static const locale::Catalog catalog = [] {
    auto c = locale::Catalog::Load(kSource + "/locales");
    EXPECT_TRUE(c.ok()) << c.error().message;
    return c.ok() ? std::move(c).value() : locale::Catalog();
  }();
  return catalog;
}

const DialogSet& Dialogs() {
  static const DialogSet dialogs = [] {
    auto d = DialogSet::Load(kSource + "/dialogs", Locales(), conversation::ServiceOutcomes());
    EXPECT_TRUE(d.ok()) << d.error().message;
    return d.ok() ? std::move(d).value() : DialogSet();
  }();
  return dialogs;
}

std::optional<FormRequest> Read(std::string_view text) {
  return ReadFormRequest(text, Dialogs(), Locales(), understand::testing::RealLexicon(), "id");
}

std::string CategoryOf(std::string_view text) {
  const auto r = Read(text);
  if (!r || r->flow != "complaint") return "(not a complaint form)";
  return r->slots.at("category");
}

TEST(FormRequest, OneShotComplaintKeepsTheProgrammeItsTextNames) {
  // Read as free text this is a question about an earlier report; in ADU it is a PKH complaint.
  EXPECT_EQ(CategoryOf("ADU#3206014508850003#pkh belum cair, sudah lapor ke pendamping"), "pkh");
  EXPECT_EQ(CategoryOf("ADU*3206014508850003*kks hilang"), "sembako");
  EXPECT_EQ(CategoryOf("adu/3206014508850003/saldo kks pkh kosong"), "pkh");
  EXPECT_EQ(CategoryOf("ADU#3206014508850003#ketua kelompok minta uang 50rb"), "pungli");
  EXPECT_EQ(CategoryOf("ADU#3206014508850003#ktp hilang, bantuan tdk bisa diambil"), "adminduk");
  EXPECT_EQ(CategoryOf("ADU#3206014508850003#sy terlantar di terminal, tdk ada ongkos pulang"),
            "pemulangan");
  EXPECT_EQ(CategoryOf("ADU#3206014508850003#tolong dibantu"), "lainnya");
  const auto r = Read("ADU#3206014508850003#kks hilang");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->slots.at("category_label"), "Sembako/BPNT");
  EXPECT_EQ(r->prefill.at("description"), "kks hilang");
}

TEST(FormRequest, TicketCodesWithSpacesAndBare) {
  for (const char* text : {"CEK ADU-7K3M9Q", "CEK adu hph855", "cek adu 7k3m9q", "ADU-7K3M9Q",
                           "adu 7k3m9q", "PTG-000001"}) {
    const auto r = Read(text);
    ASSERT_TRUE(r.has_value()) << text;
    EXPECT_EQ(r->flow, "ticket_status") << text;
    EXPECT_FALSE(r->incomplete) << text;
  }
  EXPECT_EQ(Read("CEK adu hph855")->prefill.at("code"), "adu hph855");
  EXPECT_EQ(Read("adu 7k3m9q")->prefill.at("code"), "ADU-7K3M9Q");
  // Two words are not a code; a sentence after CEK is the registry check's business.
  EXPECT_FALSE(Read("adu banget").has_value());
  EXPECT_FALSE(Read("XYZ-123456").has_value());
  EXPECT_FALSE(Read("cek bansos").has_value());
  EXPECT_FALSE(Read("cek status dtks saya").has_value());
  EXPECT_FALSE(Read("pkh sy blm cair").has_value());
  // A form with a digit but a field missing is answered with the format.
  ASSERT_TRUE(Read("ADU#3206014508850003#").has_value());
  EXPECT_TRUE(Read("ADU#3206014508850003#")->incomplete);
}

// The engine's side: a form in the middle of a dialog.
struct Citizen {
  Engine engine{Dialogs(), Locales(), understand::testing::RealLexicon()};
  State state;
  Output Say(const std::string& text) {
    Input in;
    in.text = text;
    in.now_ms = 1'700'000'000'000;
    in.today = {2026, 12, 7};
    return engine.Step(state, in);
  }
};

TEST(FormRequest, MidDialogFormIsActedOnAndTheDialogIsKept) {
  Citizen c;
  c.Say("menu");
  c.Say("3");  // registration: NIK
  c.Say("3206014508850003");
  ASSERT_EQ(c.state.step, "kk");
  const Output out = c.Say("ADU#3206014508850003#pkh belum cair");
  // The complaint starts with its answers (the place is asked, whatever the registry
  // holds for the NIK: nothing is looked up before a name)...
  EXPECT_EQ(c.state.flow, "complaint");
  EXPECT_EQ(c.state.slots.at("category"), "pkh");
  EXPECT_FALSE(out.call.has_value());
  EXPECT_EQ(c.state.step, "oneshot_village");
  // ...and the registration's answers ride along until it ends.
  ASSERT_TRUE(c.state.slots.contains("_keep_after_form"));
  const auto kept = ParseState(c.state.slots.at("_keep_after_form"));
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->flow, "registration");
  EXPECT_EQ(kept->step, "kk");
  EXPECT_EQ(kept->slots.count("nik"), 1u);
}

TEST(FormRequest, FormOfTheRunningFlowStartsItAgain) {
  Citizen c;
  c.Say("menu");
  c.Say("1");  // complaint: category
  c.Say("1");  // PKH: NIK
  ASSERT_EQ(c.state.step, "nik");
  c.Say("ADU#3206014508850003#kks hilang");
  EXPECT_EQ(c.state.flow, "complaint");
  EXPECT_EQ(c.state.slots.at("category"), "sembako");
  EXPECT_FALSE(c.state.slots.contains("_keep_after_form"));
  EXPECT_FALSE(c.state.slots.contains("_back_after_form"));
}

TEST(FormRequest, TicketCodeAtTheCodeStepIsItsAnswer) {
  Citizen c;
  c.Say("status");
  c.Say("2");  // by code
  ASSERT_EQ(c.state.step, "code");
  const Output out = c.Say("CEK adu hph855");
  ASSERT_TRUE(out.call.has_value());
  EXPECT_EQ(out.call->service, "tickets.status");
  EXPECT_EQ(out.call->args.at("code"), "ADU-HPH855");
  EXPECT_FALSE(c.state.slots.contains("_back_after_form"));
}

TEST(FormRequest, PetugasAsksBeforeOpeningTheHandover) {
  Citizen c;
  const Output first = c.Say("PETUGAS");
  EXPECT_FALSE(first.call.has_value()) << "no handover ticket before the citizen says yes";
  ASSERT_EQ(first.replies.size(), 1u);
  EXPECT_EQ(first.replies[0].key, "human.confirm");
  // "ya" is the handover, which asks where the citizen lives (one SMS, "tidak tahu" allowed)
  // so that an officer of that place answers for it.
  const Output yes = c.Say("ya");
  EXPECT_FALSE(yes.call.has_value());
  ASSERT_EQ(yes.replies.size(), 1u);
  EXPECT_EQ(yes.replies[0].key, "human.ask_village");
  const Output unknown = c.Say("tidak tahu");
  ASSERT_TRUE(unknown.call.has_value());
  EXPECT_EQ(unknown.call->service, "tickets.open");
  EXPECT_EQ(unknown.call->args.at("type"), "human");
  EXPECT_FALSE(unknown.call->args.contains("village_code")) << "the regency's queue";
}

}  // namespace
}  // namespace satupintu::dialog
