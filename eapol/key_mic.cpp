// IEEE 802.11-2020 §12.7.2: EAPOL-Key MIC and Key Data encryption.
#include "eapol/key_mic.h"

#include <string>
#include <variant>

#include "crypto/aes_wrap.h"
#include "crypto/cmac.h"
#include "crypto/hmac.h"
#include "eapol/eapol_frame.h"
#include "eapol/key_data.h"

namespace lanyard::eapol {

Result<Bytes> compute_key_mic(uint8_t descriptor_version, ByteView kck, ByteView pdu) {
    switch (descriptor_version) {
        case 2: {  // HMAC-SHA1, truncated to 128 bits
            auto mac = crypto::hmac(crypto::HashAlg::kSha1, kck, pdu);
            if (!mac) return mac.error();
            mac->resize(kKeyMicLength);
            return mac;
        }
        case 3:  // AES-128-CMAC
            if (kck.size() != 16) return make_error(ErrorCode::kInternal, "key MIC: AES-128-CMAC needs a 16-octet KCK");
            return crypto::aes_cmac(kck, pdu);
        default:
            return make_error(ErrorCode::kUnsupported,
                              "key MIC: descriptor version " + std::to_string(descriptor_version) + " not implemented");
    }
}

Status verify_key_mic(uint8_t descriptor_version, ByteView kck, ByteView pdu) {
    if (pdu.size() < kKeyMicPduOffset + kKeyMicLength) return make_error(ErrorCode::kTruncated, "key MIC: PDU too short");
    Bytes copy(pdu.begin(), pdu.end());
    std::fill_n(copy.begin() + kKeyMicPduOffset, kKeyMicLength, 0);
    auto mic = compute_key_mic(descriptor_version, kck, copy);
    if (!mic) return mic.error();
    if (!constant_time_equal(*mic, pdu.subspan(kKeyMicPduOffset, kKeyMicLength)))
        return make_error(ErrorCode::kAuthFailed, "key MIC mismatch");
    return ok_status();
}

Result<Bytes> encrypt_key_data(ByteView kek, ByteView plaintext) {
    SecretBytes padded = pad_key_data(plaintext);
    return crypto::aes_wrap(kek, padded.view());
}

Result<ReceivedKeyFrame> parse_key_frame(ByteView pdu) {
    auto eapol = parse_eapol_pdu(pdu);
    if (!eapol) return eapol.error();
    if (eapol->type != PacketType::kKey) return make_error(ErrorCode::kMalformed, "not an EAPOL-Key frame");
    auto key = parse_ieee80211_key(eapol->body, kKeyMicLength);
    if (!key) return key.error();
    if (key->type != KeyDescriptorType::kIeee80211)
        return make_error(ErrorCode::kUnsupported, "EAPOL-Key: not the RSN key descriptor");
    ReceivedKeyFrame out;
    out.eapol_version = eapol->version;
    out.key = std::move(*key);
    out.pdu.assign(pdu.begin(), pdu.begin() + static_cast<std::ptrdiff_t>(kEapolHeaderSize + eapol->body.size()));
    return out;
}

Result<VerifiedKeyFrame> verify_key_frame(const ReceivedKeyFrame& frame, ByteView kck) {
    if (!frame.key.info.has(KeyInformation::kKeyMic))
        return make_error(ErrorCode::kProtocol, "EAPOL-Key: Key MIC bit clear");
    LANYARD_TRY(verify_key_mic(frame.key.info.descriptor_version(), kck, frame.pdu));
    return VerifiedKeyFrame(frame);
}

Result<SecretBytes> decrypt_key_data(const VerifiedKeyFrame& verified, ByteView kek) {
    const Ieee80211KeyDescriptor& key = verified.frame().key;
    if (!key.info.has(KeyInformation::kEncryptedKeyData))
        return make_error(ErrorCode::kProtocol, "EAPOL-Key: Encrypted Key Data bit clear");
    if (key.key_data.size() < 24 || key.key_data.size() % 8 != 0)
        return make_error(ErrorCode::kMalformed, "EAPOL-Key: wrapped key data length " + std::to_string(key.key_data.size()));
    return crypto::aes_unwrap(kek, key.key_data);
}

Ieee80211KeyDescriptor make_key_descriptor(uint16_t flags, uint8_t descriptor_version, uint16_t key_length,
                                           uint64_t replay_counter, ByteView nonce, Bytes key_data) {
    Ieee80211KeyDescriptor key;
    key.type = KeyDescriptorType::kIeee80211;
    key.info = KeyInformation(flags);
    key.info.set_descriptor_version(descriptor_version);
    key.key_length = key_length;
    key.replay_counter = replay_counter;
    std::copy_n(nonce.begin(), std::min(nonce.size(), key.nonce.size()), key.nonce.begin());
    key.mic.assign(kKeyMicLength, 0);
    key.key_data = std::move(key_data);
    return key;
}

Result<Bytes> build_key_pdu(uint8_t eapol_version, Ieee80211KeyDescriptor key, ByteView kck) {
    key.mic.assign(kKeyMicLength, 0);
    auto body = build_ieee80211_key(key);
    if (!body) return body.error();
    auto pdu = build_eapol_pdu(eapol_version, PacketType::kKey, *body);
    if (!pdu) return pdu.error();
    if (!kck.empty()) {
        auto mic = compute_key_mic(key.info.descriptor_version(), kck, *pdu);
        if (!mic) return mic.error();
        std::copy(mic->begin(), mic->end(), pdu->begin() + kKeyMicPduOffset);
    }
    return pdu;
}

}  // namespace lanyard::eapol
