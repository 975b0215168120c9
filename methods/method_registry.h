// The method registry: factories for peer and server methods by EAP Type.
// Built-in methods are listed in one explicit table in method_registry.cpp
// (no static-initializer registration, which is unreliable from static
// libraries): adding a method is one line there plus its own files.
//
// Tests and nested engines (PEAP phase 2) may build their own registry with
// other entries.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "methods/eap_config.h"
#include "methods/eap_method.h"
#include "methods/eap_types.h"

namespace lanyard::eap {

// A factory may return nullptr when the method cannot run with what the
// environment holds (e.g. EAP-MD5 without a password): the machines then
// treat the method as not allowed (the peer Naks it; the server proposes the
// next one).
using PeerFactory = std::function<std::unique_ptr<PeerMethod>(const PeerEnvironment&)>;
using ServerFactory = std::function<std::unique_ptr<ServerMethod>(const ServerEnvironment&)>;

struct MethodEntry {
    Type type;
    // Runs its own tunnel and usually hides the real identity (PEAP, TTLS):
    // the peer may send anonymous_identity as its outer identity.
    bool tunnelled = false;
    PeerFactory peer;      // empty: no peer side
    ServerFactory server;  // empty: no server side
};

class MethodRegistry {
public:
    MethodRegistry() = default;
    explicit MethodRegistry(std::vector<MethodEntry> entries) : entries_(std::move(entries)) {}

    // The built-in methods (the table in method_registry.cpp).
    static const MethodRegistry& builtin();

    // Adds or replaces the entry for entry.type (keeps table order otherwise).
    void add(MethodEntry entry);

    const MethodEntry* find(Type type) const;
    bool has_peer(Type type) const;
    bool has_server(Type type) const;
    bool is_tunnelled(Type type) const;
    // Types with a peer side, in table order (the preference order used when
    // a network block allows "all methods").
    std::vector<Type> peer_types() const;
    std::vector<Type> server_types() const;

    // nullptr when the type is unknown, has no such side, or the factory
    // declines.
    std::unique_ptr<PeerMethod> make_peer(Type type, const PeerEnvironment& env) const;
    std::unique_ptr<ServerMethod> make_server(Type type, const ServerEnvironment& env) const;

    std::span<const MethodEntry> entries() const { return entries_; }

private:
    std::vector<MethodEntry> entries_;
};

// Shorthands over MethodRegistry::builtin().
std::unique_ptr<PeerMethod> make_peer(Type type, const PeerEnvironment& env);
std::unique_ptr<ServerMethod> make_server(Type type, const ServerEnvironment& env);
bool is_tunnelled(Type type);

// The methods a peer may use, in preference order: credentials.methods when
// not empty, else every method the registry has a peer side for; filtered to
// the types the registry knows (peer side).
std::vector<Type> allowed_peer_methods(const PeerCredentials& credentials, const MethodRegistry& registry);

// The identity a peer sends in EAP-Response/Identity (phase 1):
// anonymous_identity when it is set and the first allowed method is tunnelled
// (its inner method then carries the real identity), identity otherwise.
std::string outer_identity(const PeerCredentials& credentials, const MethodRegistry& registry);

}  // namespace lanyard::eap
