#include "ike/sk_payload.h"

#include <algorithm>
#include <string>

#include "crypto/cipher.h"
#include "crypto/hmac.h"

namespace lanyard::ike {
namespace {

crypto::HashAlg integ_hash(IntegId id) {
    switch (id) {
        case IntegId::kHmacSha1_96: return crypto::HashAlg::kSha1;
        case IntegId::kHmacSha384_192: return crypto::HashAlg::kSha384;
        case IntegId::kHmacSha512_256: return crypto::HashAlg::kSha512;
        case IntegId::kHmacSha256_128:
        case IntegId::kNone: break;
    }
    return crypto::HashAlg::kSha256;
}

size_t block_size(const SkAlgorithms& alg) { return alg.aead() ? 1 : crypto::kAesBlockSize; }

}  // namespace

Result<SkCipher> SkCipher::create(const SkAlgorithms& alg, ByteView sk_e, ByteView sk_a) {
    if (sk_e.size() != alg.sk_e_size() || sk_a.size() != alg.sk_a_size()) {
        return make_error(ErrorCode::kInternal, "SK key lengths do not fit the algorithms");
    }
    if (alg.aead() && alg.encr != EncrId::kAesGcm16) {
        return make_error(ErrorCode::kUnsupported, "only AES-GCM with a 16-octet ICV is implemented");
    }
    // RFC 5282 §7.1: the last 4 octets of SK_e are the salt.
    SecretBytes key(sk_e.first(alg.encr_key_size));
    SecretBytes salt(sk_e.subspan(alg.encr_key_size, sk_e.size() - alg.encr_key_size));
    return SkCipher(alg, std::move(key), std::move(salt), SecretBytes(sk_a));
}

Result<SkCipher> SkCipher::for_sender(const IkeSuite& suite, const IkeSaKeys& keys, bool original_initiator) {
    return original_initiator ? create(suite.sk, keys.sk_ei.view(), keys.sk_ai.view())
                              : create(suite.sk, keys.sk_er.view(), keys.sk_ar.view());
}

size_t SkCipher::sealed_size(size_t plaintext_size) const {
    const size_t b = block_size(alg_);
    const size_t padded = (plaintext_size + 1 + b - 1) / b * b;  // + Pad Length octet
    return iv_size() + padded + icv_size();
}

size_t SkCipher::max_plaintext(size_t budget) const {
    const size_t overhead = iv_size() + icv_size() + 1;
    if (budget <= overhead) return 0;
    const size_t b = block_size(alg_);
    const size_t room = (budget - iv_size() - icv_size()) / b * b;  // whole blocks
    return room == 0 ? 0 : room - 1;
}

Result<Bytes> SkCipher::seal(ByteView aad, ByteView plaintext, RandomSource& random) const {
    const size_t b = block_size(alg_);
    const size_t pad = (b - (plaintext.size() + 1) % b) % b;
    // §3.14: padding octets may be any value; zeros.
    SecretBytes padded(plaintext.size() + pad + 1);
    std::copy(plaintext.begin(), plaintext.end(), padded.data());
    padded.data()[padded.size() - 1] = static_cast<uint8_t>(pad);
    Bytes iv = random.bytes(iv_size());
    if (alg_.aead()) {
        Bytes nonce = concat(salt_.view(), iv);
        auto c = crypto::aes_gcm_seal(enc_key_.view(), nonce, aad, padded.view());
        if (!c) return c.error();
        return concat(iv, *c);
    }
    auto c = crypto::aes_cbc_encrypt(enc_key_.view(), iv, padded.view());
    if (!c) return c.error();
    Bytes out = concat(iv, *c);
    auto mac = crypto::hmac(integ_hash(alg_.integ), integ_key_.view(), {aad, out});
    if (!mac) return mac.error();
    out.insert(out.end(), mac->begin(), mac->begin() + static_cast<std::ptrdiff_t>(icv_size()));
    return out;
}

Result<SecretBytes> SkCipher::open(ByteView aad, ByteView sealed) const {
    const size_t b = block_size(alg_);
    if (sealed.size() < iv_size() + icv_size() + b) {
        return make_error(ErrorCode::kMalformed, "SK payload shorter than IV, one block and ICV");
    }
    const ByteView iv = sealed.first(iv_size());
    const ByteView body = sealed.subspan(iv_size(), sealed.size() - iv_size() - icv_size());
    const ByteView icv = sealed.last(icv_size());
    if (body.size() % b != 0) return make_error(ErrorCode::kMalformed, "SK ciphertext not whole blocks");
    Result<SecretBytes> plain = SecretBytes();
    if (alg_.aead()) {
        Bytes nonce = concat(salt_.view(), iv);
        plain = crypto::aes_gcm_open(enc_key_.view(), nonce, aad, sealed.subspan(iv_size()));
    } else {
        // §3.14: the ICV covers the message from the IKE header to the end
        // of the ciphertext; check it before decrypting.
        auto mac = crypto::hmac(integ_hash(alg_.integ), integ_key_.view(), {aad, sealed.first(sealed.size() - icv_size())});
        if (!mac) return mac.error();
        if (!constant_time_equal(ByteView(*mac).first(icv_size()), icv)) {
            return make_error(ErrorCode::kAuthFailed, "SK integrity check failed");
        }
        plain = crypto::aes_cbc_decrypt(enc_key_.view(), iv, body);
    }
    if (!plain) return plain.error();
    const size_t pad = plain->data()[plain->size() - 1];
    if (pad + 1 > plain->size()) return make_error(ErrorCode::kMalformed, "SK Pad Length exceeds the plaintext");
    plain->resize(plain->size() - pad - 1);
    return std::move(*plain);
}

Result<Bytes> build_encrypted_message(IkeHeader header, const std::vector<Payload>& inner, const SkCipher& cipher,
                                      RandomSource& random) {
    auto chain = build_payload_chain(inner);
    if (!chain) return chain.error();
    const size_t sealed = cipher.sealed_size(chain->size());
    if (sealed + kGenericPayloadHeaderSize > 0xffff) return make_error(ErrorCode::kLimit, "SK payload too long");
    header.next_payload = static_cast<uint8_t>(PayloadType::kEncrypted);
    header.length = static_cast<uint32_t>(kIkeHeaderSize + kGenericPayloadHeaderSize + sealed);
    ByteWriter w(header.length);
    write_ike_header(w, header);
    write_generic_header(w, inner.empty() ? 0 : inner.front().type, false,
                         static_cast<uint16_t>(kGenericPayloadHeaderSize + sealed));
    auto body = cipher.seal(w.view(), *chain, random);
    if (!body) return body.error();
    if (body->size() != sealed) return make_error(ErrorCode::kInternal, "sealed size mismatch");
    w.bytes(*body);
    secure_wipe(chain->data(), chain->size());
    return w.take();
}

Result<SecretBytes> open_last_encrypted_payload(ByteView raw, const Message& parsed, const SkCipher& cipher) {
    if (parsed.payloads.empty()) return make_error(ErrorCode::kProtocol, "no SK payload");
    const Payload& last = parsed.payloads.back();
    const Bytes* data = nullptr;
    if (const auto* sk = last.get<EncryptedPayload>()) data = &sk->data;
    if (const auto* skf = last.get<EncryptedFragmentPayload>()) data = &skf->data;
    if (data == nullptr) return make_error(ErrorCode::kProtocol, "last payload is not SK or SKF");
    if (data->size() > raw.size() || raw.size() != parsed.header.length) {
        return make_error(ErrorCode::kInternal, "raw message does not match the parsed one");
    }
    const ByteView aad = raw.first(raw.size() - data->size());
    return cipher.open(aad, *data);
}

Result<std::vector<Payload>> open_encrypted_message(ByteView raw, const Message& parsed, const SkCipher& cipher,
                                                    ChainDiagnostics* diag) {
    if (parsed.payloads.empty() || parsed.payloads.back().get<EncryptedPayload>() == nullptr) {
        return make_error(ErrorCode::kProtocol, "message has no SK payload");
    }
    auto plain = open_last_encrypted_payload(raw, parsed, cipher);
    if (!plain) return plain.error();
    return parse_inner_payloads(parsed.payloads.back().get<EncryptedPayload>()->first_inner, plain->view(), diag);
}

Result<std::vector<Payload>> parse_inner_payloads(uint8_t first, ByteView plaintext, ChainDiagnostics* diag) {
    auto inner = parse_payload_chain(first, plaintext, diag);
    if (!inner) return inner.error();
    for (const Payload& p : *inner) {
        // §3.14: encrypted payloads do not nest.
        if (p.get<EncryptedPayload>() != nullptr || p.get<EncryptedFragmentPayload>() != nullptr) {
            return make_error(ErrorCode::kMalformed, "SK or SKF payload inside an encrypted payload");
        }
    }
    return inner;
}

}  // namespace lanyard::ike
