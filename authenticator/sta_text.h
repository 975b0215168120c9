// The texts hostapd_cli shows for the wired authenticator, in the layout of
// Debian's hostapd 2.10 (tests/interop/REFERENCE_OUTPUTS.md): STATUS, one
// station's STA block, and MIB. Pure formatting.
#pragma once

#include <string>

#include "authenticator/authenticator.h"
#include "authenticator/station_session.h"
#include "common/clock.h"

namespace lanyard::authenticator {

// "STA <addr>" / STA-FIRST / STA-NEXT: the address on the first line (what
// hostapd_cli all_sta feeds to the next STA-NEXT), flags, the 802.1X MIB
// (dot1xPae*, dot1xAuth* from AuthenticatorPort::mib_text), the session's
// user name, and the EAP method lines.
std::string format_sta(const StationSession& session, uint8_t eapol_version, TimePoint now);

// "STATUS": state=ENABLED and the interface lines hostapd prints for wired.
std::string format_status(const Authenticator& authenticator);

// "MIB": the system-wide 802.1X MIB lines.
std::string format_mib(const Authenticator& authenticator);

}  // namespace lanyard::authenticator
