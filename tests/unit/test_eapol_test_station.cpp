// lanyard-eapol-test's RadiusStation against an in-process RADIUS server
// made of the EAP authenticator and the radius/ codec: what eapol_test's
// users rely on (User-Name, Calling-Station-Id, State echoed, Message-
// Authenticator on every request, MPPE keys compared) and how every kind of
// answer ends an authentication.
#include <doctest/doctest.h>

#include <memory>

#include "eapol_test_mini_server.h"
#include "radius/request_builder.h"
#include "test_support.h"
#include "tools/eapol_test/radius_station.h"

using namespace lanyard;
using namespace lanyard::eapol_test;
using namespace lanyard::eapol_test_support;

namespace {

const MacAddress kStation({0x02, 0x11, 0x22, 0x33, 0x44, 0x55});

struct Fixture {
    FakeRandom random{11};
    FakeClock clock;
    eap::PeerCredentials credentials;
    std::unique_ptr<tls::Context> client_tls, server_tls;
    eap::VectorUserDatabase users{{}};
    StationSettings settings;
    MiniServer server;

    void md5(const std::string& server_password) {
        credentials.identity = "md5user";
        credentials.password = SecretBytes(Bytes{'g', 'o', 'o', 'd'});
        credentials.methods = {eap::Type::kMd5Challenge};
        eap::UserRecord u;
        u.identity = "md5user";
        u.methods = {eap::Type::kMd5Challenge};
        u.password = SecretBytes(ByteView(reinterpret_cast<const uint8_t*>(server_password.data()),
                                          server_password.size()));
        users.add(u);
        finish_setup();
    }

    void tls() {
        credentials.identity = "user@lanyard.test";
        credentials.methods = {eap::Type::kTls};
        tls::Config c;
        c.role = tls::Role::kClient;
        c.ca_file = test::pki_path("ca.pem");
        c.cert_file = test::pki_path("client.pem");
        c.key_file = test::pki_path("client.key");
        c.max_version = tls::Version::kTls12;
        auto cc = tls::make_context(c);
        REQUIRE_MESSAGE(cc.ok(), (cc.ok() ? "" : cc.error().to_string()));
        client_tls = std::move(*cc);
        tls::Config s;
        s.role = tls::Role::kServer;
        s.ca_file = test::pki_path("ca.pem");
        s.cert_file = test::pki_path("server.pem");
        s.key_file = test::pki_path("server.key");
        s.require_peer_certificate = true;
        s.max_version = tls::Version::kTls12;
        auto sc = tls::make_context(s);
        REQUIRE_MESSAGE(sc.ok(), (sc.ok() ? "" : sc.error().to_string()));
        server_tls = std::move(*sc);
        eap::UserRecord u;
        u.identity = "user@lanyard.test";
        u.methods = {eap::Type::kTls};
        users.add(u);
        settings.tls = client_tls.get();
        server.env.tls = server_tls.get();
        finish_setup();
    }

    void finish_setup() {
        settings.credentials = &credentials;
        settings.random = &random;
        server.env.users = &users;
        server.env.random = &random;
    }

    // Runs one authentication to its end; bounded.
    AuthOutcome run(RadiusStation& station) {
        REQUIRE(station.begin(clock.now()).ok());
        for (int round = 0; round < 200; ++round) {
            radius::Authenticator ra{};
            random.fill(ra);
            const uint8_t id = uint8_t(round);
            auto request = station.encode_request(id, ra, secret());
            REQUIRE(request.ok());
            Bytes response = server.answer(*request, clock.now());
            REQUIRE(!response.empty());
            auto verified = radius::verify_response(response, ra, secret());
            REQUIRE(verified.ok());
            StationStep step = station.on_response(*verified, ra, secret(), clock.now());
            if (step.kind == StepKind::kFinished) return step.outcome;
        }
        FAIL("no end after 200 rounds");
        return {};
    }
};

}  // namespace

TEST_CASE("eapol_test station: MD5 accepted; User-Name, Calling-Station-Id, State echoed, Message-Authenticator") {
    Fixture f;
    f.md5("good");
    f.settings.no_mppe_keys = true;
    RadiusStation station(f.settings, kStation);
    AuthOutcome o = f.run(station);
    CHECK(o.result == AuthResult::kAccept);
    CHECK(o.keys == KeyCheck::kOkUncounted);
    CHECK(o.method == eap::Type::kMd5Challenge);
    CHECK(o.round_trips == 2);
    CHECK(f.server.requests == 2);
    CHECK(f.server.user_name == "md5user");
    CHECK(f.server.calling_station == "02-11-22-33-44-55");
    CHECK(f.server.state_mismatches == 0);
    CHECK(f.server.without_message_authenticator == 0);
    CHECK_FALSE(station.active());
}

TEST_CASE("eapol_test station: MD5 without -n is a key mismatch, as in eapol_test") {
    Fixture f;
    f.md5("good");
    RadiusStation station(f.settings, kStation);
    AuthOutcome o = f.run(station);
    CHECK(o.result == AuthResult::kAccept);
    CHECK(o.keys == KeyCheck::kMismatch);
}

TEST_CASE("eapol_test station: a wrong password ends in Access-Reject") {
    Fixture f;
    f.md5("other");
    f.settings.no_mppe_keys = true;
    RadiusStation station(f.settings, kStation);
    AuthOutcome o = f.run(station);
    CHECK(o.result == AuthResult::kReject);
    CHECK(o.keys == KeyCheck::kMismatch);
    CHECK(o.reason.find("Access-Reject") != std::string::npos);
}

TEST_CASE("eapol_test station: EAP-TLS MSK equals MS-MPPE-Recv-Key | Send-Key; a changed key is a mismatch") {
    Fixture f;
    f.tls();
    {
        RadiusStation station(f.settings, kStation);
        AuthOutcome o = f.run(station);
        CHECK(o.result == AuthResult::kAccept);
        CHECK(o.keys == KeyCheck::kOk);
        CHECK(o.method == eap::Type::kTls);
        CHECK_FALSE(o.resumed);
        CHECK(f.server.state_mismatches == 0);
        CHECK(f.server.without_message_authenticator == 0);
    }
    f.server = MiniServer{};
    f.finish_setup();
    f.server.env.tls = f.server_tls.get();
    f.server.corrupt_keys = true;
    RadiusStation station(f.settings, kStation);
    AuthOutcome o = f.run(station);
    CHECK(o.result == AuthResult::kAccept);
    CHECK(o.keys == KeyCheck::kMismatch);
}

TEST_CASE("eapol_test station: an Access-Challenge without EAP-Message ends the authentication as failed") {
    Fixture f;
    f.md5("good");
    f.server.challenge_without_eap = true;
    RadiusStation station(f.settings, kStation);
    AuthOutcome o = f.run(station);
    CHECK(o.result == AuthResult::kFailed);
    CHECK(o.reason.find("unusable response") != std::string::npos);
}

TEST_CASE("eapol_test station: give_up is a timeout with a key mismatch; begin() starts afresh") {
    Fixture f;
    f.md5("good");
    RadiusStation station(f.settings, kStation);
    REQUIRE(station.begin(f.clock.now()).ok());
    CHECK(station.active());
    CHECK(station.user_name() == "md5user");
    AuthOutcome o = station.give_up("no answer");
    CHECK(o.result == AuthResult::kTimeout);
    CHECK(o.keys == KeyCheck::kMismatch);
    CHECK_FALSE(station.active());
    CHECK_FALSE(station.state().has_value());
    f.settings.no_mppe_keys = true;
    CHECK(f.run(station).result == AuthResult::kAccept);
}
