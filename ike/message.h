// An IKE message as header + payload list, and the payload-chain codec
// (RFC 7296 §3.1, §3.2). The SK and SKF payloads end the chain: their Next
// Payload names the first payload inside the encryption (§3.14).
#pragma once

#include <optional>
#include <vector>

#include "ike/ike_header.h"
#include "ike/payloads.h"

namespace lanyard::ike {

struct Message {
    IkeHeader header;
    std::vector<Payload> payloads;

    // The first payload of this type, or nullptr.
    const Payload* find(PayloadType type) const;
    template <typename T> const T* find_body(PayloadType type) const {
        const Payload* p = find(type);
        return p != nullptr ? p->get<T>() : nullptr;
    }
    // The first Notify of this type, or nullptr.
    const NotifyPayload* find_notify(NotifyType type) const;
};

// Extra facts about a failed chain parse that the protocol layer answers:
// RFC 7296 §2.5: an unknown payload with the Critical bit set makes the
// message fail with UNSUPPORTED_CRITICAL_PAYLOAD carrying its type.
struct ChainDiagnostics {
    std::optional<uint8_t> unsupported_critical_payload;
};

inline constexpr size_t kMaxPayloadsPerChain = 128;

// Parses payloads starting with type `first` until a Next Payload of 0 (or
// an SK/SKF payload, which must be the last). Non-critical unknown payloads
// are skipped (§2.5). Every body is checked by its codec.
Result<std::vector<Payload>> parse_payload_chain(uint8_t first, ByteView data, ChainDiagnostics* diag = nullptr);

// Parses a whole message (after any non-ESP marker). Length must equal the
// input size.
Result<Message> parse_message(ByteView data, ChainDiagnostics* diag = nullptr);

// Serializes payloads with their generic headers, linking Next Payload. An
// SK/SKF payload must be last; its Next Payload is its first_inner.
Result<Bytes> build_payload_chain(const std::vector<Payload>& payloads);

// Header + chain; fills in the header's Next Payload and Length.
Result<Bytes> build_message(IkeHeader header, const std::vector<Payload>& payloads);

}  // namespace lanyard::ike
