#include "api/api.hpp"

#include "api/context.hpp"

namespace satupintu::api {

void AddApiRoutes(http::Router& router, ApiDeps deps, ApiOptions options) {
  auto api = std::make_shared<ApiContext>(std::move(deps), std::move(options));
  MountSessionRoutes(router, api);
  MountTicketRoutes(router, api);
  MountUserRoutes(router, api);
  MountReportRoutes(router, api);
  MountCatalogueRoutes(router, api);
  MountSubjectRoutes(router, api);
  MountBroadcastRoutes(router, api);
}

}  // namespace satupintu::api
