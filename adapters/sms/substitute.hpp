#pragma once
// Smartphone keyboards and copy-paste bring in typographic characters that GSM-7 lacks; one
// of them turns a whole message into UCS-2, which more than halves the characters per SMS.
// SmartSubstitute replaces them with the plain characters a reader takes them for.

#include <string>
#include <string_view>

namespace satupintu::adapters::sms {

// Curly and angle quotes, primes and backtick -> ' or "; hyphens, en/em dashes, minus and
// bullets -> '-'; ellipsis -> "..."; NBSP, tab and the other Unicode spaces -> ' '; line and
// paragraph separators -> '\n'; soft hyphen, zero-width space, BOM and direction marks are
// dropped; fullwidth ASCII -> ASCII. Letters are never touched (names must survive), nor is
// the zero-width joiner (it holds emoji sequences together). Bytes that are not UTF-8 are
// copied unchanged so that Analyze() still reports them.
std::string SmartSubstitute(std::string_view utf8);

// For quoting a citizen's or officer's words inside a GSM-7 message (the last message in an
// officer's LIHAT): SmartSubstitute, then every character GSM-7 cannot carry (emoji, other
// scripts, invalid bytes) is dropped, so the quote never turns the message into UCS-2.
std::string Gsm7Only(std::string_view utf8);

}  // namespace satupintu::adapters::sms
