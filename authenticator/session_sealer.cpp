#include "authenticator/session_sealer.h"

#include <fstream>
#include <iterator>

#include "common/hex.h"
#include "crypto/cipher.h"

namespace lanyard::authenticator {

Result<SessionSealer> SessionSealer::with_key(ByteView key) {
    if (key.size() != kKeySize)
        return make_error(ErrorCode::kConfig, "a session key has " + std::to_string(kKeySize) + " octets, not " +
                                                  std::to_string(key.size()));
    return SessionSealer(SecretBytes(key));
}

Result<SessionSealer> SessionSealer::from_key_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(ErrorCode::kConfig, path + ": cannot read the session key file");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.size() == kKeySize) return with_key(as_bytes(text));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    auto key = from_hex(text);
    if (!key || key->size() != kKeySize) {
        return make_error(ErrorCode::kConfig,
                          path + ": the session key must be 64 hex digits (32 octets), e.g. from `openssl rand -hex 32`");
    }
    SecretBytes secret(*key);
    std::fill(key->begin(), key->end(), 0);
    return SessionSealer(std::move(secret));
}

SessionSealer SessionSealer::with_random_key(RandomSource& random) {
    Bytes key = random.bytes(kKeySize);
    SecretBytes secret(key);
    std::fill(key.begin(), key.end(), 0);
    return SessionSealer(std::move(secret));
}

Result<Bytes> SessionSealer::seal(ByteView associated, ByteView plaintext, RandomSource& random) const {
    const Bytes nonce = random.bytes(kNonceSize);
    auto sealed = crypto::aes_gcm_seal(key_.view(), nonce, associated, plaintext);
    if (!sealed) return sealed.error();
    Bytes out;
    out.reserve(1 + kNonceSize + sealed->size());
    out.push_back(kVersion);
    out.insert(out.end(), nonce.begin(), nonce.end());
    out.insert(out.end(), sealed->begin(), sealed->end());
    return out;
}

std::optional<SecretBytes> SessionSealer::open(ByteView associated, ByteView sealed) const {
    if (sealed.size() < 1 + kNonceSize + kTagSize || sealed[0] != kVersion) return std::nullopt;
    auto plain = crypto::aes_gcm_open(key_.view(), sealed.subspan(1, kNonceSize), associated,
                                      sealed.subspan(1 + kNonceSize));
    if (!plain) return std::nullopt;
    return std::move(*plain);
}

}  // namespace lanyard::authenticator
