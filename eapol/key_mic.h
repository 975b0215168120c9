// EAPOL-Key integrity and confidentiality (IEEE 802.11-2020 §12.7.2):
// the MIC over the whole EAPOL PDU with the MIC field zeroed (descriptor
// version 2: HMAC-SHA1-128; version 3: AES-128-CMAC), and Key Data
// encryption with AES key wrap (RFC 3394). Shared by both handshake sides,
// with the framing both use: build a signed EAPOL-Key PDU, and take a
// received one apart. Key data is never decrypted before its MIC is checked:
// decrypt_key_data takes a VerifiedKeyFrame, which only verify_key_frame
// makes.
#pragma once

#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"
#include "eapol/eapol_key_frame.h"

namespace lanyard::eapol {

// Offset of the MIC in the EAPOL PDU (4-octet EAPOL header first).
inline constexpr size_t kKeyMicPduOffset = 4 + kIeee80211KeyMicOffset;
inline constexpr size_t kKeyMicLength = 16;

// The MIC of pdu, whose MIC field must already be zero. version 2 or 3.
Result<Bytes> compute_key_mic(uint8_t descriptor_version, ByteView kck, ByteView pdu);

// Checks the MIC of a received PDU (copied, MIC zeroed, recomputed,
// compared in constant time). kAuthFailed on a mismatch.
Status verify_key_mic(uint8_t descriptor_version, ByteView kck, ByteView pdu);

// Pads (see pad_key_data) and wraps with the KEK.
Result<Bytes> encrypt_key_data(ByteView kek, ByteView plaintext);

// A received EAPOL-Key PDU, taken apart: the EAPOL version and the key
// descriptor. The PDU octets are kept for the MIC check.
struct ReceivedKeyFrame {
    uint8_t eapol_version = 0;
    Ieee80211KeyDescriptor key;
    Bytes pdu;  // up to the end of Packet Body Length
};

// Parses an EAPOL PDU that must be an EAPOL-Key frame with the IEEE 802.11
// (RSN, type 2) descriptor and a 16-octet MIC.
Result<ReceivedKeyFrame> parse_key_frame(ByteView pdu);

// A frame whose MIC was checked against a KCK; only verify_key_frame makes one.
class VerifiedKeyFrame {
public:
    const ReceivedKeyFrame& frame() const { return frame_; }

private:
    friend Result<VerifiedKeyFrame> verify_key_frame(const ReceivedKeyFrame& frame, ByteView kck);
    explicit VerifiedKeyFrame(const ReceivedKeyFrame& frame) : frame_(frame) {}
    const ReceivedKeyFrame& frame_;
};

// The Key MIC bit must be set and the MIC must verify with kck, using the
// frame's descriptor version. kAuthFailed for a wrong MIC.
Result<VerifiedKeyFrame> verify_key_frame(const ReceivedKeyFrame& frame, ByteView kck);

// Unwraps the Key Data of a verified frame (Encrypted Key Data bit set; a
// multiple of 8 octets, at least 24). kAuthFailed when the unwrap integrity
// check fails.
Result<SecretBytes> decrypt_key_data(const VerifiedKeyFrame& frame, ByteView kek);

// A descriptor for sending: Descriptor Type 2, Key Information = flags |
// version, the given fields, and zero IV/RSC/reserved unless set afterwards.
Ieee80211KeyDescriptor make_key_descriptor(uint16_t flags, uint8_t descriptor_version, uint16_t key_length,
                                           uint64_t replay_counter, ByteView nonce, Bytes key_data);

// Builds the EAPOL PDU for key (its mic is set to 16 zero octets and, when
// kck is not empty, to the MIC over the PDU computed with the key's
// descriptor version).
Result<Bytes> build_key_pdu(uint8_t eapol_version, Ieee80211KeyDescriptor key, ByteView kck);

}  // namespace lanyard::eapol
