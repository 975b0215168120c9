// PEM loading for the mbedTLS backend; every error names the file.
#pragma once

#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include <string>

#include "common/result.h"

namespace lanyard::tls::mbed {

// Trust anchors (one or more PEM certificates).
Status load_ca_file(mbedtls_x509_crt* ca, const std::string& path);
// Our certificate, leaf first, then any chain certificates in the file.
Status load_certificate_chain(mbedtls_x509_crt* chain, const std::string& path);
// The private key, decrypted with password when it is encrypted, and
// checked against the leaf of chain (loaded from cert_path).
Status load_private_key(mbedtls_pk_context* key, const std::string& path, const std::string& password,
                        const mbedtls_x509_crt& chain, const std::string& cert_path);

}  // namespace lanyard::tls::mbed
