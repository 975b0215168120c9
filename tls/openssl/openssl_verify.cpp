#include "tls/openssl/openssl_verify.h"

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "common/log.h"
#include "tls/name_match.h"
#include "tls/openssl/openssl_engine.h"
#include "tls/openssl/openssl_errors.h"
#include "tls/openssl/openssl_x509.h"

namespace lanyard::tls::ossl {
namespace {

std::string where(X509_STORE_CTX* store, int depth) {
    X509* cert = X509_STORE_CTX_get_current_cert(store);
    std::string subject = cert != nullptr ? name_oneline(X509_get_subject_name(cert)) : std::string("?");
    return " (depth " + std::to_string(depth) + ", " + subject + ")";
}

}  // namespace

int verify_callback(int preverify_ok, X509_STORE_CTX* store) {
    auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    OpensslEngine* engine = ssl != nullptr ? OpensslEngine::from(ssl) : nullptr;
    if (engine == nullptr) return 0;  // not ours: refuse rather than guess
    const EngineSettings& settings = engine->settings();
    const int depth = X509_STORE_CTX_get_error_depth(store);
    const bool client = settings.role == Role::kClient;

    if (preverify_ok == 0) {
        const int err = X509_STORE_CTX_get_error(store);
        if (client && !settings.verify_peer) {
            // The user switched verification off explicitly; keep going so
            // the name policy below still applies to the leaf.
            LOG_DEBUG("tls", "ignoring %s%s (verification off)", verify_error_text(err).c_str(),
                      where(store, depth).c_str());
        } else {
            const std::string prefix = client ? "" : "client ";
            engine->note_verify_failure(prefix + verify_error_text(err) + where(store, depth));
            return 0;
        }
    }

    if (client && depth == 0 &&
        (!settings.domain_match.empty() || !settings.domain_suffix_match.empty())) {
        X509* leaf = X509_STORE_CTX_get_current_cert(store);
        if (leaf == nullptr) return 0;
        const auto cert_names = names::names_to_check(dns_names(leaf), common_names(leaf));
        Status ok = names::check_server_names(cert_names, settings.domain_match, settings.domain_suffix_match);
        if (!ok) {
            // RFC 5216 §5.2: the peer checks the server's identity; a mismatch
            // ends the handshake with a bad_certificate-class alert.
            X509_STORE_CTX_set_error(store, X509_V_ERR_HOSTNAME_MISMATCH);
            engine->note_verify_failure(ok.error().detail);
            return 0;
        }
    }
    return 1;
}

}  // namespace lanyard::tls::ossl
