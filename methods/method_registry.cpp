#include "methods/method_registry.h"

#include "methods/eap_gtc_peer.h"
#include "methods/eap_gtc_server.h"
#include "methods/eap_md5_peer.h"
#include "methods/eap_md5_server.h"
#include "methods/eap_mschapv2_peer.h"
#include "methods/eap_mschapv2_server.h"
#include "methods/eap_peap_peer.h"
#include "methods/eap_peap_server.h"
#include "methods/eap_tls_peer.h"
#include "methods/eap_tls_server.h"

namespace lanyard::eap {

namespace {

// The built-in methods, in the peer's default preference order. To add a
// method: include its headers above and add one line here.
std::vector<MethodEntry> builtin_entries() {
    return {
        {Type::kMd5Challenge, /*tunnelled=*/false, &make_md5_peer, &make_md5_server},
        {Type::kTls, /*tunnelled=*/false, &EapTlsPeer::create, &EapTlsServer::create},
        {Type::kPeap, /*tunnelled=*/true, &EapPeapPeer::create, &EapPeapServer::create},
        {Type::kMschapV2, /*tunnelled=*/false, &MschapV2Peer::create, &MschapV2Server::create},
        {Type::kGtc, /*tunnelled=*/false, &GtcPeer::create, &GtcServer::create},
    };
}

}  // namespace

const MethodRegistry& MethodRegistry::builtin() {
    static const MethodRegistry registry(builtin_entries());
    return registry;
}

void MethodRegistry::add(MethodEntry entry) {
    for (MethodEntry& e : entries_) {
        if (e.type == entry.type) {
            e = std::move(entry);
            return;
        }
    }
    entries_.push_back(std::move(entry));
}

const MethodEntry* MethodRegistry::find(Type type) const {
    for (const MethodEntry& e : entries_) {
        if (e.type == type) return &e;
    }
    return nullptr;
}

bool MethodRegistry::has_peer(Type type) const {
    const MethodEntry* e = find(type);
    return e != nullptr && static_cast<bool>(e->peer);
}

bool MethodRegistry::has_server(Type type) const {
    const MethodEntry* e = find(type);
    return e != nullptr && static_cast<bool>(e->server);
}

bool MethodRegistry::is_tunnelled(Type type) const {
    const MethodEntry* e = find(type);
    return e != nullptr && e->tunnelled;
}

std::vector<Type> MethodRegistry::peer_types() const {
    std::vector<Type> out;
    for (const MethodEntry& e : entries_) {
        if (e.peer) out.push_back(e.type);
    }
    return out;
}

std::vector<Type> MethodRegistry::server_types() const {
    std::vector<Type> out;
    for (const MethodEntry& e : entries_) {
        if (e.server) out.push_back(e.type);
    }
    return out;
}

std::unique_ptr<PeerMethod> MethodRegistry::make_peer(Type type, const PeerEnvironment& env) const {
    const MethodEntry* e = find(type);
    if (e == nullptr || !e->peer) return nullptr;
    return e->peer(env);
}

std::unique_ptr<ServerMethod> MethodRegistry::make_server(Type type, const ServerEnvironment& env) const {
    const MethodEntry* e = find(type);
    if (e == nullptr || !e->server) return nullptr;
    return e->server(env);
}

std::unique_ptr<PeerMethod> make_peer(Type type, const PeerEnvironment& env) {
    return MethodRegistry::builtin().make_peer(type, env);
}

std::unique_ptr<ServerMethod> make_server(Type type, const ServerEnvironment& env) {
    return MethodRegistry::builtin().make_server(type, env);
}

bool is_tunnelled(Type type) {
    // PEAP and TTLS are tunnelled whether or not this build registers them.
    return type == Type::kPeap || type == Type::kTtls || MethodRegistry::builtin().is_tunnelled(type);
}

std::vector<Type> allowed_peer_methods(const PeerCredentials& credentials, const MethodRegistry& registry) {
    if (credentials.methods.empty()) return registry.peer_types();
    std::vector<Type> out;
    for (Type t : credentials.methods) {
        if (!registry.has_peer(t)) continue;
        bool seen = false;
        for (Type o : out) seen = seen || o == t;
        if (!seen) out.push_back(t);
    }
    return out;
}

std::string outer_identity(const PeerCredentials& credentials, const MethodRegistry& registry) {
    if (credentials.anonymous_identity.empty()) return credentials.identity;
    // The first allowed method as configured (even if this build lacks it, the
    // configured preference is what the user meant).
    std::optional<Type> first;
    if (!credentials.methods.empty()) {
        first = credentials.methods.front();
    } else {
        std::vector<Type> all = registry.peer_types();
        if (!all.empty()) first = all.front();
    }
    if (first && (registry.is_tunnelled(*first) || *first == Type::kPeap || *first == Type::kTtls)) {
        return credentials.anonymous_identity;
    }
    return credentials.identity;
}

}  // namespace lanyard::eap
