#include "ike/identity.h"

#include <arpa/inet.h>

#include "crypto/x509_chain.h"

namespace lanyard::ike {

std::string Identity::to_string() const {
    if (any) return "%any";
    switch (type) {
        case IdType::kIpv4Addr:
        case IdType::kIpv6Addr: {
            char buf[INET6_ADDRSTRLEN] = {};
            const int af = type == IdType::kIpv4Addr ? AF_INET : AF_INET6;
            if ((af == AF_INET && data.size() == 4) || (af == AF_INET6 && data.size() == 16)) {
                if (inet_ntop(af, data.data(), buf, sizeof(buf)) != nullptr) return buf;
            }
            return "(bad address)";
        }
        case IdType::kFqdn:
        case IdType::kRfc822Addr:
            return lanyard::to_string(data);
        case IdType::kDerAsn1Dn: {
            auto dn = crypto::dn_to_string(data);
            return dn ? *dn : "(bad DN)";
        }
        case IdType::kDerAsn1Gn:
        case IdType::kKeyId:
            return "(binary id, " + std::to_string(data.size()) + " octets)";
    }
    return "(unknown id type)";
}

Result<Identity> parse_identity(std::string_view text) {
    Identity id;
    if (text.empty() || text == "%any" || text == "%any6") {
        id.any = true;
        return id;
    }
    std::string s(text);
    uint8_t buf[16];
    if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
        id.type = IdType::kIpv4Addr;
        id.data.assign(buf, buf + 4);
        return id;
    }
    if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
        id.type = IdType::kIpv6Addr;
        id.data.assign(buf, buf + 16);
        return id;
    }
    if (s.find('=') != std::string::npos) {
        auto dn = crypto::dn_from_string(s);
        if (!dn) return dn.error();
        id.type = IdType::kDerAsn1Dn;
        id.data = std::move(*dn);
        return id;
    }
    if (s.front() == '@') {
        if (s.size() > 1 && s[1] == '#') return make_error(ErrorCode::kUnsupported, "key-id identities ('@#') are not supported");
        id.type = IdType::kFqdn;
        id.data = to_bytes(std::string_view(s).substr(1));
        return id;
    }
    id.type = s.find('@') != std::string::npos ? IdType::kRfc822Addr : IdType::kFqdn;
    id.data = to_bytes(s);
    return id;
}

int match_identity(const Identity& pattern, const Identity& received) {
    if (pattern.any) return 1;
    if (received.any || pattern.type != received.type) return 0;
    if (pattern.data == received.data) return 3;
    if (pattern.type == IdType::kDerAsn1Dn && crypto::dn_equal(pattern.data, received.data)) return 3;
    // Wildcards: a leading '*' matches any prefix (strongSwan's "*@domain").
    if ((pattern.type == IdType::kFqdn || pattern.type == IdType::kRfc822Addr) && !pattern.data.empty() &&
        pattern.data.front() == '*') {
        const size_t suffix = pattern.data.size() - 1;
        if (received.data.size() >= suffix &&
            std::equal(pattern.data.begin() + 1, pattern.data.end(), received.data.end() - static_cast<long>(suffix))) {
            return 2;
        }
    }
    return 0;
}

Bytes id_payload_body(const Identity& id) {
    ByteWriter w(4 + id.data.size());
    w.u8(static_cast<uint8_t>(id.type)).zeros(3).bytes(id.data);
    return w.take();
}

}  // namespace lanyard::ike
