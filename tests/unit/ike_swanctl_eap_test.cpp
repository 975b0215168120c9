// swanctl.conf for EAP in IKE_AUTH (issue 8): auth = eap-*, eap_id,
// secrets eap-* as the user database and as the initiator's credentials,
// RFC 4739 rounds (local-1/local-2, remote-1/remote-2), and refusals.
#include <doctest/doctest.h>

#include "gateway/swanctl_conf.h"
#include "ike/authenticator_eap.h"
#include "methods/eap_config.h"

using namespace lanyard;
using namespace lanyard::gateway;

namespace {

constexpr const char* kEapConf = R"(
connections {
    rw {
        local {
            auth = psk
            id = moon.example.org
        }
        remote-1 {
            auth = psk
        }
        remote-2 {
            auth = eap-mschapv2
            eap_id = %any
        }
    }
    home {
        remote_addrs = 192.0.2.1
        local {
            auth = eap-md5
            id = carol@example.org
            eap_id = carol
        }
        remote {
            auth = psk
            id = moon.example.org
        }
    }
}
secrets {
    eap-carol {
        id = carol
        secret = "carol's secret"
    }
    eap-dave {
        id-1 = dave@example.org
        id-2 = dave
        secret = 0x64617665
    }
}
)";

const ike::PeerConfig* find(const SwanctlConfig& c, const std::string& name) {
    for (const auto& p : c.store->connections()) {
        if (p->name == name) return p.get();
    }
    return nullptr;
}

}  // namespace

TEST_CASE("swanctl.conf: remote-2 auth = eap-mschapv2 gets the eap-* secrets as its user database") {
    auto r = parse_swanctl_conf(kEapConf, "/nonexistent/swanctl.conf");
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().detail));
    const ike::PeerConfig* rw = find(*r, "rw");
    REQUIRE(rw != nullptr);
    REQUIRE(rw->remote.size() == 2);
    CHECK(rw->remote[0].auth == ike::AuthClass::kPsk);
    const auto& eap = rw->remote[1];
    CHECK(eap.auth == ike::AuthClass::kEap);
    CHECK(eap.eap_method == "mschapv2");
    REQUIRE(eap.eap_id.has_value());
    CHECK(eap.eap_id->any);
    REQUIRE(eap.eap_users);
    const eap::UserRecord* carol = eap.eap_users->find("carol", false);
    REQUIRE(carol != nullptr);
    CHECK(carol->methods == std::vector<eap::Type>{eap::Type::kMschapV2});
    CHECK(carol->password.view().size() == std::string("carol's secret").size());
    const eap::UserRecord* dave = eap.eap_users->find("dave@example.org", false);
    REQUIRE(dave != nullptr);
    CHECK(dave->password.view().size() == 4);  // 0x64617665
    CHECK(eap.eap_users->find("mallory", false) == nullptr);
    CHECK(eap.eap_tls == nullptr);  // MSCHAPv2 needs no TLS context
}

TEST_CASE("swanctl.conf: local auth = eap-md5 with eap_id gives the initiator its EAP credentials") {
    auto r = parse_swanctl_conf(kEapConf, "/nonexistent/swanctl.conf");
    REQUIRE(r.ok());
    const ike::PeerConfig* home = find(*r, "home");
    REQUIRE(home != nullptr);
    REQUIRE(home->local.size() == 1);
    REQUIRE(home->local[0].eap_peer);
    CHECK(home->local[0].eap_peer->identity == "carol");
    CHECK(home->local[0].eap_peer->password.view().size() == std::string("carol's secret").size());
    CHECK(home->local[0].eap_peer->methods == std::vector<eap::Type>{eap::Type::kMd5Challenge});
}

TEST_CASE("swanctl.conf: EAP refusals") {
    SUBCASE("unknown EAP method") {
        auto r = parse_swanctl_conf("connections { a { remote { auth = eap-aka } } }", "/nonexistent/swanctl.conf");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().detail.find("aka") != std::string::npos);
    }
    SUBCASE("eap-tls without a certificate") {
        auto r = parse_swanctl_conf("connections { a { remote { auth = eap-tls } } }", "/nonexistent/swanctl.conf");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().detail.find("certificate") != std::string::npos);
    }
    SUBCASE("eap-dynamic without a certificate drops TLS and PEAP") {
        auto r = parse_swanctl_conf("connections { a { remote { auth = eap-dynamic } } }\nsecrets { eap-x { id = x\nsecret = y } }",
                                    "/nonexistent/swanctl.conf");
        REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().detail));
        const eap::UserRecord* x = find(*r, "a")->remote[0].eap_users->find("x", false);
        REQUIRE(x != nullptr);
        for (auto t : x->methods) {
            CHECK(t != eap::Type::kTls);
            CHECK(t != eap::Type::kPeap);
        }
        CHECK(!x->methods.empty());
    }
    SUBCASE("bad eap_id") {
        auto r = parse_swanctl_conf("connections { a { remote { auth = eap-md5\neap_id = C=x, =y } } }", "/nonexistent/swanctl.conf");
        CHECK_FALSE(r.ok());
    }
    SUBCASE("initiator EAP round without an identity") {
        auto r = parse_swanctl_conf("connections { a { local { auth = eap-md5 } } }", "/nonexistent/swanctl.conf");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().detail.find("id") != std::string::npos);
    }
}
