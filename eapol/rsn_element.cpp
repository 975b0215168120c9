// IEEE 802.11-2020 §9.4.2.24 (RSN element) and §12.6.3 (RSNA policy
// selection).
#include "eapol/rsn_element.h"

#include <algorithm>
#include <string>

namespace lanyard::eapol {

const char* cipher_suite_name(uint32_t suite) {
    switch (suite) {
        case kCipherUseGroup: return "use-group";
        case kCipherWep40: return "WEP-40";
        case kCipherTkip: return "TKIP";
        case kCipherCcmp128: return "CCMP-128";
        case kCipherWep104: return "WEP-104";
        case kCipherBipCmac128: return "BIP-CMAC-128";
        case kCipherGroupNotAllowed: return "group-not-allowed";
        case kCipherGcmp128: return "GCMP-128";
        case kCipherGcmp256: return "GCMP-256";
        case kCipherCcmp256: return "CCMP-256";
        case kCipherBipGmac128: return "BIP-GMAC-128";
        case kCipherBipGmac256: return "BIP-GMAC-256";
        case kCipherBipCmac256: return "BIP-CMAC-256";
        default: return "unknown";
    }
}

const char* akm_suite_name(uint32_t suite) {
    switch (suite) {
        case kAkm8021x: return "802.1X";
        case kAkmPsk: return "PSK";
        case kAkmFt8021x: return "FT-802.1X";
        case kAkmFtPsk: return "FT-PSK";
        case kAkm8021xSha256: return "802.1X-SHA256";
        case kAkmPskSha256: return "PSK-SHA256";
        case kAkmTdls: return "TDLS";
        case kAkmSae: return "SAE";
        case kAkmFtSae: return "FT-SAE";
        case kAkmApPeerKey: return "AP-PeerKey";
        case kAkm8021xSuiteB: return "802.1X-SuiteB";
        case kAkm8021xSuiteB192: return "802.1X-SuiteB-192";
        case kAkmFt8021xSha384: return "FT-802.1X-SHA384";
        case kAkmFilsSha256: return "FILS-SHA256";
        case kAkmFilsSha384: return "FILS-SHA384";
        case kAkmOwe: return "OWE";
        default: return "unknown";
    }
}

uint16_t mfp_capability_bits(MfpPolicy policy) {
    switch (policy) {
        case MfpPolicy::kDisabled: return 0;
        case MfpPolicy::kOptional: return kRsnCapMfpc;
        case MfpPolicy::kRequired: return kRsnCapMfpc | kRsnCapMfpr;
    }
    return 0;
}

namespace {

constexpr size_t kSuiteSize = 4;

Status write_suite_list(ByteWriter& w, const std::vector<uint32_t>& suites) {
    if (suites.size() > 0xffff) return make_error(ErrorCode::kLimit, "RSN element: suite list too long");
    w.u16le(static_cast<uint16_t>(suites.size()));
    for (uint32_t s : suites) w.u32(s);
    return ok_status();
}

// A count (LE16) and that many suites. A count that does not fit is kTruncated.
Result<std::vector<uint32_t>> read_suite_list(ByteReader& r, const char* what) {
    auto count = r.u16le();
    if (!count) return make_error(ErrorCode::kTruncated, std::string("RSN element: ") + what + " count truncated");
    if (static_cast<size_t>(*count) * kSuiteSize > r.remaining())
        return make_error(ErrorCode::kTruncated, std::string("RSN element: ") + what + " list overruns the element");
    if (*count == 0) return make_error(ErrorCode::kMalformed, std::string("RSN element: empty ") + what + " list");
    std::vector<uint32_t> out;
    out.reserve(*count);
    for (uint16_t i = 0; i < *count; ++i) out.push_back(*r.u32());
    return out;
}

}  // namespace

Result<Bytes> build_rsn_element(const RsnElement& rsn) {
    ByteWriter w;
    w.u8(kRsnElementId).u8(0);
    w.u16le(rsn.version).u32(rsn.group_cipher);
    LANYARD_TRY(write_suite_list(w, rsn.pairwise_ciphers));
    LANYARD_TRY(write_suite_list(w, rsn.akms));
    w.u16le(rsn.capabilities);
    if (!rsn.pmkids.empty() || rsn.group_management_cipher) {
        if (rsn.pmkids.size() > 0xffff) return make_error(ErrorCode::kLimit, "RSN element: too many PMKIDs");
        w.u16le(static_cast<uint16_t>(rsn.pmkids.size()));
        for (const Pmkid& p : rsn.pmkids) w.bytes(p);
    }
    if (rsn.group_management_cipher) w.u32(*rsn.group_management_cipher);
    Bytes out = w.take();
    if (out.size() - 2 > 255) return make_error(ErrorCode::kLimit, "RSN element: body over 255 octets");
    out[1] = static_cast<uint8_t>(out.size() - 2);
    return out;
}

Result<RsnElement> parse_rsn_body(ByteView body) {
    ByteReader r(body);
    RsnElement rsn;
    auto version = r.u16le();
    if (!version) return make_error(ErrorCode::kTruncated, "RSN element: no version");
    if (*version != kRsnVersion)
        return make_error(ErrorCode::kMalformed, "RSN element: version " + std::to_string(*version) + " (only 1)");
    rsn.version = *version;
    if (r.empty()) return rsn;  // §9.4.2.24.1: everything else takes its default
    auto group = r.u32();
    if (!group) return make_error(ErrorCode::kTruncated, "RSN element: group cipher truncated");
    rsn.group_cipher = *group;
    if (r.empty()) return rsn;
    auto pairwise = read_suite_list(r, "pairwise cipher");
    if (!pairwise) return pairwise.error();
    rsn.pairwise_ciphers = std::move(*pairwise);
    if (r.empty()) return rsn;
    auto akms = read_suite_list(r, "AKM");
    if (!akms) return akms.error();
    rsn.akms = std::move(*akms);
    if (r.empty()) return rsn;
    auto caps = r.u16le();
    if (!caps) return make_error(ErrorCode::kTruncated, "RSN element: capabilities truncated");
    rsn.capabilities = *caps;
    if (r.empty()) return rsn;
    auto pmkid_count = r.u16le();
    if (!pmkid_count) return make_error(ErrorCode::kTruncated, "RSN element: PMKID count truncated");
    if (static_cast<size_t>(*pmkid_count) * kPmkidLength > r.remaining())
        return make_error(ErrorCode::kTruncated, "RSN element: PMKID list overruns the element");
    for (uint16_t i = 0; i < *pmkid_count; ++i) {
        Pmkid p{};
        (void)r.copy_to(p);
        rsn.pmkids.push_back(p);
    }
    if (r.empty()) return rsn;
    auto mgmt = r.u32();
    if (!mgmt) return make_error(ErrorCode::kTruncated, "RSN element: group management cipher truncated");
    rsn.group_management_cipher = *mgmt;
    return rsn;  // later fields (none defined for version 1 here) are ignored
}

Result<RsnElement> parse_rsn_element(ByteView element) {
    ByteReader r(element);
    auto id = r.u8();
    auto length = r.u8();
    if (!id || !length) return make_error(ErrorCode::kTruncated, "RSN element: header truncated");
    if (*id != kRsnElementId)
        return make_error(ErrorCode::kMalformed, "RSN element: element ID " + std::to_string(*id) + " is not 48");
    auto body = r.bytes(*length);
    if (!body) return make_error(ErrorCode::kTruncated, "RSN element: Length runs past the data");
    return parse_rsn_body(*body);
}

Result<ByteView> find_rsn_element(ByteView elements) {
    ByteReader r(elements);
    // Each element takes at least two octets: at most size/2 iterations.
    while (!r.empty()) {
        const size_t start = r.position();
        auto id = r.u8();
        auto length = r.u8();
        if (!length) return make_error(ErrorCode::kTruncated, "elements: header truncated");
        if (!r.skip(*length)) return make_error(ErrorCode::kTruncated, "elements: element overruns the data");
        if (*id == kRsnElementId) return elements.subspan(start, 2 + static_cast<size_t>(*length));
    }
    return make_error(ErrorCode::kMalformed, "no RSN element");
}

Result<NegotiatedRsn> negotiate_rsn(const RsnElement& ours, const RsnElement& station) {
    auto contains = [](const std::vector<uint32_t>& list, uint32_t v) {
        return std::find(list.begin(), list.end(), v) != list.end();
    };
    if (station.group_cipher != ours.group_cipher)
        return make_error(ErrorCode::kProtocol, "RSN: group cipher differs (status 41)");
    if (station.pairwise_ciphers.size() != 1 || !contains(ours.pairwise_ciphers, station.pairwise_ciphers[0]))
        return make_error(ErrorCode::kProtocol, "RSN: invalid pairwise cipher (status 42)");
    if (station.akms.size() != 1 || !contains(ours.akms, station.akms[0]))
        return make_error(ErrorCode::kProtocol, "RSN: invalid AKM (status 43)");
    // §9.4.2.24.4: MFPR set with MFPC clear is an invalid combination.
    if (station.mfp_required() && !station.mfp_capable())
        return make_error(ErrorCode::kProtocol, "RSN: station sets MFPR without MFPC (status 31)");
    if (ours.mfp_required() && !station.mfp_capable())
        return make_error(ErrorCode::kProtocol, "RSN: management frame protection required (status 31)");
    if (station.mfp_required() && !ours.mfp_capable())
        return make_error(ErrorCode::kProtocol, "RSN: station requires MFP we do not offer (status 31)");
    NegotiatedRsn out;
    out.akm = station.akms[0];
    out.pairwise_cipher = station.pairwise_ciphers[0];
    out.group_cipher = ours.group_cipher;
    out.mfp = ours.mfp_capable() && station.mfp_capable();
    if (out.mfp) {
        const uint32_t mine = ours.group_management_cipher.value_or(kCipherBipCmac128);
        const uint32_t theirs = station.group_management_cipher.value_or(kCipherBipCmac128);
        if (mine != theirs) return make_error(ErrorCode::kProtocol, "RSN: group management cipher differs (status 46)");
        out.group_management_cipher = mine;
    }
    out.pmkids = station.pmkids;
    return out;
}

}  // namespace lanyard::eapol
