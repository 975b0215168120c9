#include "crypto/openssl_support.h"

#include <openssl/err.h>
#include <openssl/provider.h>

#include <mutex>

#include "common/log.h"

namespace lanyard::crypto {

std::string drain_openssl_errors() {
    std::string out;
    unsigned long err = 0;
    while ((err = ERR_get_error()) != 0) {
        const char* reason = ERR_reason_error_string(err);
        if (!out.empty()) out += "; ";
        if (reason != nullptr) {
            out += reason;
        } else {
            char buf[256];
            ERR_error_string_n(err, buf, sizeof buf);
            out += buf;
        }
    }
    return out.empty() ? std::string("no OpenSSL error reported") : out;
}

Status ensure_legacy_provider() {
    static std::once_flag once;
    static bool available = false;
    std::call_once(once, [] {
        // Loading any provider explicitly switches off the implicit loading
        // of "default", so load both (OpenSSL 3 provider(7)). The handles are
        // kept for the life of the process on purpose.
        OSSL_PROVIDER* legacy = OSSL_PROVIDER_load(nullptr, "legacy");
        OSSL_PROVIDER* dflt = OSSL_PROVIDER_load(nullptr, "default");
        available = legacy != nullptr && dflt != nullptr;
        if (!available) {
            LOG_WARN("crypto", "OpenSSL legacy provider not loaded: %s", drain_openssl_errors().c_str());
        }
        ERR_clear_error();
    });
    if (!available) {
        return make_error(ErrorCode::kUnsupported, "OpenSSL legacy provider not available: MD4/DES need it");
    }
    return ok_status();
}

}  // namespace lanyard::crypto
