#include "supplicant/peer_setup.h"

namespace lanyard::supplicant {

Result<std::unique_ptr<tls::Context>> make_network_tls_context(const WpaConfig& config, const NetworkBlock& network,
                                                               const ValidateOptions& options) {
    if (!network.allows_tls_method()) return std::unique_ptr<tls::Context>();
    auto tls_config = tls_client_config(config, network, options);
    if (!tls_config) return tls_config.error();
    auto context = tls::make_context(*tls_config);
    if (!context) {
        return make_error(context.error().code, config.file + ":" + std::to_string(network.line) +
                                                    ": TLS credentials: " + context.error().detail);
    }
    return std::move(*context);
}

eap::PeerEnvironment make_peer_environment(const eap::PeerCredentials& credentials, tls::Context* tls,
                                           TlsSessionCache& cache, RandomSource& random, size_t network_id,
                                           bool offer_cached_session) {
    eap::PeerEnvironment env;
    env.credentials = &credentials;
    env.random = &random;
    env.tls = tls;
    if (offer_cached_session) env.load_tls_session = cache.loader(network_id);
    env.save_tls_session = cache.saver(network_id);
    return env;
}

}  // namespace lanyard::supplicant
