#include "ike/transforms.h"

#include <algorithm>

namespace lanyard::ike {
namespace {

struct Keyword {
    std::string_view name;
    TransformType type;
    uint16_t id;
    uint16_t key_bits;  // 0: no Key Length attribute
};

// Keywords as in strongSwan's proposal_keywords.txt, limited to the
// algorithms crypto/ implements.
constexpr Keyword kKeywords[] = {
    {"aes128", TransformType::kEncr, 12, 128},
    {"aes192", TransformType::kEncr, 12, 192},
    {"aes256", TransformType::kEncr, 12, 256},
    {"aes128gcm16", TransformType::kEncr, 20, 128},
    {"aes128gcm128", TransformType::kEncr, 20, 128},
    {"aes192gcm16", TransformType::kEncr, 20, 192},
    {"aes192gcm128", TransformType::kEncr, 20, 192},
    {"aes256gcm16", TransformType::kEncr, 20, 256},
    {"aes256gcm128", TransformType::kEncr, 20, 256},
    {"sha256", TransformType::kInteg, 12, 0},
    {"sha2_256", TransformType::kInteg, 12, 0},
    {"sha384", TransformType::kInteg, 13, 0},
    {"sha2_384", TransformType::kInteg, 13, 0},
    {"sha512", TransformType::kInteg, 14, 0},
    {"sha2_512", TransformType::kInteg, 14, 0},
    {"prfsha256", TransformType::kPrf, 5, 0},
    {"prfsha384", TransformType::kPrf, 6, 0},
    {"prfsha512", TransformType::kPrf, 7, 0},
    {"modp2048", TransformType::kDh, 14, 0},
    {"ecp256", TransformType::kDh, 19, 0},
    {"ecp384", TransformType::kDh, 20, 0},
    {"x25519", TransformType::kDh, 31, 0},
    {"curve25519", TransformType::kDh, 31, 0},
    {"esn", TransformType::kEsn, 1, 0},
    {"noesn", TransformType::kEsn, 0, 0},
};

// charon's defaults (proposal.c) name more algorithms (chacha20poly1305,
// sha1, ecp521, modp3072+, curve448); this is the subset we implement,
// AEAD proposal first. The order within a type is ours, not checked
// against charon.
constexpr std::string_view kDefaultIke[] = {
    "aes128gcm16-aes192gcm16-aes256gcm16-prfsha256-prfsha384-prfsha512-x25519-ecp256-ecp384-modp2048",
    "aes128-aes192-aes256-sha256-sha384-sha512-x25519-ecp256-ecp384-modp2048",
};
constexpr std::string_view kDefaultEsp[] = {
    "aes128gcm16-aes192gcm16-aes256gcm16",
    "aes128-aes192-aes256-sha256-sha384-sha512",
};

uint16_t prf_for_integ(uint16_t integ) {
    switch (integ) {
        case 12: return 5;
        case 13: return 6;
        case 14: return 7;
        default: return 0;
    }
}

bool has_type(const Proposal& p, TransformType t) {
    return std::any_of(p.transforms.begin(), p.transforms.end(),
                       [&](const Transform& x) { return x.type == static_cast<uint8_t>(t); });
}

Result<Proposal> parse_one(std::string_view text, ProtocolId protocol) {
    Proposal p;
    p.protocol = protocol;
    bool any_aead = false;
    bool any_cbc = false;
    size_t tokens = 0;
    while (!text.empty()) {
        if (++tokens > 64) return make_error(ErrorCode::kConfig, "proposal has too many algorithms");
        const size_t dash = text.find('-');
        std::string_view word = text.substr(0, dash);
        text = dash == std::string_view::npos ? std::string_view() : text.substr(dash + 1);
        const Keyword* k = nullptr;
        for (const Keyword& kw : kKeywords) {
            if (kw.name == word) k = &kw;
        }
        if (k == nullptr) {
            return make_error(ErrorCode::kUnsupported, "proposal keyword '" + std::string(word) + "' not supported");
        }
        Transform t = make_transform(k->type, k->id);
        if (k->key_bits != 0) t.key_length = k->key_bits;
        if (k->type == TransformType::kEncr) (is_aead(k->id) ? any_aead : any_cbc) = true;
        if (std::find(p.transforms.begin(), p.transforms.end(), t) == p.transforms.end()) p.transforms.push_back(t);
    }
    if (any_aead && any_cbc) return make_error(ErrorCode::kConfig, "AEAD and non-AEAD algorithms in one proposal");
    if (!has_type(p, TransformType::kEncr)) return make_error(ErrorCode::kConfig, "proposal without encryption algorithm");
    if (any_aead && has_type(p, TransformType::kInteg)) {
        return make_error(ErrorCode::kConfig, "integrity algorithm in an AEAD proposal");
    }
    if (!any_aead && !has_type(p, TransformType::kInteg)) {
        return make_error(ErrorCode::kConfig, "proposal without integrity algorithm");
    }
    if (protocol == ProtocolId::kIke) {
        if (!has_type(p, TransformType::kPrf)) {
            if (any_aead) return make_error(ErrorCode::kConfig, "a PRF is mandatory in AEAD IKE proposals");
            std::vector<Transform> prfs;
            for (const Transform& t : p.transforms) {
                if (t.type != static_cast<uint8_t>(TransformType::kInteg)) continue;
                Transform prf = make_transform(TransformType::kPrf, prf_for_integ(t.id));
                if (std::find(prfs.begin(), prfs.end(), prf) == prfs.end()) prfs.push_back(prf);
            }
            p.transforms.insert(p.transforms.end(), prfs.begin(), prfs.end());
        }
        if (!has_type(p, TransformType::kDh)) return make_error(ErrorCode::kConfig, "IKE proposal without DH group");
        if (has_type(p, TransformType::kEsn)) return make_error(ErrorCode::kConfig, "ESN in an IKE proposal");
    } else {
        if (has_type(p, TransformType::kPrf)) return make_error(ErrorCode::kConfig, "PRF in an ESP proposal");
        if (!has_type(p, TransformType::kEsn)) p.transforms.push_back(make_transform(TransformType::kEsn, 0));
    }
    // Keep the RFC 7296 §3.3 transform order: ENCR, PRF, INTEG, DH, ESN.
    std::stable_sort(p.transforms.begin(), p.transforms.end(),
                     [](const Transform& a, const Transform& b) { return a.type < b.type; });
    return p;
}

}  // namespace

bool is_aead(uint16_t encr_id) { return encr_id == 18 || encr_id == 19 || encr_id == 20; }

std::string transform_name(const Transform& t) {
    const std::string kl = t.key_length ? "_" + std::to_string(*t.key_length) : "";
    switch (static_cast<TransformType>(t.type)) {
        case TransformType::kEncr:
            switch (t.id) {
                case 12: return "AES_CBC" + kl;
                case 18: return "AES_GCM_8" + kl;
                case 19: return "AES_GCM_12" + kl;
                case 20: return "AES_GCM_16" + kl;
                default: return "ENCR_" + std::to_string(t.id) + kl;
            }
        case TransformType::kPrf:
            switch (t.id) {
                case 2: return "PRF_HMAC_SHA1";
                case 5: return "PRF_HMAC_SHA2_256";
                case 6: return "PRF_HMAC_SHA2_384";
                case 7: return "PRF_HMAC_SHA2_512";
                default: return "PRF_" + std::to_string(t.id);
            }
        case TransformType::kInteg:
            switch (t.id) {
                case 0: return "INTEG_NONE";
                case 2: return "HMAC_SHA1_96";
                case 12: return "HMAC_SHA2_256_128";
                case 13: return "HMAC_SHA2_384_192";
                case 14: return "HMAC_SHA2_512_256";
                default: return "INTEG_" + std::to_string(t.id);
            }
        case TransformType::kDh:
            switch (t.id) {
                case 14: return "MODP_2048";
                case 19: return "ECP_256";
                case 20: return "ECP_384";
                case 31: return "CURVE_25519";
                default: return "DH_" + std::to_string(t.id);
            }
        case TransformType::kEsn: return t.id == 1 ? "EXT_SEQ" : "NO_EXT_SEQ";
    }
    return "TRANSFORM_" + std::to_string(t.type) + "_" + std::to_string(t.id);
}

std::string proposal_to_string(const Proposal& p) {
    std::string out = p.protocol == ProtocolId::kIke ? "IKE" : p.protocol == ProtocolId::kEsp ? "ESP" : "AH";
    char sep = ':';
    for (const Transform& t : p.transforms) {
        out += sep;
        out += transform_name(t);
        sep = '/';
    }
    return out;
}

Result<std::vector<Proposal>> parse_proposal_string(std::string_view text, ProtocolId protocol) {
    if (protocol != ProtocolId::kIke && protocol != ProtocolId::kEsp) {
        return make_error(ErrorCode::kUnsupported, "proposals only for IKE and ESP");
    }
    std::vector<Proposal> out;
    while (true) {
        const size_t comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        if (item.empty()) return make_error(ErrorCode::kConfig, "empty proposal");
        if (item == "default") {
            if (protocol == ProtocolId::kIke) {
                for (std::string_view d : kDefaultIke) out.push_back(*parse_one(d, protocol));
            } else {
                for (std::string_view d : kDefaultEsp) out.push_back(*parse_one(d, protocol));
            }
        } else {
            auto p = parse_one(item, protocol);
            if (!p) return make_error(p.error().code, "'" + std::string(item) + "': " + p.error().detail);
            out.push_back(std::move(*p));
        }
        if (out.size() > 64) return make_error(ErrorCode::kConfig, "too many proposals");
        if (comma == std::string_view::npos) break;
        text = text.substr(comma + 1);
    }
    for (size_t i = 0; i < out.size(); ++i) out[i].number = static_cast<uint8_t>(i + 1);
    return out;
}

}  // namespace lanyard::ike
