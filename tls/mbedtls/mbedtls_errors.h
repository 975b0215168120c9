// mbedTLS error codes and alerts as text for failure reasons and logs.
#pragma once

#include <cstdint>
#include <string>

namespace lanyard::tls::mbed {

// mbedtls_strerror() text with the code: "X509 - ... (-0x2700)".
std::string error_text(int code);

// mbedtls_x509_crt_verify_info() flags as one line, entries joined by "; ".
std::string verify_flags_text(uint32_t flags);

// RFC 5246 §7.2 / RFC 8446 §6 alert description names ("unknown CA").
std::string alert_name(int description);

}  // namespace lanyard::tls::mbed
