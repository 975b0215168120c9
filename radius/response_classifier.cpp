// Access-Accept/Reject/Challenge → pass-through decisions (RFC 3579 §2.6, RFC 2548).
#include "radius/response_classifier.h"

#include "radius/eap_message.h"
#include "radius/mppe_keys.h"
#include "radius/radius_attributes.h"

namespace lanyard::radius {

const char* response_kind_name(ResponseKind kind) {
    switch (kind) {
        case ResponseKind::kAccept: return "Access-Accept";
        case ResponseKind::kReject: return "Access-Reject";
        case ResponseKind::kChallenge: return "Access-Challenge";
    }
    return "?";
}

Result<ResponseInfo> classify_response(const Packet& packet, const Authenticator& request_authenticator, ByteView secret) {
    ResponseInfo info;
    if (packet.is(Code::kAccessAccept))
        info.kind = ResponseKind::kAccept;
    else if (packet.is(Code::kAccessReject))
        info.kind = ResponseKind::kReject;
    else if (packet.is(Code::kAccessChallenge))
        info.kind = ResponseKind::kChallenge;
    else
        return make_error(ErrorCode::kProtocol, std::string("not an Access response: ") + code_name(packet.code));

    auto eap = join_eap_message(packet);
    if (!eap) return eap.error();
    info.eap = std::move(*eap);
    if (info.kind == ResponseKind::kChallenge && !info.eap)
        return make_error(ErrorCode::kProtocol, "Access-Challenge without EAP-Message");

    if (const Attribute* s = packet.find(attr::kState)) info.state = s->value;
    auto timeout = get_integer(packet, attr::kSessionTimeout);
    if (!timeout) return timeout.error();
    info.session_timeout = *timeout;
    auto action = get_integer(packet, attr::kTerminationAction);
    if (!action) return action.error();
    info.termination_action = *action;
    for (const Attribute* c : packet.find_all(attr::kClass)) info.classes.push_back(c->value);
    for (const Attribute* m : packet.find_all(attr::kReplyMessage)) info.reply_messages.push_back(to_string(m->value));

    if (info.kind == ResponseKind::kAccept) {
        auto keys = extract_mppe_keys(packet, secret, request_authenticator);
        if (!keys) return keys.error();
        if (*keys) info.msk = msk_from_mppe_keys(**keys);
    }
    return info;
}

}  // namespace lanyard::radius
