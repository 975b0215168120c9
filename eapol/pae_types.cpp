#include "eapol/pae_types.h"

namespace lanyard::eapol {

const char* port_control_name(PortControl control) {
    switch (control) {
        case PortControl::kAuto: return "Auto";
        case PortControl::kForceAuthorized: return "ForceAuthorized";
        case PortControl::kForceUnauthorized: return "ForceUnauthorized";
    }
    return "?";
}

const char* port_status_name(PortStatus status) {
    switch (status) {
        case PortStatus::kUnauthorized: return "Unauthorized";
        case PortStatus::kAuthorized: return "Authorized";
    }
    return "?";
}

int port_control_mib_value(PortControl control) {
    switch (control) {
        case PortControl::kForceUnauthorized: return 1;
        case PortControl::kAuto: return 2;
        case PortControl::kForceAuthorized: return 3;
    }
    return 0;
}

int port_status_mib_value(PortStatus status) {
    switch (status) {
        case PortStatus::kAuthorized: return 1;
        case PortStatus::kUnauthorized: return 2;
    }
    return 0;
}

const char* pae_machine_name(PaeMachine machine) {
    switch (machine) {
        case PaeMachine::kSupplicantPae: return "SUPP_PAE";
        case PaeMachine::kSupplicantBackend: return "SUPP_BE";
        case PaeMachine::kAuthenticatorPae: return "AUTH_PAE";
        case PaeMachine::kBackendAuthentication: return "BE_AUTH";
        case PaeMachine::kReauthTimer: return "REAUTH_TIMER";
    }
    return "?";
}

}  // namespace lanyard::eapol
