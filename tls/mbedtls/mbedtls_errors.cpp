#include "tls/mbedtls/mbedtls_errors.h"

#include <mbedtls/error.h>
#include <mbedtls/x509_crt.h>

#include <cstdio>

namespace lanyard::tls::mbed {

std::string error_text(int code) {
    char buf[200];
    mbedtls_strerror(code, buf, sizeof buf);
    char hex[16];
    std::snprintf(hex, sizeof hex, "%s0x%04x", code < 0 ? "-" : "", static_cast<unsigned>(code < 0 ? -code : code));
    return std::string(buf) + " (" + hex + ")";
}

std::string verify_flags_text(uint32_t flags) {
    char buf[512];
    const int n = mbedtls_x509_crt_verify_info(buf, sizeof buf, "", flags);
    if (n <= 0) return "unknown verification error";
    // One line per flag, each ending in '\n'.
    std::string out;
    for (const char* p = buf; *p != '\0'; ++p) {
        if (*p == '\n') {
            if (p[1] != '\0') out += "; ";
        } else {
            out += *p;
        }
    }
    return out;
}

std::string alert_name(int description) {
    switch (description) {
        case 0: return "close notify";
        case 10: return "unexpected message";
        case 20: return "bad record mac";
        case 21: return "decryption failed";
        case 22: return "record overflow";
        case 30: return "decompression failure";
        case 40: return "handshake failure";
        case 41: return "no certificate";
        case 42: return "bad certificate";
        case 43: return "unsupported certificate";
        case 44: return "certificate revoked";
        case 45: return "certificate expired";
        case 46: return "certificate unknown";
        case 47: return "illegal parameter";
        case 48: return "unknown CA";
        case 49: return "access denied";
        case 50: return "decode error";
        case 51: return "decrypt error";
        case 70: return "protocol version";
        case 71: return "insufficient security";
        case 80: return "internal error";
        case 86: return "inappropriate fallback";
        case 90: return "user canceled";
        case 100: return "no renegotiation";
        case 109: return "missing extension";
        case 110: return "unsupported extension";
        case 112: return "unrecognized name";
        case 115: return "unknown PSK identity";
        case 116: return "certificate required";
        case 120: return "no application protocol";
    }
    return "alert " + std::to_string(description);
}

}  // namespace lanyard::tls::mbed
