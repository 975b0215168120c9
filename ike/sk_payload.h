// Sealing and opening the Encrypted payload (RFC 7296 §3.14) and the
// Encrypted Fragment payload (RFC 7383 §2.5): AES-CBC + HMAC-SHA2 (RFC 3602,
// RFC 4868) and AES-GCM-16 (RFC 5282).
#pragma once

#include <vector>

#include "common/random.h"
#include "ike/crypto_suite.h"
#include "ike/key_schedule.h"
#include "ike/message.h"

namespace lanyard::ike {

// One direction's SK cipher: SK_ei/SK_ai for what the original initiator
// sends, SK_er/SK_ar for what the responder sends.
class SkCipher {
public:
    static Result<SkCipher> create(const SkAlgorithms& alg, ByteView sk_e, ByteView sk_a);
    // For messages sent by the IKE_SA's original initiator (true) or responder.
    static Result<SkCipher> for_sender(const IkeSuite& suite, const IkeSaKeys& keys, bool original_initiator);

    size_t iv_size() const { return alg_.iv_size(); }
    size_t icv_size() const { return alg_.icv_size(); }
    // IV || padded plaintext || pad length || ICV, for n plaintext octets.
    size_t sealed_size(size_t plaintext_size) const;
    // The largest plaintext whose sealed size fits in `budget` octets (0 if none).
    size_t max_plaintext(size_t budget) const;

    // aad is every octet of the message before the IV: the IKE header up to
    // and including the SK (or SKF) payload header. Its Length fields must
    // already count the sealed size. Returns IV || ciphertext || ICV.
    // CBC: a random 16-octet IV, ICV = HMAC over aad || IV || ciphertext
    // (§3.14). GCM: a random 8-octet IV (RFC 5282 §3.1 only asks for
    // uniqueness), nonce = salt || IV, AAD = aad (RFC 5282 §5.1).
    Result<Bytes> seal(ByteView aad, ByteView plaintext, RandomSource& random) const;
    // Checks the ICV first (constant time), then decrypts and strips the
    // padding. A wrong ICV is kAuthFailed.
    Result<SecretBytes> open(ByteView aad, ByteView sealed) const;

private:
    SkCipher(SkAlgorithms alg, SecretBytes enc_key, SecretBytes salt, SecretBytes integ_key)
        : alg_(alg), enc_key_(std::move(enc_key)), salt_(std::move(salt)), integ_key_(std::move(integ_key)) {}

    SkAlgorithms alg_;
    SecretBytes enc_key_;
    SecretBytes salt_;
    SecretBytes integ_key_;
};

// Builds header || SK{inner payloads}: sets Next Payload, Length, and
// seals the inner chain.
Result<Bytes> build_encrypted_message(IkeHeader header, const std::vector<Payload>& inner, const SkCipher& cipher,
                                      RandomSource& random);

// The inner payloads of a message whose last payload is SK. `raw` is the
// exact message `parsed` came from.
Result<std::vector<Payload>> open_encrypted_message(ByteView raw, const Message& parsed, const SkCipher& cipher,
                                                    ChainDiagnostics* diag = nullptr);

// Parses a decrypted payload chain, refusing nested SK/SKF payloads.
Result<std::vector<Payload>> parse_inner_payloads(uint8_t first, ByteView plaintext, ChainDiagnostics* diag = nullptr);

// The plaintext of a parsed message's last payload (SK or SKF) without
// parsing it: for fragments, whose pieces are only parsed after reassembly.
Result<SecretBytes> open_last_encrypted_payload(ByteView raw, const Message& parsed, const SkCipher& cipher);

}  // namespace lanyard::ike
