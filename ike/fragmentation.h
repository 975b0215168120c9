// IKE message fragmentation (RFC 7383): splitting an SK payload's
// plaintext into Encrypted Fragment payloads, and reassembly with limits.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "ike/sk_payload.h"

namespace lanyard::ike {

// RFC 7383 §2.5.1: the fragment size is the whole IP datagram, so IP (20
// or 40 octets without options) and UDP (8) headers count, and on port
// 4500 the 4-octet non-ESP marker (RFC 3948 §2.2) too. The RFC recommends
// 1280 for IPv6 and 576 for IPv4; charon's default fragment_size is 1280.
struct FragmentSizing {
    size_t fragment_size = 1280;
    bool ipv6 = false;
    bool non_esp_marker = false;  // sending on port 4500
    size_t ike_budget() const;    // octets left for the IKE message itself
};

// Seals `inner` as SKF fragments: each returned message is a complete IKE
// message (header with the same Message ID, one SKF payload) not larger
// than sizing.ike_budget(); the non-ESP marker is not included. Fragment 1
// names the first inner payload, the others Next Payload 0 (§2.5).
Result<std::vector<Bytes>> build_fragmented_message(IkeHeader header, const std::vector<Payload>& inner,
                                                    const SkCipher& cipher, RandomSource& random,
                                                    FragmentSizing sizing);

struct ReassemblyLimits {
    uint16_t max_fragments = 64;       // charon's max_fragments default is 255; ours is lower
    size_t max_total_size = 64 * 1024; // plaintext octets buffered per message
};

// Collects the fragments of one message (one Message ID). Each fragment is
// authenticated and decrypted before it is stored (§2.6: an unauthenticated
// fragment must not displace a genuine one).
class FragmentReassembler {
public:
    enum class Outcome {
        kStored,     // kept; more are missing
        kDuplicate,  // a fragment with this number is already held; ignored
        kStale,      // Total Fragments lower than the current one; ignored (§2.6)
        kComplete,   // all fragments present: completed() holds the message
    };
    struct Completed {
        uint8_t first_inner = 0;
        SecretBytes plaintext;  // the inner payload chain
    };

    explicit FragmentReassembler(ReassemblyLimits limits = {}) : limits_(limits) {}

    // raw is the exact message `parsed` came from; its last payload is SKF.
    Result<Outcome> add(ByteView raw, const Message& parsed, const SkCipher& cipher);
    // The same, for a fragment already opened by open_last_encrypted_payload().
    Result<Outcome> add_opened(uint32_t message_id, const EncryptedFragmentPayload& fragment, SecretBytes plaintext);

    const std::optional<Completed>& completed() const { return completed_; }
    // Parses the completed plaintext into payloads.
    Result<std::vector<Payload>> completed_payloads(ChainDiagnostics* diag = nullptr) const;
    size_t stored_fragments() const { return fragments_.size(); }
    void reset();

private:
    ReassemblyLimits limits_;
    std::optional<uint32_t> message_id_;
    uint16_t total_ = 0;
    uint8_t first_inner_ = 0;
    size_t stored_bytes_ = 0;
    std::map<uint16_t, SecretBytes> fragments_;
    std::optional<Completed> completed_;
};

}  // namespace lanyard::ike
