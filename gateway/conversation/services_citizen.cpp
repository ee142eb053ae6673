// Services of the citizen's own settings: opt-out and back in, the language.
#include "citizens/citizens.hpp"
#include "conversation/services.hpp"

namespace satupintu::conversation {

std::vector<Service> CitizenServices() {
  return {
      {"citizen.opt_out",
       {"done"},
       [](const ServiceContext& ctx) -> core::Result<dialog::Input> {
         if (auto s = citizens::MarkOptedOut(ctx.db, ctx.address, ctx.turn.now_ms); !s.ok()) {
           return s.error();
         }
         return ServiceResult("done");
       }},
      {"citizen.opt_in",
       {"done"},
       [](const ServiceContext& ctx) -> core::Result<dialog::Input> {
         if (auto s = citizens::ClearOptOut(ctx.db, ctx.address); !s.ok()) return s.error();
         return ServiceResult("done");
       }},
      {"citizen.set_language",
       {"done"},
       [](const ServiceContext& ctx) -> core::Result<dialog::Input> {
         const std::string language = ctx.Arg("language");
         if (auto s = citizens::SetLanguage(ctx.db, ctx.citizen_id, language); !s.ok()) {
           return s.error();
         }
         return ServiceResult("done", {{"language", language}});
       }},
  };
}

}  // namespace satupintu::conversation
