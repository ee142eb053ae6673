#pragma once
// What smsbox's answer to a sendsms request means for the sender.

#include <string_view>

#include "adapters/core/adapter.hpp"

namespace satupintu::adapters::kannel {

// Kannel returns no message id: our own id travels in the dlr-url, so provider_message_id is
// always empty. reason and error_code are fixed strings chosen by status and Kannel's answer
// text; nothing of the body is copied, so neither the password nor a number can leak into logs.
// http_status 0 (or any value below 100) means no HTTP answer at all.
SendResult ClassifySend(int http_status, std::string_view body, const Headers& headers);

}  // namespace satupintu::adapters::kannel
