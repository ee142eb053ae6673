#pragma once
// Internal to gateway/subject: the audit row of one request (subject.hpp Request).

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "storage/sqlite.hpp"
#include "subject/subject.hpp"

namespace satupintu::subject {

// Appends action/object/outcome by the request's actor; the purpose is "<purpose> (by <by>)"
// and, when `legal_basis` is not empty, "; legal basis: <legal_basis>" inside the brackets.
core::Status AppendAudit(storage::Db& db, const Request& request, const std::string& action,
                         const std::string& object, const std::string& outcome, std::int64_t now_ms,
                         const std::string& legal_basis = "");

}  // namespace satupintu::subject
