#pragma once
// Comparing a secret a caller sent with ours, in time that depends on neither value: both are
// hashed first, so not even the length of ours leaks through timing.

#include <string_view>

namespace satupintu::adapters {

bool SecretEquals(std::string_view given, std::string_view ours);

}  // namespace satupintu::adapters
