#include "radius/radius_client.h"

#include <algorithm>

#include "radius/message_authenticator.h"

namespace lanyard::radius {

RadiusClient::RadiusClient(std::vector<SecretBytes> secrets, RetransmitPolicy policy, RandomSource& random)
    : secrets_(std::move(secrets)), random_(random), pending_(std::max<size_t>(secrets_.size(), 1), policy) {}

Result<Bytes> RadiusClient::encode(uint64_t token, size_t server, uint8_t identifier, Authenticator* authenticator) {
    auto it = templates_.find(token);
    if (it == templates_.end()) return make_error(ErrorCode::kInternal, "no template for request");
    Packet packet = it->second.packet;
    packet.identifier = identifier;
    const ByteView secret = secrets_.at(server).view();
    switch (it->second.kind) {
        case RequestKind::kAccess: {
            // RFC 2865 §3: unpredictable and unique over the secret's lifetime.
            random_.fill(packet.authenticator);
            auto wire = encode_access_request(packet, secret);
            if (wire) *authenticator = packet.authenticator;
            return wire;
        }
        case RequestKind::kAccounting: {
            auto wire = encode_accounting_request(packet, secret);
            if (wire) std::copy_n(wire->begin() + 4, kAuthenticatorSize, authenticator->begin());
            return wire;
        }
    }
    return make_error(ErrorCode::kInternal, "unknown request kind");
}

Result<RadiusClient::Transmission> RadiusClient::submit(RequestKind kind, Packet packet, TimePoint now) {
    auto opened = pending_.open(now);
    if (!opened) return opened.error();
    const PendingRequests::Slot slot = *opened;
    templates_[slot.token] = Template{kind, std::move(packet)};
    Authenticator authenticator{};
    auto wire = encode(slot.token, slot.server, slot.identifier, &authenticator);
    if (!wire) {
        pending_.cancel(slot.token);
        templates_.erase(slot.token);
        return wire.error();
    }
    pending_.sent(slot.token, *wire, authenticator, now);
    stats_.requests++;
    return Transmission{slot.token, slot.server, std::move(*wire)};
}

Result<RadiusClient::Response> RadiusClient::receive(size_t server, ByteView datagram) {
    if (datagram.size() < kHeaderSize) {
        stats_.malformed++;
        return make_error(ErrorCode::kMalformed, "shorter than a RADIUS header");
    }
    const PendingRequest* request = pending_.match(server, datagram[1]);
    if (request == nullptr) {
        stats_.unknown_responses++;
        return make_error(ErrorCode::kProtocol, "no outstanding request with Identifier " + std::to_string(datagram[1]));
    }
    auto verified = verify_response(datagram, request->authenticator, secrets_.at(server).view());
    if (!verified) {
        if (verified.error().code == ErrorCode::kProtocol) {
            stats_.bad_authenticators++;
        } else {
            stats_.malformed++;
        }
        return verified.error();
    }
    const uint64_t token = request->token;
    const Authenticator authenticator = request->authenticator;
    auto tmpl = templates_.find(token);
    const RequestKind kind = tmpl != templates_.end() ? tmpl->second.kind : RequestKind::kAccess;
    const bool accounting_answer = verified->is(Code::kAccountingResponse);
    if (accounting_answer != (kind == RequestKind::kAccounting)) {
        stats_.bad_authenticators++;
        return make_error(ErrorCode::kProtocol, std::string(code_name(verified->code)) + " does not answer this request");
    }
    pending_.complete(token);
    templates_.erase(token);
    stats_.responses++;
    return Response{token, server, std::move(*verified), authenticator, kind};
}

std::vector<RadiusClient::Event> RadiusClient::on_timer(TimePoint now) {
    std::vector<Event> events;
    for (const TimeoutAction& action : pending_.on_timer(now)) {
        switch (action.decision) {
            case TimeoutDecision::kRetransmit: {
                const PendingRequest* r = pending_.find(action.token);
                if (r == nullptr) break;
                stats_.retransmissions++;
                events.push_back({Event::Kind::kSend, action.token, r->server, r->wire});
                break;
            }
            case TimeoutDecision::kFailover: {
                stats_.failovers++;
                Authenticator authenticator{};
                auto wire = encode(action.token, action.server, action.identifier, &authenticator);
                if (!wire) {
                    pending_.cancel(action.token);
                    templates_.erase(action.token);
                    stats_.timeouts++;
                    events.push_back({Event::Kind::kGaveUp, action.token, action.server, {}});
                    break;
                }
                pending_.sent(action.token, *wire, authenticator, now);
                events.push_back({Event::Kind::kSend, action.token, action.server, std::move(*wire)});
                break;
            }
            case TimeoutDecision::kGiveUp:
                templates_.erase(action.token);
                stats_.timeouts++;
                events.push_back({Event::Kind::kGaveUp, action.token, action.server, {}});
                break;
        }
    }
    return events;
}

void RadiusClient::server_unreachable(size_t server, TimePoint now) { pending_.server_unreachable(server, now); }

void RadiusClient::cancel(uint64_t token) {
    pending_.cancel(token);
    templates_.erase(token);
}

}  // namespace lanyard::radius
