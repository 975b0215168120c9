// X.509 certificates for IKEv2 (RFC 7296 §3.6, §3.7, §3.5): parsing,
// subjectAltName and subject DN for identity checks, the SHA-1 hash of the
// SubjectPublicKeyInfo that CERTREQ carries, distinguished names from
// strongSwan-style strings, and chain validation against trust anchors.
// No OpenSSL type crosses this header.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace lanyard::crypto {

class Certificate {
public:
    static Result<Certificate> from_der(ByteView der);
    // One certificate from a PEM or DER file.
    static Result<Certificate> load_file(const std::string& path);
    Certificate(const Certificate&);
    Certificate& operator=(const Certificate&);
    Certificate(Certificate&&) noexcept;
    Certificate& operator=(Certificate&&) noexcept;
    ~Certificate();

    const Bytes& der() const { return der_; }
    Bytes subject_der() const;
    std::string subject_text() const;  // "O=Lanyard test, CN=server.lanyard.test"
    Bytes spki_der() const;
    // RFC 7296 §3.7: SHA-1 of the DER SubjectPublicKeyInfo.
    Bytes spki_sha1() const;
    std::vector<std::string> san_dns() const;
    std::vector<std::string> san_email() const;
    std::vector<Bytes> san_ip() const;
    bool is_ca() const;

    struct Impl;
    const Impl& impl() const { return *impl_; }

private:
    Certificate(std::unique_ptr<Impl> impl, Bytes der);
    std::unique_ptr<Impl> impl_;
    Bytes der_;
};

// RFC 5280 path validation (OpenSSL's verifier, current time): `leaf`
// through `intermediates` to one of `anchors`. Returns the anchor's index.
Result<size_t> verify_chain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                            const std::vector<std::shared_ptr<const Certificate>>& anchors);

// "C=CH, O=Lanyard test, CN=moon" (',' or '/' separated) as DER Name.
Result<Bytes> dn_from_string(const std::string& text);
// DER Name to "C=CH, O=..., CN=..."; an error for malformed DER.
Result<std::string> dn_to_string(ByteView der);
// Whether two DER Names are equal by RFC 5280 §7.1 comparison.
bool dn_equal(ByteView a, ByteView b);

}  // namespace lanyard::crypto
