#include "conversation/categories.hpp"

#include "adapters/sms/analysis.hpp"
#include "adapters/sms/substitute.hpp"
#include "conversation/conversations.hpp"
#include "core/log.hpp"
#include "tickets/catalogue.hpp"

namespace satupintu::conversation {

const std::vector<dialog::Category>& StoreCategories::Offered() const {
  if (loaded_) return offered_.empty() ? dialogs_.Categories() : offered_;
  loaded_ = true;
  auto rows = tickets::Categories(db_, false);
  if (!rows.ok()) {
    core::log::Warn("dialogs.categories_unreadable").Str("reason", rows.error().message);
    return dialogs_.Categories();
  }
  for (auto& c : rows.value()) {
    offered_.push_back({std::move(c.id), std::move(c.label_key), std::move(c.labels)});
  }
  return offered_.empty() ? dialogs_.Categories() : offered_;
}

core::Status CheckCategoryList(const dialog::DialogSet& dialogs, const locale::Catalog& catalog,
                               const std::vector<dialog::Category>& offered) {
  using core::ErrorCode;
  // The first list: the file's second list (categories.json "offered": false) is a step of its
  // own in dialogs/complaint.json, checked by `satupintu dialogs check`.
  std::vector<dialog::Category> first;
  for (const auto& c : offered) {
    if (c.offered) first.push_back(c);
  }
  if (first.empty()) {
    return core::MakeError(ErrorCode::kConflict, "the citizens need at least one category");
  }
  if (first.size() > 10) {
    return core::MakeError(ErrorCode::kConflict,
                           "more than 10 categories: a WhatsApp list shows 10; retire one first");
  }
  locale::Args samples;
  for (const auto& [name, values] : catalog.Samples()) {
    if (!values.empty()) samples[name] = values.front();
  }
  for (const auto& [flow_id, flow] : dialogs.Flows()) {
    for (const auto& [step_id, step] : flow.steps) {
      if (step.kind != dialog::StepKind::kAsk ||
          step.options_from != dialog::OptionSource::kCategories) {
        continue;
      }
      for (const auto& language : catalog.Languages()) {
        std::vector<std::pair<std::string, std::string>> options;
        for (const auto& c : first) {
          options.emplace_back(c.id, dialog::CategoryLabel(c, catalog, language));
        }
        auto prompt = catalog.Render(language, step.message, samples);
        if (!prompt.ok()) return prompt.error();
        // The SMS exactly as the runtime sends it (ToOutgoing, then the numbered lines).
        const dialog::Reply reply{step.message, prompt.value(), options};
        const std::string sms = adapters::sms::SmartSubstitute(Preview(ToOutgoing(
            reply, "kannel:check", "", "check", catalog.Text(language, "channel.list_button"),
            catalog.Text(language, "dialog.reply_number"))));
        const auto a = adapters::sms::Analyze(sms);
        if (a.segments > 1) {
          return core::MakeError(ErrorCode::kConflict,
                                 "the list of categories would take " + std::to_string(a.segments) +
                                     " SMS in '" + language + "' (" + std::to_string(a.units) +
                                     " units): shorten a label or retire a category first");
        }
      }
    }
  }
  return {};
}

}  // namespace satupintu::conversation
