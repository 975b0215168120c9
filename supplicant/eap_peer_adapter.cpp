#include "supplicant/eap_peer_adapter.h"

#include "methods/eap_packet.h"

namespace lanyard::supplicant {

namespace {
// RFC 3748 §4: Code 1 = Request; §5: Types 1..3 are Identity, Notification, Nak.
constexpr uint8_t kCodeRequest = 1;
constexpr size_t kTypeOffset = 4;

bool is_method_type(uint8_t type) { return type > 3; }
}  // namespace

EapPeerAdapter::EapPeerAdapter(eap::PeerEnvironment env, EapPeerObserver& observer, eap::PeerConfig config)
    : peer_(std::move(env), config), observer_(observer) {}

void EapPeerAdapter::restart(TimePoint now) {
    peer_.start(now);
    started_ = proposed_ = selected_ = finished_ = false;
    rounds_ = 0;
    session_id_.clear();
    msk_ = SecretBytes();
}

void EapPeerAdapter::abort() {
    // 802.1X-2004 §8.2.12.2.1 abortSupp: the next eapRestart starts afresh;
    // nothing of this conversation is reported any more.
    finished_ = true;
}

eapol::EapPeerResult EapPeerAdapter::process(ByteView packet, TimePoint now) {
    // Events are read from the raw header only; the machine does the full
    // validation and discards what is malformed.
    const bool is_request = packet.size() > kTypeOffset && packet[0] == kCodeRequest;
    if (is_request && !started_) {
        started_ = true;
        observer_.eap_started();
    }
    if (is_request && !selected_ && !proposed_ && is_method_type(packet[kTypeOffset])) {
        proposed_ = true;
        observer_.eap_proposed_method(packet[kTypeOffset]);
    }
    eap::PeerAction action = peer_.handle(packet, now);
    if (!selected_ && peer_.selected_method()) {
        selected_ = true;
        observer_.eap_method_selected(static_cast<uint8_t>(*peer_.selected_method()));
    }
    return convert(std::move(action));
}

eapol::EapPeerResult EapPeerAdapter::on_timeout(TimePoint now) { return convert(peer_.on_timeout(now)); }

std::optional<TimePoint> EapPeerAdapter::next_timeout() const { return peer_.next_timeout(); }

const char* EapPeerAdapter::state_name() const { return eap::peer_state_name(peer_.state()); }

eapol::EapPeerResult EapPeerAdapter::convert(eap::PeerAction action) {
    switch (action.kind) {
        case eap::PeerActionKind::kNone:
            return eapol::EapPeerResult::no_response();
        case eap::PeerActionKind::kSend:
            ++rounds_;
            return eapol::EapPeerResult::response(std::move(action.packet));
        case eap::PeerActionKind::kSuccess: {
            const eap::PeerMethod* m = peer_.method();
            last_resumed_ = m != nullptr && m->resumed();
            session_id_ = action.keys.session_id;
            msk_ = action.keys_available ? action.keys.msk : SecretBytes();
            if (!finished_) {
                finished_ = true;
                ++successes_;
                observer_.eap_succeeded(peer_.selected_method(), rounds_, last_resumed_);
            }
            return eapol::EapPeerResult::success(action.keys_available);
        }
        case eap::PeerActionKind::kFailure:
            if (!finished_) {
                finished_ = true;
                ++failures_;
                observer_.eap_failed(peer_.selected_method(), rounds_, action.reason);
            }
            return eapol::EapPeerResult::failure();
    }
    return eapol::EapPeerResult::no_response();
}

}  // namespace lanyard::supplicant
