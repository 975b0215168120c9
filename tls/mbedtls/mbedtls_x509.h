// Reading names out of mbedTLS certificates for policy and logs.
#pragma once

#include <mbedtls/x509_crt.h>

#include <string>
#include <vector>

#include "tls/tls_engine.h"

namespace lanyard::tls::mbed {

std::string subject_of(const mbedtls_x509_crt& crt);
// subjectAltName dNSName entries (RFC 5280 §4.2.1.6).
std::vector<std::string> dns_names(const mbedtls_x509_crt& crt);
// Subject commonName values.
std::vector<std::string> common_names(const mbedtls_x509_crt& crt);
PeerCertificate describe(const mbedtls_x509_crt& crt);

}  // namespace lanyard::tls::mbed
