#pragma once
// The bearer check shared by the /diag/* routes on the private listener.

#include <string>
#include <string_view>

namespace satupintu::diag {

// True when `token` is empty (no check configured) or `authorization` is "Bearer <token>";
// the comparison takes the same time wherever the values differ.
bool TokenAccepted(std::string_view authorization, const std::string& token);

}  // namespace satupintu::diag
