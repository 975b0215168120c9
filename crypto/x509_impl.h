// Inside crypto/ only: what a Certificate holds (OpenSSL's parsed X509),
// for the files that hand it to OpenSSL (x509_chain.cpp, signature.cpp).
#pragma once

#include <openssl/x509.h>

#include "crypto/x509_chain.h"

namespace lanyard::crypto {

struct Certificate::Impl {
    X509* x = nullptr;
    ~Impl() { X509_free(x); }
};

}  // namespace lanyard::crypto
