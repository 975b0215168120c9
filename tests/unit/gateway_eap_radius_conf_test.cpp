// strongswan.conf's charon.plugins.eap-radius for lanyard-gateway's
// auth = eap-radius rounds: both server forms, preference order, charon's
// defaults, and malformed input naming file, line and key.
#include <doctest/doctest.h>

#include "gateway/eap_radius_conf.h"

using namespace lanyard;
using namespace lanyard::gateway;

TEST_CASE("eap-radius: servers { } in preference order, nas_identifier and retransmission") {
    auto s = parse_eap_radius_settings(R"(
charon {
    load_modular = yes
    plugins {
        eap-radius {
            nas_identifier = vpn-gw
            retransmit_tries = 2
            retransmit_timeout = 1.5
            eap_start = no
            servers {
                backup {
                    address = 192.0.2.2
                    secret = two
                    auth_port = 11812
                }
                primary {
                    address = 192.0.2.1
                    secret = one
                    preference = 10
                }
            }
        }
        kernel-netlink { fwmark = 0x42 }
    }
}
)", "strongswan.conf");
    REQUIRE(s);
    REQUIRE(s->servers.size() == 2);
    CHECK(s->servers[0].address == "192.0.2.1");
    CHECK(s->servers[0].port == 1812);
    CHECK(s->servers[0].shared_secret.view().size() == 3);
    CHECK(s->servers[1].address == "192.0.2.2");
    CHECK(s->servers[1].port == 11812);
    CHECK(s->nas_identifier == "vpn-gw");
    CHECK(s->retransmit.attempts_per_server == 2);
    CHECK(s->retransmit.initial_timeout == Duration(1500));
    CHECK(s->retransmit.max_attempts == 4);
    REQUIRE(s->warnings.size() == 1);  // eap_start: known, not acted on
    CHECK(s->warnings[0].line == 9);
}

TEST_CASE("eap-radius: the single-server form and charon's defaults") {
    auto s = parse_eap_radius_settings("charon {\n plugins {\n  eap-radius {\n   server = 127.0.0.1\n   secret = s\n  }\n }\n}\n",
                                       "eap-radius.conf");
    REQUIRE(s);
    REQUIRE(s->servers.size() == 1);
    CHECK(s->servers[0].port == 1812);
    CHECK(s->nas_identifier == "strongSwan");
}

TEST_CASE("eap-radius: malformed settings name the file, the line and the key") {
    struct Case {
        const char* text;
        const char* expect;
    };
    const Case cases[] = {
        {"charon {\n plugins {\n  eap-radius {\n   server = 127.0.0.1\n   secret = s\n   port = 70000\n  }\n }\n}\n",
         "f.conf:6: key 'port': bad port '70000'"},
        {"charon {\n plugins {\n  eap-radius {\n   server = 127.0.0.1\n   secret = s\n   colour = red\n  }\n }\n}\n",
         "f.conf:6: key 'colour': unknown key"},
        {"charon {\n plugins {\n  eap-radius {\n   servers {\n    a {\n     address = 127.0.0.1\n    }\n   }\n  }\n }\n}\n",
         "server without secret"},
        {"charon {\n plugins {\n  eap-radius {\n   nas_identifier = x\n  }\n }\n}\n", "no RADIUS server"},
        {"charon {\n plugins {\n  eap-radius {\n   server = 127.0.0.1\n   secret = s\n   retransmit_timeout = -1\n  }\n }\n}\n",
         "f.conf:6: key 'retransmit_timeout': bad value '-1'"},
        {"charon {\n plugins {\n }\n}\n", "no charon.plugins.eap-radius section"},
        {"charon {\n plugins {\n  eap-radius {\n", "f.conf"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.text);
        INFO(std::string(c.expect));
        auto s = parse_eap_radius_settings(c.text, "f.conf");
        REQUIRE_FALSE(s);
        CHECK_MESSAGE(s.error().detail.find(c.expect) != std::string::npos, s.error().detail);
    }
    CHECK_FALSE(load_eap_radius_settings("/nonexistent/strongswan.conf"));
}
