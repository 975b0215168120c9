// charon's eap-radius settings from strongswan.conf, for rounds with
// swanctl "auth = eap-radius" (the gateway relays their EAP to a RADIUS
// server, RFC 3579): the section charon.plugins.eap-radius with
//   server, secret, port                 (one server), or
//   servers { NAME { address, secret, auth_port | port, preference } }
//   nas_identifier (default "strongSwan", as charon),
//   retransmit_tries, retransmit_timeout, retransmit_base.
// Everything outside that section is ignored; inside it, keys charon knows
// and Lanyard does not act on are warnings, unknown keys errors naming
// file:line and key. "include" statements are not followed.
#pragma once

#include <string>
#include <vector>

#include "authenticator/hostapd_config.h"
#include "common/config_lexer.h"
#include "radius/pending_requests.h"

namespace lanyard::gateway {

struct EapRadiusSettings {
    std::vector<authenticator::RadiusServerConfig> servers;  // in preference order
    std::string nas_identifier = "strongSwan";
    radius::RetransmitPolicy retransmit;
    std::vector<config::Warning> warnings;
};

Result<EapRadiusSettings> parse_eap_radius_settings(std::string_view text, const std::string& file);
Result<EapRadiusSettings> load_eap_radius_settings(const std::string& path);

}  // namespace lanyard::gateway
