#pragma once
// Reads one JSON object into typed fields while remembering which keys it consumed, so that
// unknown keys and out-of-range values are reported with their full path
// ("http.read_timeout_ms: 0 is out of range 1..600000").

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace satupintu::config {

// Where a secret lives: an environment variable or a file. Inline values are refused.
struct SecretRef {
  std::string env;
  std::string file;
  bool empty() const { return env.empty() && file.empty(); }
};

class ObjectReader {
 public:
  // obj may be null (section absent): every getter then keeps its default.
  ObjectReader(const nlohmann::json* obj, std::string path, std::vector<std::string>* errors);

  void Int(std::string_view key, std::int64_t min, std::int64_t max, std::int64_t* out);
  void Int(std::string_view key, int min, int max, int* out);
  void Bool(std::string_view key, bool* out);
  void String(std::string_view key, std::string* out);
  void Strings(std::string_view key, std::vector<std::string>* out);
  void Enum(std::string_view key, std::initializer_list<std::string_view> allowed,
            std::string* out);
  void Secret(std::string_view key, SecretRef* out);
  ObjectReader Object(std::string_view key);
  // An array of objects: one reader per element, paths like "channels.whatsapp[1]".
  std::vector<ObjectReader> Objects(std::string_view key);

  // Reports every key of the object that no getter asked for. Call after all getters.
  void RejectUnknown();

 private:
  const nlohmann::json* Find(std::string_view key);
  std::string KeyPath(std::string_view key) const;
  void Fail(std::string_view key, const std::string& what);

  const nlohmann::json* obj_;
  std::string path_;
  std::vector<std::string>* errors_;
  std::vector<std::string> seen_;
};

}  // namespace satupintu::config
