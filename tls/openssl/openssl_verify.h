// Certificate verification hooks: chain errors and the server name policy
// (tls/name_match.h) become failure reasons on the engine.
#pragma once

#include <openssl/ssl.h>

namespace lanyard::tls::ossl {

// SSL_CTX_set_verify() callback for both roles.
int verify_callback(int preverify_ok, X509_STORE_CTX* store);

}  // namespace lanyard::tls::ossl
