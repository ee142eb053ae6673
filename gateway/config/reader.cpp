#include "config/reader.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace satupintu::config {

using nlohmann::json;

ObjectReader::ObjectReader(const json* obj, std::string path, std::vector<std::string>* errors)
    : obj_(obj), path_(std::move(path)), errors_(errors) {
  if (obj_ != nullptr && !obj_->is_object()) {
    errors_->push_back((path_.empty() ? std::string("config") : path_) + ": must be an object");
    obj_ = nullptr;
  }
}

std::string ObjectReader::KeyPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void ObjectReader::Fail(std::string_view key, const std::string& what) {
  errors_->push_back(KeyPath(key) + ": " + what);
}

const json* ObjectReader::Find(std::string_view key) {
  seen_.emplace_back(key);
  if (obj_ == nullptr) return nullptr;
  auto it = obj_->find(std::string(key));
  return it == obj_->end() ? nullptr : &*it;
}

void ObjectReader::Int(std::string_view key, std::int64_t min, std::int64_t max,
                       std::int64_t* out) {
  const json* v = Find(key);
  if (v == nullptr) return;
  if (!v->is_number_integer()) {
    Fail(key, "must be an integer");
    return;
  }
  const auto value = v->get<std::int64_t>();
  if (value < min || value > max) {
    Fail(key, std::to_string(value) + " is out of range " + std::to_string(min) + ".." +
                  std::to_string(max));
    return;
  }
  *out = value;
}

void ObjectReader::Int(std::string_view key, int min, int max, int* out) {
  std::int64_t wide = *out;
  Int(key, std::int64_t{min}, std::int64_t{max}, &wide);
  *out = static_cast<int>(wide);
}

void ObjectReader::Bool(std::string_view key, bool* out) {
  const json* v = Find(key);
  if (v == nullptr) return;
  if (!v->is_boolean()) {
    Fail(key, "must be true or false");
    return;
  }
  *out = v->get<bool>();
}

void ObjectReader::String(std::string_view key, std::string* out) {
  const json* v = Find(key);
  if (v == nullptr) return;
  if (!v->is_string()) {
    Fail(key, "must be a string");
    return;
  }
  *out = v->get<std::string>();
}

void ObjectReader::Strings(std::string_view key, std::vector<std::string>* out) {
  const json* v = Find(key);
  if (v == nullptr) return;
  if (!v->is_array()) {
    Fail(key, "must be an array of strings");
    return;
  }
  std::vector<std::string> values;
  for (const auto& item : *v) {
    if (!item.is_string()) {
      Fail(key, "must be an array of strings");
      return;
    }
    values.push_back(item.get<std::string>());
  }
  *out = std::move(values);
}

void ObjectReader::Enum(std::string_view key, std::initializer_list<std::string_view> allowed,
                        std::string* out) {
  std::string value = *out;
  const std::size_t before = errors_->size();
  String(key, &value);
  if (errors_->size() != before) return;
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
    std::string list;
    for (auto a : allowed) {
      if (!list.empty()) list += ", ";
      list += a;
    }
    Fail(key, "\"" + value + "\" is not one of: " + list);
    return;
  }
  *out = value;
}

void ObjectReader::Secret(std::string_view key, SecretRef* out) {
  const json* v = Find(key);
  if (v == nullptr) return;
  if (v->is_string()) {
    // Never echo the value: it is probably the secret itself.
    Fail(key,
         "secrets must not be written inline; use {\"env\": \"NAME\"} or {\"file\": \"PATH\"}");
    return;
  }
  ObjectReader sub(v, KeyPath(key), errors_);
  SecretRef ref;
  sub.String("env", &ref.env);
  sub.String("file", &ref.file);
  sub.RejectUnknown();
  if (ref.env.empty() == ref.file.empty()) {
    Fail(key, "give exactly one of \"env\" or \"file\"");
    return;
  }
  *out = ref;
}

ObjectReader ObjectReader::Object(std::string_view key) {
  const json* v = Find(key);
  return ObjectReader(v, KeyPath(key), errors_);
}

std::vector<ObjectReader> ObjectReader::Objects(std::string_view key) {
  std::vector<ObjectReader> out;
  const json* v = Find(key);
  if (v == nullptr) return out;
  if (!v->is_array()) {
    Fail(key, "must be an array of objects");
    return out;
  }
  for (std::size_t i = 0; i < v->size(); ++i) {
    out.emplace_back(&(*v)[i], KeyPath(key) + "[" + std::to_string(i) + "]", errors_);
  }
  return out;
}

void ObjectReader::RejectUnknown() {
  if (obj_ == nullptr) return;
  for (const auto& [key, value] : obj_->items()) {
    if (std::find(seen_.begin(), seen_.end(), key) == seen_.end()) {
      Fail(key, "unknown key");
    }
  }
}

}  // namespace satupintu::config
