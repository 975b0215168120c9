// IKE identities (RFC 7296 §3.5) as strongSwan writes them in swanctl.conf:
// "%any", "@fqdn", "user@domain", "192.0.2.1", "2001:db8::1", and matching
// of a received ID against a configured one (exact beats wildcard).
#pragma once

#include <string>
#include <string_view>

#include "common/bytes.h"
#include "ike/payloads.h"

namespace lanyard::ike {

struct Identity {
    bool any = false;  // "%any": matches every identity; never sent
    IdType type = IdType::kFqdn;
    Bytes data;

    IdPayload to_payload() const { return IdPayload{type, data}; }
    static Identity from_payload(const IdPayload& p) { return Identity{false, p.id_type, p.data}; }
    // "@fqdn"-free printable form: "moon.example", "carol@example", "10.0.0.1", "%any".
    std::string to_string() const;
    bool operator==(const Identity&) const = default;
};

// strongSwan's rules (identification.c, simplified): "%any"/"" → any;
// an IPv4/IPv6 literal → ID_IPV4_ADDR/ID_IPV6_ADDR; a leading '@' → FQDN
// (the '@' dropped); "user@host" → RFC822; anything else → FQDN.
// A string with '=' is a distinguished name ("C=CH, O=x, CN=y") → ID_DER_ASN1_DN.
Result<Identity> parse_identity(std::string_view text);

// How well `received` matches the configured `pattern`: 0 = no match,
// 1 = "%any", 2 = wildcard ("*@example.org", "*.example.org"), 3 = exact.
// charon prefers the better match when several configs fit.
int match_identity(const Identity& pattern, const Identity& received);

// RFC 7296 §2.15 "RestOfInitIDPayload": ID Type | RESERVED(3) | data.
Bytes id_payload_body(const Identity& id);

}  // namespace lanyard::ike
