#pragma once
// What the office sends officers by SMS (command replies, alerts) is one SMS: 160 GSM-7
// septets, measured as the outbox will send it (after the SMS adapters' substitutions).

#include <string>

namespace satupintu::backoffice {

bool FitsOneSms(const std::string& text);
// At most `segments` SMS, GSM-7 or UCS-2 (an officer's own words may need UCS-2).
bool FitsSms(const std::string& text, int segments);

}  // namespace satupintu::backoffice
