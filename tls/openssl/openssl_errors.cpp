#include "tls/openssl/openssl_errors.h"

#include <openssl/err.h>
#include <openssl/x509.h>

namespace lanyard::tls::ossl {

std::string drain_errors() {
    std::string out;
    unsigned long err = 0;
    int guard = 0;
    while ((err = ERR_get_error()) != 0 && guard++ < 32) {
        const char* reason = ERR_reason_error_string(err);
        std::string text;
        if (reason != nullptr) {
            text = reason;
        } else {
            char buf[256];
            ERR_error_string_n(err, buf, sizeof buf);
            text = buf;
        }
        if (out.find(text) != std::string::npos) continue;  // the same reason stacked twice
        if (!out.empty()) out += "; ";
        out += text;
    }
    ERR_clear_error();
    return out;
}

std::string verify_error_text(long verify_error) {
    return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify_error);
}

}  // namespace lanyard::tls::ossl
