#include "methods/mschapv2.h"

#include <algorithm>

#include "common/hex.h"
#include "crypto/hash.h"
#include "crypto/legacy.h"

namespace lanyard::eap::mschapv2 {

namespace {

// RFC 2759 §8.7 Magic1 and Magic2.
constexpr std::string_view kAuthMagic1 = "Magic server to client signing constant";
constexpr std::string_view kAuthMagic2 = "Pad to make it do more than one iteration";
// RFC 3079 §3.4 Magic1, Magic2, Magic3.
constexpr std::string_view kKeyMagic1 = "This is the MPPE Master Key";
constexpr std::string_view kKeyMagic2 =
    "On the client side, this is the send key; on the server side, it is the receive key.";
constexpr std::string_view kKeyMagic3 =
    "On the client side, this is the receive key; on the server side, it is the send key.";
constexpr size_t kShsPadSize = 40;

// SHA-1 of secret material: the digest goes straight into a SecretBytes.
SecretBytes secret_sha1(const SecretBytes& input) {
    Bytes d = crypto::sha1(input.view());
    SecretBytes out(d);
    secure_wipe(d.data(), d.size());
    return out;
}

SecretBytes secret_md4(ByteView input, Error* error) {
    auto d = crypto::md4(input);
    if (!d) {
        *error = d.error();
        return {};
    }
    SecretBytes out(*d);
    secure_wipe(d->data(), d->size());
    return out;
}

// Decodes one UTF-8 sequence at text[*pos] (RFC 3629); false when invalid.
bool next_code_point(ByteView text, size_t* pos, uint32_t* cp) {
    const uint8_t b0 = text[*pos];
    size_t len = 0;
    uint32_t v = 0;
    if (b0 < 0x80) {
        len = 1;
        v = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        v = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        v = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        v = b0 & 0x07;
    } else {
        return false;
    }
    if (text.size() - *pos < len) return false;
    for (size_t i = 1; i < len; ++i) {
        const uint8_t b = text[*pos + i];
        if ((b & 0xC0) != 0x80) return false;
        v = (v << 6) | (b & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < kMin[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
    *pos += len;
    *cp = v;
    return true;
}

}  // namespace

// RFC 2759 §8.3: MD4 over the password as UTF-16LE ("Unicode").
Result<SecretBytes> nt_password_hash(ByteView password_utf8) {
    SecretBytes unicode(2 * 2 * kMaxPasswordChars);
    size_t units = 0;
    size_t pos = 0;
    while (pos < password_utf8.size()) {
        uint32_t cp = 0;
        if (!next_code_point(password_utf8, &pos, &cp)) {
            return make_error(ErrorCode::kConfig, "MSCHAPv2 password is not valid UTF-8");
        }
        uint16_t u[2];
        size_t n = 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            u[0] = static_cast<uint16_t>(0xD800 | (cp >> 10));
            u[1] = static_cast<uint16_t>(0xDC00 | (cp & 0x3FF));
            n = 2;
        } else {
            u[0] = static_cast<uint16_t>(cp);
        }
        if (units + n > kMaxPasswordChars) {
            return make_error(ErrorCode::kConfig, "MSCHAPv2 password longer than 256 characters (RFC 2759 §8.3)");
        }
        for (size_t i = 0; i < n; ++i, ++units) {
            unicode.data()[2 * units] = static_cast<uint8_t>(u[i] & 0xFF);
            unicode.data()[2 * units + 1] = static_cast<uint8_t>(u[i] >> 8);
        }
    }
    Error error;
    SecretBytes hash = secret_md4(unicode.first(2 * units), &error);
    if (hash.empty()) return error;
    return hash;
}

Result<SecretBytes> password_hash_for(const SecretBytes& password, bool is_nt_hash) {
    if (!is_nt_hash) return nt_password_hash(password.view());
    if (password.size() != kPasswordHashSize) {
        return make_error(ErrorCode::kConfig, "NT password hash must be 16 octets (hash:<32 hex>)");
    }
    return password;
}

// RFC 2759 §8.4.
Result<SecretBytes> hash_nt_password_hash(ByteView password_hash) {
    Error error;
    SecretBytes hash = secret_md4(password_hash, &error);
    if (hash.empty()) return error;
    return hash;
}

std::string_view strip_domain(std::string_view name) {
    const size_t slash = name.find('\\');
    return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

// RFC 2759 §8.2.
std::array<uint8_t, 8> challenge_hash(ByteView peer_challenge, ByteView authenticator_challenge,
                                      std::string_view username) {
    Bytes input;
    input.reserve(peer_challenge.size() + authenticator_challenge.size() + username.size());
    input.insert(input.end(), peer_challenge.begin(), peer_challenge.end());
    input.insert(input.end(), authenticator_challenge.begin(), authenticator_challenge.end());
    input.insert(input.end(), username.begin(), username.end());
    const Bytes digest = crypto::sha1(input);
    std::array<uint8_t, 8> out{};
    std::copy_n(digest.begin(), out.size(), out.begin());
    return out;
}

// RFC 2759 §8.5: ZPasswordHash = PasswordHash padded with zeros to 21
// octets, split in three 7-octet DES keys.
Result<std::array<uint8_t, kNtResponseSize>> challenge_response(ByteView challenge8, ByteView password_hash) {
    if (challenge8.size() != 8 || password_hash.size() != kPasswordHashSize) {
        return make_error(ErrorCode::kInternal, "ChallengeResponse needs an 8-octet challenge and a 16-octet hash");
    }
    SecretBytes z(21);
    std::copy(password_hash.begin(), password_hash.end(), z.data());
    std::array<uint8_t, kNtResponseSize> out{};
    for (size_t i = 0; i < 3; ++i) {
        auto block = crypto::des_encrypt_block_56(z.subspan(7 * i, 7), challenge8);
        if (!block) return block.error();
        std::copy_n(block->begin(), 8, out.begin() + 8 * i);
    }
    return out;
}

// RFC 2759 §8.1.
Result<std::array<uint8_t, kNtResponseSize>> generate_nt_response(ByteView authenticator_challenge,
                                                                  ByteView peer_challenge,
                                                                  std::string_view username,
                                                                  ByteView password_hash) {
    const auto challenge = challenge_hash(peer_challenge, authenticator_challenge, username);
    return challenge_response(challenge, password_hash);
}

// RFC 2759 §8.7.
Result<std::array<uint8_t, kAuthResponseSize>> generate_authenticator_response(
    ByteView password_hash, ByteView nt_response, ByteView peer_challenge, ByteView authenticator_challenge,
    std::string_view username) {
    auto hash_hash = hash_nt_password_hash(password_hash);
    if (!hash_hash) return hash_hash.error();
    SecretBytes input(hash_hash->view());
    input.append(nt_response);
    input.append(as_bytes(kAuthMagic1));
    SecretBytes digest = secret_sha1(input);
    const auto challenge = challenge_hash(peer_challenge, authenticator_challenge, username);
    input.assign(digest.view());
    input.append(challenge);
    input.append(as_bytes(kAuthMagic2));
    digest = secret_sha1(input);
    std::array<uint8_t, kAuthResponseSize> out{};
    std::copy_n(digest.data(), out.size(), out.begin());
    return out;
}

std::string format_authenticator_response(ByteView auth_response20) {
    std::string hex = to_hex(auth_response20);
    for (char& c : hex) {
        if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    }
    return "S=" + hex;
}

// RFC 2759 §8.8, compared in constant time.
bool check_authenticator_response(ByteView received, ByteView expected) {
    if (received.size() != kAuthResponseSize || expected.size() != kAuthResponseSize) return false;
    return constant_time_equal(received, expected);
}

// RFC 3079 §3.4 GetMasterKey.
SecretBytes get_master_key(ByteView password_hash_hash, ByteView nt_response) {
    SecretBytes input(password_hash_hash);
    input.append(nt_response);
    input.append(as_bytes(kKeyMagic1));
    SecretBytes digest = secret_sha1(input);
    digest.resize(kMasterKeySize);
    return digest;
}

// RFC 3079 §3.4 GetAsymmetricStartKey.
SecretBytes get_asymmetric_start_key(ByteView master_key, size_t session_key_length, bool is_send,
                                     bool is_server) {
    const std::string_view s = is_send == is_server ? kKeyMagic3 : kKeyMagic2;
    SecretBytes input(master_key);
    const Bytes pad1(kShsPadSize, 0x00);
    const Bytes pad2(kShsPadSize, 0xF2);
    input.append(pad1);
    input.append(as_bytes(s));
    input.append(pad2);
    SecretBytes digest = secret_sha1(input);
    digest.resize(std::min<size_t>(session_key_length, digest.size()));
    return digest;
}

SecretBytes derive_isk(ByteView master_key) {
    // key_a: the peer's send key (IsSend, client); key_b: its receive key.
    SecretBytes isk = get_asymmetric_start_key(master_key, kSessionKeySize, /*is_send=*/true, /*is_server=*/false);
    isk.append(get_asymmetric_start_key(master_key, kSessionKeySize, /*is_send=*/false, /*is_server=*/false).view());
    return isk;
}

SecretBytes derive_msk(ByteView master_key) {
    SecretBytes msk = derive_isk(master_key);
    msk.resize(kMskSize);  // RFC 5247: the MSK is 64 octets; the rest is zero padding
    return msk;
}

}  // namespace lanyard::eap::mschapv2
