#include "ike/message.h"

#include <string>

#include "common/log.h"

namespace lanyard::ike {

const Payload* Message::find(PayloadType type) const {
    for (const Payload& p : payloads) {
        if (p.type == static_cast<uint8_t>(type)) return &p;
    }
    return nullptr;
}

const NotifyPayload* Message::find_notify(NotifyType type) const {
    for (const Payload& p : payloads) {
        const auto* n = p.get<NotifyPayload>();
        if (n != nullptr && n->is(type)) return n;
    }
    return nullptr;
}

Result<std::vector<Payload>> parse_payload_chain(uint8_t first, ByteView data, ChainDiagnostics* diag) {
    std::vector<Payload> out;
    ByteReader r(data);
    uint8_t type = first;
    while (type != 0) {
        if (out.size() == kMaxPayloadsPerChain) return make_error(ErrorCode::kLimit, "too many payloads");
        auto g = read_generic_header(r);
        if (!g) return g.error();
        auto body = r.bytes(g->length - kGenericPayloadHeaderSize);
        if (!body) {
            return make_error(ErrorCode::kMalformed, "payload " + std::to_string(type) + " length " +
                                                         std::to_string(g->length) + " overruns message");
        }
        if (!is_known_payload_type(type)) {
            if (g->critical) {
                // RFC 7296 §2.5: reject the whole message.
                if (diag != nullptr) diag->unsupported_critical_payload = type;
                return make_error(ErrorCode::kUnsupported,
                                  "UNSUPPORTED_CRITICAL_PAYLOAD " + std::to_string(type));
            }
            LOG_DEBUG("ike", "skipping unknown non-critical payload %u", type);
            type = g->next_payload;
            continue;
        }
        const auto ptype = static_cast<PayloadType>(type);
        auto parsed = parse_payload_body(ptype, *body);
        if (!parsed) return parsed.error();
        Payload p;
        p.type = type;
        p.critical = g->critical;
        p.body = std::move(*parsed);
        const bool encrypted = ptype == PayloadType::kEncrypted || ptype == PayloadType::kEncryptedFragment;
        if (encrypted) {
            if (auto* sk = std::get_if<EncryptedPayload>(&p.body)) sk->first_inner = g->next_payload;
            if (auto* skf = std::get_if<EncryptedFragmentPayload>(&p.body)) {
                skf->first_inner = g->next_payload;
            }
        }
        out.push_back(std::move(p));
        if (encrypted) {
            // §3.14: the Encrypted payload is the last one in a message.
            if (!r.empty()) return make_error(ErrorCode::kMalformed, "bytes after the SK payload");
            return out;
        }
        type = g->next_payload;
    }
    if (!r.empty()) return make_error(ErrorCode::kMalformed, "bytes after the last payload");
    return out;
}

Result<Message> parse_message(ByteView data, ChainDiagnostics* diag) {
    auto h = parse_ike_header(data);
    if (!h) return h.error();
    if (h->length != data.size()) {
        return make_error(ErrorCode::kMalformed, "IKE Length " + std::to_string(h->length) + " but message has " +
                                                     std::to_string(data.size()) + " octets");
    }
    auto payloads = parse_payload_chain(h->next_payload, data.subspan(kIkeHeaderSize), diag);
    if (!payloads) return payloads.error();
    return Message{*h, std::move(*payloads)};
}

Result<Bytes> build_payload_chain(const std::vector<Payload>& payloads) {
    ByteWriter w;
    for (size_t i = 0; i < payloads.size(); ++i) {
        const Payload& p = payloads[i];
        uint8_t next = i + 1 < payloads.size() ? payloads[i + 1].type : 0;
        if (const auto* sk = p.get<EncryptedPayload>()) next = sk->first_inner;
        if (const auto* skf = p.get<EncryptedFragmentPayload>()) next = skf->first_inner;
        if ((p.get<EncryptedPayload>() != nullptr || p.get<EncryptedFragmentPayload>() != nullptr) &&
            i + 1 != payloads.size()) {
            return make_error(ErrorCode::kInternal, "SK payload must be the last payload");
        }
        auto body = build_payload_body(p.body);
        if (!body) return body.error();
        if (body->size() + kGenericPayloadHeaderSize > 0xffff) {
            return make_error(ErrorCode::kLimit, "payload longer than 65535 octets");
        }
        write_generic_header(w, next, p.critical, static_cast<uint16_t>(body->size() + kGenericPayloadHeaderSize));
        w.bytes(*body);
    }
    return w.take();
}

Result<Bytes> build_message(IkeHeader header, const std::vector<Payload>& payloads) {
    auto chain = build_payload_chain(payloads);
    if (!chain) return chain.error();
    header.next_payload = payloads.empty() ? 0 : payloads.front().type;
    header.length = static_cast<uint32_t>(kIkeHeaderSize + chain->size());
    ByteWriter w(header.length);
    write_ike_header(w, header);
    w.bytes(*chain);
    return w.take();
}

}  // namespace lanyard::ike
