// The text of wpa_supplicant's STATUS, STATUS-VERBOSE and MIB replies for a
// wired session, with the keys in Debian wpa_supplicant 2.10's order
// (tests/interop/REFERENCE_OUTPUTS.md), so scripts that parse them keep
// working. Lanyard-only counters come after the reference keys.
#pragma once

#include <string>

#include "supplicant/wired_session.h"

namespace lanyard::supplicant {

std::string status_text(const WiredSession& session, bool verbose);
// dot1xSupp* lines (SupplicantPort::mib_text) plus the driver's drop counters.
std::string mib_text(const WiredSession& session);

}  // namespace lanyard::supplicant
