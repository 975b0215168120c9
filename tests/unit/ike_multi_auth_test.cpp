// Multiple authentication rounds (RFC 4739) between a Lanyard initiator and
// a Lanyard responder in memory: certificate then EAP, EAP then EAP, two
// initiator certificates; a missing round, an unexpected round and a
// failing second round are refused.
#include <doctest/doctest.h>

#include <set>

#include "ike/authenticator_eap.h"
#include "methods/eap_config.h"
#include "tests/unit/ike_sa_pair.h"
#include "tests/unit/test_support.h"

using namespace lanyard;
using namespace lanyard::ike;
using namespace lanyard::ike::testing;

namespace {

AuthRoundConfig pubkey_local(const std::string& id, const std::string& c, const std::string& k) {
    AuthRoundConfig a;
    a.auth = AuthClass::kPubkey;
    a.id = parse_identity(id).value();
    a.cert_chain = {cert(c)};
    a.private_key = key(k);
    return a;
}

AuthRoundConfig pubkey_remote(const std::string& id) {
    AuthRoundConfig a;
    a.auth = AuthClass::kPubkey;
    a.id = parse_identity(id).value();
    return a;
}

AuthRoundConfig eap_local(const std::string& method, const std::string& id, const std::string& password) {
    AuthRoundConfig a;
    a.auth = AuthClass::kEap;
    a.eap_method = method;
    a.id = parse_identity(id).value();
    auto creds = std::make_shared<eap::PeerCredentials>();
    creds->identity = eap_identity_of(a.id);
    creds->password = SecretBytes(as_bytes(password));
    creds->methods = eap_methods_for(method).value();
    a.eap_peer = creds;
    return a;
}

AuthRoundConfig eap_remote(const std::string& method, const std::string& user, const std::string& password) {
    AuthRoundConfig a;
    a.auth = AuthClass::kEap;
    a.eap_method = method;
    a.id.any = true;
    eap::UserRecord u;
    u.identity = user;
    u.methods = eap_methods_for(method).value();
    u.password = SecretBytes(as_bytes(password));
    a.eap_users = std::make_shared<eap::VectorUserDatabase>(std::vector<eap::UserRecord>{u});
    return a;
}

struct Rounds {
    Pair pair;
    std::shared_ptr<PeerConfig> carol, moon;
    Rounds(std::vector<AuthRoundConfig> initiator_rounds, std::vector<AuthRoundConfig> responder_rounds) {
        carol = psk_config("home", "user@lanyard.test", "server.lanyard.test");
        moon = psk_config("rw", "server.lanyard.test", "%any");
        moon->local = {pubkey_local("server.lanyard.test", "server.pem", "server.key")};
        carol->remote = {pubkey_remote("server.lanyard.test")};
        carol->local = std::move(initiator_rounds);
        moon->remote = std::move(responder_rounds);
        pair.i.store.add_ca(cert("ca.pem"));
        pair.r.store.add_ca(cert("ca.pem"));
        pair.i.store.add_connection(carol);
        pair.r.store.add_connection(moon);
    }
    bool up() { return pair.up(carol, "home-child"); }
    bool neither_up() { return pair.neither_up(); }
};

}  // namespace

TEST_CASE("RFC 4739: certificate, then EAP-MSCHAPv2 under IDi'") {
    Rounds t({pubkey_local("user@lanyard.test", "client.pem", "client.key"), eap_local("mschapv2", "carol", "pw-2")},
             {pubkey_remote("user@lanyard.test"), eap_remote("mschapv2", "carol", "pw-2")});
    REQUIRE(t.up());
    IkeSa* r = t.pair.only(t.pair.r);
    CHECK(r->peer_id().to_string() == "carol");  // IDi' of the last round
    CHECK(r->children().size() == 1);
    CHECK(t.pair.only(t.pair.i)->children().size() == 1);
}

TEST_CASE("RFC 4739: EAP-MD5, then EAP-MSCHAPv2") {
    Rounds t({eap_local("md5", "carol", "pw-1"), eap_local("mschapv2", "carol-2@aaa.example", "pw-2")},
             {eap_remote("md5", "carol", "pw-1"), eap_remote("mschapv2", "carol-2@aaa.example", "pw-2")});
    CHECK(t.up());
}

TEST_CASE("RFC 4739: two initiator certificates (RSA, then ECDSA)") {
    Rounds t({pubkey_local("user@lanyard.test", "client.pem", "client.key"),
              pubkey_local("user@lanyard.test", "ec-client.pem", "ec-client.key")},
             {pubkey_remote("user@lanyard.test"), pubkey_remote("user@lanyard.test")});
    CHECK(t.up());
}

TEST_CASE("RFC 4739: the responder requires two rounds, the initiator does one") {
    Rounds t({pubkey_local("user@lanyard.test", "client.pem", "client.key")},
             {pubkey_remote("user@lanyard.test"), eap_remote("mschapv2", "carol", "pw-2")});
    CHECK_FALSE(t.up());
    CHECK(t.neither_up());
}

TEST_CASE("RFC 4739: the initiator announces a round the responder does not have") {
    Rounds t({pubkey_local("user@lanyard.test", "client.pem", "client.key"), eap_local("mschapv2", "carol", "pw-2")},
             {pubkey_remote("user@lanyard.test")});
    CHECK_FALSE(t.up());
    CHECK(t.neither_up());
}

TEST_CASE("RFC 4739: a failing second round fails the IKE_SA") {
    Rounds t({pubkey_local("user@lanyard.test", "client.pem", "client.key"), eap_local("mschapv2", "carol", "wrong")},
             {pubkey_remote("user@lanyard.test"), eap_remote("mschapv2", "carol", "pw-2")});
    CHECK_FALSE(t.up());
    CHECK(t.neither_up());
}

TEST_CASE("RFC 4739: IDi' of the second round must match remote-2's id") {
    auto second = eap_remote("mschapv2", "carol", "pw-2");
    second.id = parse_identity("dave").value();
    second.id.any = false;
    Rounds t({pubkey_local("user@lanyard.test", "client.pem", "client.key"), eap_local("mschapv2", "carol", "pw-2")},
             {pubkey_remote("user@lanyard.test"), second});
    CHECK_FALSE(t.up());
    CHECK(t.neither_up());
}

TEST_CASE("RFC 4739 §3.1: no second round when the responder did not announce MULTIPLE_AUTH_SUPPORTED") {
    Rounds t({pubkey_local("user@lanyard.test", "client.pem", "client.key"), eap_local("mschapv2", "carol", "pw-2")},
             {pubkey_remote("user@lanyard.test"), eap_remote("mschapv2", "carol", "pw-2")});
    int auth_requests = 0;
    t.pair.tap = [&](bool from_initiator, OutgoingDatagram& d) {
        auto msg = parse_message(d.data);
        REQUIRE(msg.ok());
        if (from_initiator && msg->header.exchange == ExchangeType::kIkeAuth) ++auth_requests;
        if (!from_initiator && msg->header.exchange == ExchangeType::kIkeSaInit) {
            std::erase_if(msg->payloads, [](const Payload& p) {
                const NotifyPayload* n = p.get<NotifyPayload>();
                return n != nullptr && n->is(NotifyType::kMultipleAuthSupported);
            });
            d.data = build_message(msg->header, msg->payloads).value();
        }
        return true;
    };
    CHECK_FALSE(t.up());
    CHECK(auth_requests == 0);
    CHECK(t.neither_up());
}

// ---- RFC 4739 rounds of the responder (two responder certificates) ----

namespace {

// moon proves itself twice: server.pem (ca.pem), then other-server.pem of
// another CA (other-ca.pem), each round answering an empty IKE_AUTH request.
struct ResponderRounds : Rounds {
    explicit ResponderRounds(size_t initiator_expects = 2, bool trust_other_ca = true)
        : Rounds({pubkey_local("user@lanyard.test", "client.pem", "client.key")}, {pubkey_remote("user@lanyard.test")}) {
        moon->local = {pubkey_local("server.lanyard.test", "server.pem", "server.key"),
                       pubkey_local("server.lanyard.test", "other-server.pem", "other-server.key")};
        carol->remote.assign(initiator_expects, pubkey_remote("server.lanyard.test"));
        if (trust_other_ca) pair.i.store.add_ca(cert("other-ca.pem"));
        pair.tap = [this](bool from_initiator, OutgoingDatagram& d) {
            auto msg = parse_message(d.data);
            if (from_initiator && msg && msg->header.exchange == ExchangeType::kIkeAuth) auth_requests.insert(msg->header.message_id);
            return true;
        };
    }
    std::set<uint32_t> auth_requests;  // Message IDs (fragments count once)
};

}  // namespace

TEST_CASE("RFC 4739: two responder certificates, the second asked for with an empty request") {
    ResponderRounds t;
    REQUIRE(t.up());
    CHECK(t.auth_requests.size() == 2);  // IDi/AUTH, then the empty request
    CHECK(t.pair.only(t.pair.i)->children().size() == 1);  // SA/TS with the last round
    CHECK(t.pair.only(t.pair.r)->children().size() == 1);
}

TEST_CASE("RFC 4739: the responder does a round the initiator does not expect") {
    ResponderRounds t(1);
    CHECK_FALSE(t.up());
    CHECK(t.neither_up());
}

TEST_CASE("RFC 4739: the initiator expects a responder round that never comes") {
    ResponderRounds t(2);
    t.moon->local.pop_back();
    CHECK_FALSE(t.up());
    CHECK(t.neither_up());
}

TEST_CASE("RFC 4739: the responder's second certificate must be trusted too") {
    ResponderRounds t(2, /*trust_other_ca=*/false);
    CHECK_FALSE(t.up());
    CHECK(t.neither_up());
}
