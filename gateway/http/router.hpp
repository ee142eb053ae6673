#pragma once
// Maps method and path to a handler. Patterns are literal segments or `{name}` placeholders;
// the pattern (not the raw path) names the route in metrics and logs, so label cardinality
// stays bounded and no phone number or id from a path reaches them.

#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace satupintu::http {

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  // null: see status
    std::string route;                 // pattern, or "unmatched"
    int status = 404;                  // 404 no such path, 405 path exists for other methods
    std::string allow;                 // for 405
  };
  Match Find(std::string_view method, std::string_view path,
             std::map<std::string, std::string, std::less<>>* params) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace satupintu::http
