// Adapts the EAP peer machine (methods/eap_peer.h, RFC 4137 §4) to the
// supplicant port's seam (eapol/eap_layer.h PaeEapPeer), and reports what a
// wpa_supplicant user sees of an authentication: started, proposed method,
// selected method, success, failure, with the number of EAP round trips.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/secret.h"
#include "eapol/eap_layer.h"
#include "methods/eap_peer.h"

namespace lanyard::supplicant {

// What the adapter reports; all calls happen inside PaeEapPeer calls.
class EapPeerObserver {
public:
    virtual ~EapPeerObserver() = default;
    // The first EAP-Request of an authentication arrived.
    virtual void eap_started() = 0;
    // The server proposed a method (a Request of that type before any was selected).
    virtual void eap_proposed_method(uint8_t type) = 0;
    virtual void eap_method_selected(uint8_t type) = 0;
    // rounds: EAP-Responses sent in this authentication.
    virtual void eap_succeeded(std::optional<eap::Type> method, unsigned rounds, bool resumed) = 0;
    virtual void eap_failed(std::optional<eap::Type> method, unsigned rounds, const std::string& reason) = 0;
};

class EapPeerAdapter final : public eapol::PaeEapPeer {
public:
    // env and observer must outlive the adapter.
    EapPeerAdapter(eap::PeerEnvironment env, EapPeerObserver& observer, eap::PeerConfig config = {});

    void restart(TimePoint now) override;
    eapol::EapPeerResult process(ByteView eap_packet, TimePoint now) override;
    eapol::EapPeerResult on_timeout(TimePoint now) override;
    std::optional<TimePoint> next_timeout() const override;
    void abort() override;
    const char* state_name() const override;

    const eap::EapPeer& peer() const { return peer_; }
    unsigned rounds() const { return rounds_; }
    // Was the TLS session of the last successful method resumed.
    bool last_resumed() const { return last_resumed_; }
    // Authentications that ended in success / failure since start.
    unsigned successes() const { return successes_; }
    unsigned failures() const { return failures_; }
    // RFC 5247 Session-Id of the last successful method (empty if none).
    const Bytes& session_id() const { return session_id_; }
    // The MSK of the last successful method (empty if it derived none);
    // Wi-Fi takes the PMK from it (IEEE 802.11-2020 §12.7.1.3).
    const SecretBytes& msk() const { return msk_; }

private:
    eapol::EapPeerResult convert(eap::PeerAction action);

    eap::EapPeer peer_;
    EapPeerObserver& observer_;
    bool started_ = false;       // EAP-STARTED reported for this authentication
    bool proposed_ = false;      // PROPOSED-METHOD reported
    bool selected_ = false;      // METHOD selected reported
    bool finished_ = false;      // SUCCESS/FAILURE reported
    unsigned rounds_ = 0;
    bool last_resumed_ = false;
    unsigned successes_ = 0;
    unsigned failures_ = 0;
    Bytes session_id_;
    SecretBytes msk_;
};

}  // namespace lanyard::supplicant
