#include "http/router.hpp"

#include <gtest/gtest.h>

namespace satupintu::http {
namespace {

Handler Noop() {
  return [](const Request&, const Respond&) {};
}

TEST(RouterTest, MatchesLiteralAndPlaceholderSegments) {
  Router router;
  router.Add("GET", "/healthz", Noop());
  router.Add("POST", "/diag/journal/{channel}", Noop());
  std::map<std::string, std::string, std::less<>> params;
  auto m = router.Find("POST", "/diag/journal/tele%3Agram", &params);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.route, "/diag/journal/{channel}");
  EXPECT_EQ(params["channel"], "tele:gram");
  EXPECT_NE(router.Find("GET", "/healthz", &params).handler, nullptr);
  EXPECT_NE(router.Find("HEAD", "/healthz", &params).handler, nullptr);
}

TEST(RouterTest, UnknownPathIs404WithBoundedRouteName) {
  Router router;
  router.Add("GET", "/healthz", Noop());
  std::map<std::string, std::string, std::less<>> params;
  auto m = router.Find("GET", "/x/081234567890", &params);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_EQ(m.status, 404);
  EXPECT_EQ(m.route, "unmatched");
}

TEST(RouterTest, WrongMethodIs405WithAllow) {
  Router router;
  router.Add("GET", "/metrics", Noop());
  std::map<std::string, std::string, std::less<>> params;
  auto m = router.Find("DELETE", "/metrics", &params);
  EXPECT_EQ(m.status, 405);
  EXPECT_EQ(m.allow, "GET");
}

TEST(MessageTest, QueryParamsAreDecoded) {
  Request r;
  r.query = "hub.mode=subscribe&hub.challenge=a%20b+c&empty";
  EXPECT_EQ(r.QueryParam("hub.mode"), "subscribe");
  EXPECT_EQ(r.QueryParam("hub.challenge"), "a b c");
  EXPECT_EQ(r.QueryParam("empty"), "");
  EXPECT_EQ(r.QueryParam("missing"), "");
}

TEST(MessageTest, ErrorResponseMapsCodesInOnePlace) {
  auto r =
      ErrorResponse(core::MakeError(core::ErrorCode::kUnavailable, "store busy", "sqlite detail"));
  EXPECT_EQ(r.status, 503);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Retry-After");
  EXPECT_EQ(r.body.find("sqlite detail"), std::string::npos) << "detail must stay in the log";
  EXPECT_EQ(ErrorResponse(core::MakeError(core::ErrorCode::kInvalidArgument, "x")).status, 400);
  EXPECT_EQ(ErrorResponse(core::MakeError(core::ErrorCode::kUnauthenticated, "x")).status, 401);
}

}  // namespace
}  // namespace satupintu::http
