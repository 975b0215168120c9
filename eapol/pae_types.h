// Values shared by the IEEE 802.1X-2004 PAE state machines (clause 8.2.2):
// port control and status, the machine names used in logs, and the MIB's
// numeric encodings (IEEE8021-PAE-MIB) that hostapd-style STATUS prints.
#pragma once

#include <cstdint>

namespace lanyard::eapol {

// §8.2.2.2 portControl / portMode / sPortMode: AdminControlledPort.
enum class PortControl { kAuto, kForceAuthorized, kForceUnauthorized };
// §8.2.2.2 authPortStatus / suppPortStatus.
enum class PortStatus { kUnauthorized, kAuthorized };

// "Auto", "ForceAuthorized", "ForceUnauthorized".
const char* port_control_name(PortControl control);
// "Authorized", "Unauthorized" (wpa_supplicant STATUS suppPortStatus=...).
const char* port_status_name(PortStatus status);
// MIB AuthControlledPortControl: forceUnauthorized(1), auto(2), forceAuthorized(3).
int port_control_mib_value(PortControl control);
// MIB AuthControlledPortStatus: authorized(1), unauthorized(2).
int port_status_mib_value(PortStatus status);

// The five machines of clause 8.2, for log and event text.
enum class PaeMachine {
    kSupplicantPae,          // §8.2.11
    kSupplicantBackend,      // §8.2.12
    kAuthenticatorPae,       // §8.2.4
    kBackendAuthentication,  // §8.2.9
    kReauthTimer,            // §8.2.8
};
// "SUPP_PAE", "SUPP_BE", "AUTH_PAE", "BE_AUTH", "REAUTH_TIMER".
const char* pae_machine_name(PaeMachine machine);

// One state entry, as the ports report it (also a re-entry of the same
// state by a transition, e.g. CONNECTING → CONNECTING).
struct PaeStateChange {
    PaeMachine machine = PaeMachine::kSupplicantPae;
    const char* from = "";
    const char* to = "";
};

}  // namespace lanyard::eapol
