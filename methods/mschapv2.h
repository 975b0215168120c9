// MS-CHAP-V2 algorithms (RFC 2759 §8) and MPPE key derivation (RFC 3079
// §3.4), as pure functions over crypto/ (MD4 and DES from OpenSSL's legacy
// provider, SHA-1 from the default one). Shared by the EAP-MSCHAPv2 peer and
// server, and by PEAP through their inner session keys.
//
// Key naming (RFC 3079 §3.4 GetAsymmetricStartKey, Magic2/Magic3):
//   key_a = the key derived with Magic2 = the peer's MasterSendKey
//                                       = the server's MasterReceiveKey
//   key_b = the key derived with Magic3 = the peer's MasterReceiveKey
//                                       = the server's MasterSendKey
// The EAP MSK (what wpa_supplicant and hostapd both compute, and what a
// RADIUS server sends as MS-MPPE-Recv-Key | MS-MPPE-Send-Key) is
//   MSK = key_a | key_b | 32 zero octets                 (64 octets)
// i.e. the server's MasterReceiveKey | MasterSendKey, which is the peer's
// MasterSendKey | MasterReceiveKey. Both ends therefore get the same MSK.
// The PEAP inner session key ([MS-PEAP] 3.1.5.5; wpa_supplicant and hostapd
// take the first 32 octets of the inner method's key) is
//   ISK = key_a | key_b                                  (32 octets)
// on both ends.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"

namespace lanyard::eap::mschapv2 {

inline constexpr size_t kChallengeSize = 16;      // AuthenticatorChallenge, PeerChallenge
inline constexpr size_t kNtResponseSize = 24;
inline constexpr size_t kPasswordHashSize = 16;
inline constexpr size_t kAuthResponseSize = 20;   // the 20 octets behind "S=<40 hex>"
inline constexpr size_t kMasterKeySize = 16;
inline constexpr size_t kSessionKeySize = 16;     // 128-bit MPPE start keys
inline constexpr size_t kMskSize = 64;
inline constexpr size_t kIskSize = 32;
inline constexpr size_t kMaxPasswordChars = 256;  // RFC 2759 §8.3: 0-to-256-unicode-char

// RFC 2759 §8.3 NtPasswordHash: MD4 over the password in UTF-16LE. The
// password is UTF-8 text; invalid UTF-8 or more than 256 UTF-16 code units
// is an error. Without the legacy provider: kUnsupported, "OpenSSL legacy
// provider not available: MD4/DES need it".
Result<SecretBytes> nt_password_hash(ByteView password_utf8);

// The PasswordHash for a configured secret: password=hash:<32 hex> holds the
// 16-octet NT hash already (is_nt_hash), anything else is plain text.
Result<SecretBytes> password_hash_for(const SecretBytes& password, bool is_nt_hash);

// RFC 2759 §8.4 HashNtPasswordHash: MD4(PasswordHash).
Result<SecretBytes> hash_nt_password_hash(ByteView password_hash);

// RFC 2759 §4 / wpa_supplicant: the user name hashed into ChallengeHash is
// the Name without any "DOMAIN\" prefix (everything after the first '\').
std::string_view strip_domain(std::string_view name);

// RFC 2759 §8.2 ChallengeHash: first 8 octets of
// SHA1(PeerChallenge | AuthenticatorChallenge | UserName).
std::array<uint8_t, 8> challenge_hash(ByteView peer_challenge, ByteView authenticator_challenge,
                                      std::string_view username);

// RFC 2759 §8.5 ChallengeResponse: three DES encryptions of the 8-octet
// challenge under the 21-octet zero-padded PasswordHash.
Result<std::array<uint8_t, kNtResponseSize>> challenge_response(ByteView challenge8, ByteView password_hash);

// RFC 2759 §8.1 GenerateNTResponse. username must already be stripped.
Result<std::array<uint8_t, kNtResponseSize>> generate_nt_response(ByteView authenticator_challenge,
                                                                  ByteView peer_challenge,
                                                                  std::string_view username,
                                                                  ByteView password_hash);

// RFC 2759 §8.7 GenerateAuthenticatorResponse: the 20 octets.
Result<std::array<uint8_t, kAuthResponseSize>> generate_authenticator_response(
    ByteView password_hash, ByteView nt_response, ByteView peer_challenge, ByteView authenticator_challenge,
    std::string_view username);

// "S=" followed by the 40 upper-case hex digits of the 20 octets (RFC 2759 §5).
std::string format_authenticator_response(ByteView auth_response20);

// RFC 2759 §8.8 CheckAuthenticatorResponse, in constant time: received is
// the 20 octets the peer parsed from "S=<40 hex>".
bool check_authenticator_response(ByteView received, ByteView expected);

// RFC 3079 §3.4 GetMasterKey: first 16 octets of
// SHA1(PasswordHashHash | NTResponse | Magic1).
SecretBytes get_master_key(ByteView password_hash_hash, ByteView nt_response);

// RFC 3079 §3.4 GetAsymmetricStartKey (session_key_length <= 20).
SecretBytes get_asymmetric_start_key(ByteView master_key, size_t session_key_length, bool is_send,
                                     bool is_server);

// MSK = key_a | key_b | 32 zero octets (see the file comment).
SecretBytes derive_msk(ByteView master_key);
// ISK = key_a | key_b (the first 32 octets of the MSK).
SecretBytes derive_isk(ByteView master_key);

}  // namespace lanyard::eap::mschapv2
