#include "http/router.hpp"

#include <array>

namespace satupintu::http {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= path.size()) {
    if (i < path.size() && path[i] == '/') {
      ++i;
      continue;
    }
    const auto next = path.find('/', i);
    const auto end = next == std::string_view::npos ? path.size() : next;
    if (end > i) out.emplace_back(path.substr(i, end - i));
    if (next == std::string_view::npos) break;
    i = next + 1;
  }
  return out;
}

// The segments of a request path as views into it, without allocating. A path with more
// segments than any route could have simply matches nothing.
constexpr std::size_t kMaxSegments = 16;
struct Segments {
  std::array<std::string_view, kMaxSegments + 1> items;
  std::size_t size = 0;
};

Segments SplitView(std::string_view path) {
  Segments out;
  std::size_t i = 0;
  while (i < path.size() && out.size <= kMaxSegments) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const auto next = path.find('/', i);
    const auto end = next == std::string_view::npos ? path.size() : next;
    out.items[out.size++] = path.substr(i, end - i);
    i = end;
  }
  return out;
}

bool IsPlaceholder(const std::string& s) {
  return s.size() > 2 && s.front() == '{' && s.back() == '}';
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler) {
  auto segments = Split(pattern);
  routes_.push_back(
      {std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

Router::Match Router::Find(std::string_view method, std::string_view path,
                           std::map<std::string, std::string, std::less<>>* params) const {
  const Segments parts = SplitView(path);
  Match result;
  result.route = "unmatched";
  for (const auto& route : routes_) {
    if (route.segments.size() != parts.size) continue;
    bool matched = true;
    for (std::size_t i = 0; i < parts.size && matched; ++i) {
      matched = IsPlaceholder(route.segments[i]) || route.segments[i] == parts.items[i];
    }
    if (!matched) continue;
    std::map<std::string, std::string, std::less<>> found;
    for (std::size_t i = 0; i < parts.size; ++i) {
      if (IsPlaceholder(route.segments[i])) {
        found[route.segments[i].substr(1, route.segments[i].size() - 2)] =
            PercentDecode(parts.items[i]);
      }
    }
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      result.handler = &route.handler;
      result.route = route.pattern;
      result.status = 200;
      *params = std::move(found);
      return result;
    }
    result.status = 405;
    result.route = route.pattern;
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += route.method;
  }
  return result;
}

}  // namespace satupintu::http
