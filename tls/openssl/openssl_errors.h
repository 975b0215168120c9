// OpenSSL's thread-local error queue turned into short, readable reasons.
#pragma once

#include <string>

namespace lanyard::tls::ossl {

// Drains the error queue: "reason; reason" (library reason strings such as
// "wrong version number"), or an empty string when the queue is empty.
std::string drain_errors();

// "certificate verify failed: <X509_verify_cert_error_string(err)>".
std::string verify_error_text(long verify_error);

}  // namespace lanyard::tls::ossl
