// What every EAP peer built from a wpa_supplicant.conf network block needs,
// shared by lanyard-supplicant and lanyard-eapol-test: the phase-1 TLS
// client context of the block, and the eap::PeerEnvironment that ties the
// block's credentials to a random source, that context and a client-side
// TLS session cache (wpa_supplicant's fast_reauth).
#pragma once

#include <memory>

#include "common/random.h"
#include "common/result.h"
#include "methods/eap_config.h"
#include "supplicant/tls_session_cache.h"
#include "supplicant/wpa_config.h"
#include "tls/tls_engine.h"

namespace lanyard::supplicant {

// One client TLS context for the network block (phase 1 credentials), or
// nullptr when the block allows no TLS-based method. Errors name the file
// and the line of the block.
Result<std::unique_ptr<tls::Context>> make_network_tls_context(const WpaConfig& config, const NetworkBlock& network,
                                                               const ValidateOptions& options);

// The peer's services for one network block: credentials, random, TLS
// context (may be null) and the session cache's hooks for network_id. With
// offer_cached_session false the cache still saves sessions but none is
// offered (every TLS handshake is a full one). Everything referenced must
// outlive the environment.
eap::PeerEnvironment make_peer_environment(const eap::PeerCredentials& credentials, tls::Context* tls,
                                           TlsSessionCache& cache, RandomSource& random, size_t network_id,
                                           bool offer_cached_session = true);

}  // namespace lanyard::supplicant
