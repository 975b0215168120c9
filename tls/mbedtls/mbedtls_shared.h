// What every mbedTLS engine of one Context shares: the random generator,
// trust anchors, our certificate chain and key, the cipher suite list.
// Engines hold a shared_ptr so they may outlive the Context that made them.
#pragma once

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include <memory>
#include <vector>

#include "tls/tls_engine.h"

namespace lanyard::tls::mbed {

struct Shared {
    Shared();
    ~Shared();
    Shared(const Shared&) = delete;
    Shared& operator=(const Shared&) = delete;

    Config config;
    int min_minor = 3;  // MBEDTLS_SSL_MINOR_VERSION_*
    int max_minor = 3;
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_x509_crt ca;
    bool has_ca = false;
    mbedtls_x509_crt own_chain;
    mbedtls_pk_context own_key;
    bool has_own = false;
    std::vector<int> ciphersuites;  // 0-terminated; empty: mbedTLS defaults
};

}  // namespace lanyard::tls::mbed
