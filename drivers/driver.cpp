#include "drivers/driver.h"

#include "drivers/key_installer.h"

namespace lanyard {

const char* link_state_name(LinkState state) {
    switch (state) {
        case LinkState::kDown: return "down";
        case LinkState::kUp: return "up";
    }
    return "?";
}

const char* port_state_name(PortState state) {
    switch (state) {
        case PortState::kUnauthorized: return "unauthorized";
        case PortState::kAuthorized: return "authorized";
    }
    return "?";
}

const char* key_kind_name(KeyKind kind) {
    switch (kind) {
        case KeyKind::kPairwise: return "pairwise";
        case KeyKind::kGroup: return "group";
        case KeyKind::kIntegrityGroup: return "integrity group";
    }
    return "?";
}

}  // namespace lanyard
