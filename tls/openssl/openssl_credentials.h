// Loading PEM trust anchors, certificate chains and private keys into an
// SSL_CTX. Every error names the file it is about.
#pragma once

#include <openssl/ssl.h>

#include <string>

#include "common/result.h"

namespace lanyard::tls::ossl {

// Adds every certificate in the PEM file to the context's trust store. With
// client_ca_names, a server also lists their subjects in CertificateRequest
// (RFC 5246 §7.4.4 certificate_authorities).
Status load_ca_file(SSL_CTX* ctx, const std::string& path, bool client_ca_names);

// The first certificate is ours; any further ones are sent as its chain.
Status load_certificate_chain(SSL_CTX* ctx, const std::string& path);

// A PEM private key, encrypted or not; checked against the certificate.
Status load_private_key(SSL_CTX* ctx, const std::string& key_path, const std::string& password,
                        const std::string& cert_path);

}  // namespace lanyard::tls::ossl
