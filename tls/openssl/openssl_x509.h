// Reading what Lanyard needs out of an X.509 certificate.
#pragma once

#include <openssl/x509.h>

#include <string>
#include <vector>

#include "tls/tls_engine.h"

namespace lanyard::tls::ossl {

// "/O=Lanyard test/CN=server.lanyard.test" (the X509_NAME_oneline form
// wpa_supplicant and hostapd print in their events).
std::string name_oneline(const X509_NAME* name);

// subjectAltName dNSName entries. Entries with an embedded NUL are dropped:
// they can never match a configured name honestly.
std::vector<std::string> dns_names(X509* cert);

// Subject commonName values.
std::vector<std::string> common_names(X509* cert);

// Subject, issuer, dNSNames and DER of one certificate.
PeerCertificate describe(X509* cert);

}  // namespace lanyard::tls::ossl
