// The 802.1X MIB statistics (IEEE 802.1X-2004 §9.4.2 Authenticator
// Statistics, §9.5.2 Supplicant Statistics), plus the drops Lanyard counts
// with a reason. One struct serves both roles; each role fills its fields.
#pragma once

#include <cstdint>

#include "common/mac_address.h"

namespace lanyard::eapol {

struct EapolCounters {
    uint64_t eapol_frames_rx = 0;          // every frame with a valid EAPOL header
    uint64_t eapol_frames_tx = 0;
    uint64_t eapol_start_frames_rx = 0;    // authenticator
    uint64_t eapol_start_frames_tx = 0;    // supplicant
    uint64_t eapol_logoff_frames_rx = 0;   // authenticator
    uint64_t eapol_logoff_frames_tx = 0;   // supplicant
    uint64_t eapol_key_frames_rx = 0;
    // EAP-Packets by direction and kind (Identity or other).
    uint64_t eapol_req_id_frames_rx = 0;   // supplicant
    uint64_t eapol_req_frames_rx = 0;      // supplicant
    uint64_t eapol_resp_id_frames_rx = 0;  // authenticator
    uint64_t eapol_resp_frames_rx = 0;     // authenticator
    uint64_t eapol_req_id_frames_tx = 0;   // authenticator
    uint64_t eapol_req_frames_tx = 0;      // authenticator
    uint64_t eapol_resp_frames_tx = 0;     // supplicant
    // invalidEapolFramesRx: unrecognized type, bad version, bad EAP header,
    // wrong EAP code for our role, wrong source.
    uint64_t invalid_eapol_frames_rx = 0;
    // eapLengthErrorFramesRx: Packet Body Length beyond the frame, or the EAP
    // header or EAP Length beyond the body.
    uint64_t eap_length_error_frames_rx = 0;
    // Recognized but not acted on (MKA, announcements, ASF alerts, Key frames
    // nobody consumes, non-EAPOL EtherTypes handed in).
    uint64_t unsupported_eapol_frames_rx = 0;
    uint8_t last_eapol_frame_version = 0;
    MacAddress last_eapol_frame_source;
};

}  // namespace lanyard::eapol
