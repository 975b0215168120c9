// tls::make_context() for mbedTLS 2.28: credentials and the random
// generator loaded once per Config and shared by the engines.
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/version.h>

#include <cstring>

#include "common/log.h"
#include "tls/mbedtls/mbedtls_credentials.h"
#include "tls/mbedtls/mbedtls_engine.h"
#include "tls/mbedtls/mbedtls_errors.h"
#include "tls/mbedtls/mbedtls_shared.h"
#include "tls/tls_engine.h"

namespace lanyard::tls {
namespace mbed {

Shared::Shared() {
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_x509_crt_init(&ca);
    mbedtls_x509_crt_init(&own_chain);
    mbedtls_pk_init(&own_key);
}

Shared::~Shared() {
    mbedtls_pk_free(&own_key);
    mbedtls_x509_crt_free(&own_chain);
    mbedtls_x509_crt_free(&ca);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
}

}  // namespace mbed

namespace {

int minor_version(Version v) {
    switch (v) {
        case Version::kTls10: return MBEDTLS_SSL_MINOR_VERSION_1;
        case Version::kTls11: return MBEDTLS_SSL_MINOR_VERSION_2;
        case Version::kTls12: return MBEDTLS_SSL_MINOR_VERSION_3;
        case Version::kTls13: return MBEDTLS_SSL_MINOR_VERSION_3;  // capped: see check_backend_limits()
    }
    return MBEDTLS_SSL_MINOR_VERSION_3;
}

// What Debian's mbedTLS 2.28 cannot serve, on top of validate_config(): it
// has only an experimental TLS 1.3 client, so a range that reaches 1.3 is
// served up to 1.2, and one that starts there cannot be served at all.
Status check_backend_limits(const Config& c) {
    if (c.min_version == Version::kTls13) {
        return make_error(ErrorCode::kUnsupported, "TLS 1.3 not supported by the mbedTLS backend (2.28)");
    }
    return ok_status();
}

// Config::cipher_list: ':'-separated mbedTLS suite names
// ("TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256"). OpenSSL's rule syntax
// ("HIGH:!aNULL") has no mbedTLS equivalent and is refused.
Result<std::vector<int>> parse_cipher_list(const std::string& list) {
    std::vector<int> ids;
    size_t start = 0;
    for (size_t guard = 0; guard <= list.size() && start <= list.size(); ++guard) {
        const size_t end = std::min(list.find(':', start), list.size());
        const std::string name = list.substr(start, end - start);
        if (!name.empty()) {
            const int id = mbedtls_ssl_get_ciphersuite_id(name.c_str());
            if (id == 0) {
                return make_error(ErrorCode::kConfig,
                                  "invalid cipher_list \"" + list + "\": mbedTLS knows no cipher suite \"" + name +
                                      "\" (give mbedTLS names such as TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256)");
            }
            ids.push_back(id);
        }
        start = end + 1;
    }
    if (ids.empty()) return make_error(ErrorCode::kConfig, "invalid cipher_list \"" + list + "\": no cipher suites");
    ids.push_back(0);
    return ids;
}

class MbedtlsContext final : public Context {
public:
    explicit MbedtlsContext(std::shared_ptr<mbed::Shared> shared) : shared_(std::move(shared)) {}

    using Context::new_engine;
    std::unique_ptr<Engine> new_engine(const EngineOptions& options) override {
        if (options.require_peer_certificate && shared_->config.ca_file.empty()) {
            LOG_ERROR("tls", "cannot require a client certificate: the server has no ca_cert to verify it");
            return nullptr;
        }
        auto engine = mbed::MbedtlsEngine::create(shared_, options);
        if (!engine) {
            LOG_ERROR("tls", "cannot create a TLS engine: %s", engine.error().detail.c_str());
            return nullptr;
        }
        return std::move(engine).value();
    }

    const Config& config() const override { return shared_->config; }

private:
    std::shared_ptr<mbed::Shared> shared_;
};

}  // namespace

Result<std::unique_ptr<Context>> make_context(const Config& config) {
    LANYARD_TRY(validate_config(config));
    LANYARD_TRY(check_backend_limits(config));
    auto shared = std::make_shared<mbed::Shared>();
    shared->config = config;
    shared->min_minor = minor_version(config.min_version);
    shared->max_minor = minor_version(config.max_version);
    if (config.max_version == Version::kTls13) {
        LOG_DEBUG("tls", "mbedTLS backend: TLS 1.3 not available, offering up to TLS 1.2");
    }
    static const char kPersonalization[] = "lanyard-tls";
    int ret = mbedtls_ctr_drbg_seed(&shared->drbg, mbedtls_entropy_func, &shared->entropy,
                                    reinterpret_cast<const unsigned char*>(kPersonalization),
                                    sizeof kPersonalization - 1);
    if (ret != 0) return make_error(ErrorCode::kInternal, "cannot seed the random generator: " + mbed::error_text(ret));
    if (!config.cipher_list.empty()) {
        auto ids = parse_cipher_list(config.cipher_list);
        if (!ids) return ids.error();
        shared->ciphersuites = std::move(ids).value();
    }
    if (!config.ca_file.empty()) {
        LANYARD_TRY(mbed::load_ca_file(&shared->ca, config.ca_file));
        for (const std::string& f : config.extra_ca_files) LANYARD_TRY(mbed::load_ca_file(&shared->ca, f));
        shared->has_ca = true;
    }
    if (!config.cert_file.empty()) {
        LANYARD_TRY(mbed::load_certificate_chain(&shared->own_chain, config.cert_file));
        LANYARD_TRY(mbed::load_private_key(&shared->own_key, config.key_file, config.key_password, shared->own_chain,
                                           config.cert_file));
        shared->has_own = true;
    }
    return std::unique_ptr<Context>(std::make_unique<MbedtlsContext>(std::move(shared)));
}

std::string backend_name() {
    char version[18] = {};
    mbedtls_version_get_string(version);
    return std::string("mbedtls ") + version;
}

}  // namespace lanyard::tls
