// Certificate authentication in IKE_AUTH (RFC 7296 §2.15, §3.6-3.8, RFC 4754,
// RFC 7427): RSA and ECDSA both ways between Lanyard initiator and
// responder, classic and digital-signature methods, chain validation,
// identities bound to subjectAltName or subject DN, and refusals.
#include <doctest/doctest.h>

#include "tests/unit/ike_sa_pair.h"
#include "tests/unit/test_support.h"

using namespace lanyard;
using namespace lanyard::ike;
using namespace lanyard::ike::testing;

namespace {

void make_pubkey(AuthRoundConfig& local, AuthRoundConfig& remote, const std::string& cert_file,
                 const std::string& key_file) {
    local.auth = AuthClass::kPubkey;
    local.cert_chain = {cert(cert_file)};
    local.private_key = key(key_file);
    remote.auth = AuthClass::kPubkey;
}

struct Certs {
    Pair pair;
    std::shared_ptr<PeerConfig> carol, moon;
    Certs(const std::string& client, const std::string& server, const std::string& carol_id = "user@lanyard.test",
          const std::string& moon_id = "server.lanyard.test") {
        carol = psk_config("home", carol_id, moon_id);
        moon = psk_config("rw", moon_id, "%any");
        make_pubkey(carol->local[0], carol->remote[0], client + ".pem", client + ".key");
        make_pubkey(moon->local[0], moon->remote[0], server + ".pem", server + ".key");
        pair.i.store.add_connection(carol);
        pair.r.store.add_connection(moon);
        pair.i.store.add_ca(cert("ca.pem"));
        pair.r.store.add_ca(cert("ca.pem"));
    }
    bool up() { return pair.up(carol, "home-child"); }
};

}  // namespace

TEST_CASE("RSA certificates both ways (RFC 7427 method 14, SHA-256)") {
    Certs t("client", "server");
    CHECK(t.up());
    CHECK(t.pair.only(t.pair.r)->peer_id().to_string() == "user@lanyard.test");
    CHECK(t.pair.only(t.pair.r)->children().size() == 1);
}

TEST_CASE("ECDSA P-256 certificates both ways") {
    Certs t("ec-client", "ec-server");
    CHECK(t.up());
}

TEST_CASE("mixed: ECDSA initiator, RSA responder") {
    Certs t("ec-client", "server");
    CHECK(t.up());
}

TEST_CASE("a certificate from an untrusted CA is refused") {
    Certs t("client", "other-server");
    CHECK_FALSE(t.up());
    CHECK(t.pair.i.manager.count() == 0);
}

TEST_CASE("an identity the certificate does not confirm is refused") {
    Certs t("client", "server", "someone@lanyard.test");
    CHECK_FALSE(t.up());
    CHECK(t.pair.r.manager.count() == 0);
}

TEST_CASE("a DN identity matches the certificate subject; a default id is the subject DN") {
    Certs t("client", "server", "O=Lanyard test, CN=user@lanyard.test");
    CHECK(t.up());
    CHECK(t.pair.only(t.pair.r)->peer_id().type == IdType::kDerAsn1Dn);
    Certs u("client", "server", "%any");
    CHECK(u.up());
    CHECK(u.pair.only(u.pair.r)->peer_id().to_string() == "O=Lanyard test, CN=user@lanyard.test");
}

TEST_CASE("classic methods: RSA method 1 and ECDSA method 9 without RFC 7427 hash announcements") {
    for (const char* who : {"client", "ec-client"}) {
        AuthRoundConfig local, remote;
        make_pubkey(local, remote, std::string(who) + ".pem", std::string(who) + ".key");
        remote.trust = {cert("ca.pem")};
        auto l = make_local_authenticator(local).value();
        auto r = make_remote_authenticator(remote).value();
        AuthRoundContext ctx;
        const Bytes init = Bytes(100, 7), nonce = Bytes(32, 9), skp = Bytes(32, 1);
        ctx.octets.sa_init_message = init;
        ctx.octets.peer_nonce = nonce;
        ctx.octets.sk_p = skp;
        ctx.octets.signer = parse_identity("user@lanyard.test").value();
        ctx.peer = ctx.octets.signer;
        std::vector<Payload> out;
        REQUIRE(l->build(ctx, out).ok());
        const AuthPayload* auth = nullptr;
        for (const auto& p : out) if (p.get<AuthPayload>()) auth = p.get<AuthPayload>();
        REQUIRE(auth != nullptr);
        CHECK(auth->method == (std::string(who) == "client" ? AuthMethod::kRsaSignature : AuthMethod::kEcdsaSha256P256));
        if (auth->method == AuthMethod::kEcdsaSha256P256) CHECK(auth->data.size() == 64);  // RFC 4754 r||s
        CHECK(r->process(ctx, out).ok());
        // A changed signed octet fails.
        Bytes other = init;
        other[0] ^= 1;
        ctx.octets.sa_init_message = other;
        CHECK_FALSE(r->process(ctx, out).ok());
        // With SHA-256 announced the method is 14.
        ctx.octets.sa_init_message = init;
        ctx.peer_hash_algorithms = {2};
        out.clear();
        REQUIRE(l->build(ctx, out).ok());
        for (const auto& p : out) if (p.get<AuthPayload>()) auth = p.get<AuthPayload>();
        CHECK(auth->method == AuthMethod::kDigitalSignature);
        CHECK(r->process(ctx, out).ok());
    }
}

TEST_CASE("RFC 7427 AlgorithmIdentifiers: round trip, unknown refused") {
    for (bool rsa : {true, false}) {
        for (auto h : {crypto::HashAlg::kSha256, crypto::HashAlg::kSha384, crypto::HashAlg::kSha512}) {
            auto der = rfc7427_algorithm_identifier({h, rsa});
            REQUIRE_FALSE(der.empty());
            auto back = parse_rfc7427_algorithm_identifier(der);
            REQUIRE(back.ok());
            CHECK(back->hash == h);
            CHECK(back->rsa == rsa);
        }
    }
    CHECK_FALSE(parse_rfc7427_algorithm_identifier(Bytes{0x30, 0x03, 0x06, 0x01, 0x00}).ok());
}

TEST_CASE("malformed CERT and AUTH payloads are refused, not trusted") {
    AuthRoundConfig remote;
    remote.auth = AuthClass::kPubkey;
    remote.trust = {cert("ca.pem")};
    auto r = make_remote_authenticator(remote).value();
    AuthRoundContext ctx;
    ctx.peer = parse_identity("user@lanyard.test").value();
    std::vector<Payload> in = {make_payload(CertPayload{4, Bytes{0x30, 0x82, 0x01}}),
                               make_payload(AuthPayload{AuthMethod::kDigitalSignature, Bytes{5, 1, 2}})};
    CHECK_FALSE(r->process(ctx, in).ok());
    in[0] = make_payload(CertPayload{4, cert("client.pem")->der()});
    CHECK_FALSE(r->process(ctx, in).ok());  // AUTH length byte overruns
    in[1] = make_payload(AuthPayload{AuthMethod::kEcdsaSha256P256, Bytes(64, 1)});
    CHECK_FALSE(r->process(ctx, in).ok());  // RSA key, ECDSA method
    in.pop_back();
    CHECK_FALSE(r->process(ctx, in).ok());  // no AUTH
}
