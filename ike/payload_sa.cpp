// SA payload codec: proposals, transforms, attributes (RFC 7296 §3.3).
#include <string>

#include "ike/payloads.h"

namespace lanyard::ike {
namespace {

constexpr uint8_t kLastSubstructure = 0;
constexpr uint8_t kMoreProposals = 2;   // §3.3.1
constexpr uint8_t kMoreTransforms = 3;  // §3.3.2
constexpr size_t kMaxProposals = 64;    // bound on a peer-driven loop
constexpr size_t kMaxTransforms = 64;
constexpr size_t kMaxAttributes = 16;

Error malformed(std::string what) { return make_error(ErrorCode::kMalformed, "SA: " + std::move(what)); }

Status parse_attributes(ByteReader& r, Transform& t) {
    for (size_t n = 0; !r.empty(); ++n) {
        if (n == kMaxAttributes) return malformed("too many transform attributes");
        auto type = r.u16();
        if (!type) return malformed("truncated attribute");
        TransformAttribute a;
        a.tv = (*type & 0x8000) != 0;  // §3.3.5 AF bit
        a.type = *type & 0x7fff;
        auto v = r.u16();
        if (!v) return malformed("truncated attribute value");
        if (a.tv) {
            a.tv_value = *v;
        } else {
            auto value = r.bytes(*v);
            if (!value) return malformed("attribute value overruns transform");
            a.value.assign(value->begin(), value->end());
        }
        if (a.type == kAttrKeyLength) {
            // §3.3.5: Key Length is TV only, and once.
            if (!a.tv) return malformed("Key Length attribute in TLV format");
            if (t.key_length) return malformed("Key Length attribute repeated");
            t.key_length = a.tv_value;
        } else {
            t.other_attributes.push_back(std::move(a));
        }
    }
    return ok_status();
}

Result<Transform> parse_transform(ByteReader& r, bool& last) {
    auto more = r.u8();
    if (!more) return malformed("truncated transform");
    if (*more != kLastSubstructure && *more != kMoreTransforms) {
        return malformed("transform Last Substruc " + std::to_string(*more));
    }
    last = *more == kLastSubstructure;
    LANYARD_TRY(r.skip(1));
    auto len = r.u16();
    if (!len) return malformed("truncated transform");
    if (*len < 8) return malformed("transform length " + std::to_string(*len) + " < 8");
    auto body = r.sub_reader(*len - 4u);
    if (!body) return malformed("transform overruns proposal");
    Transform t;
    t.type = *body->u8();
    LANYARD_TRY(body->skip(1));
    t.id = *body->u16();
    LANYARD_TRY(parse_attributes(*body, t));
    return t;
}

Result<Proposal> parse_proposal(ByteReader& r, bool& last) {
    auto more = r.u8();
    if (!more) return malformed("truncated proposal");
    if (*more != kLastSubstructure && *more != kMoreProposals) {
        return malformed("proposal Last Substruc " + std::to_string(*more));
    }
    last = *more == kLastSubstructure;
    LANYARD_TRY(r.skip(1));
    auto len = r.u16();
    if (!len) return malformed("truncated proposal");
    if (*len < 8) return malformed("proposal length " + std::to_string(*len) + " < 8");
    auto body = r.sub_reader(*len - 4u);
    if (!body) return malformed("proposal overruns SA payload");
    Proposal p;
    p.number = *body->u8();
    const uint8_t protocol = *body->u8();
    if (protocol < 1 || protocol > 3) return malformed("Protocol ID " + std::to_string(protocol));
    p.protocol = static_cast<ProtocolId>(protocol);
    const uint8_t spi_size = *body->u8();
    const uint8_t count = *body->u8();
    auto spi = body->bytes(spi_size);
    if (!spi) return malformed("SPI overruns proposal");
    p.spi.assign(spi->begin(), spi->end());
    if (count == 0) return malformed("proposal without transforms");
    if (count > kMaxTransforms) return malformed("too many transforms");
    bool last_transform = false;
    for (size_t i = 0; i < count; ++i) {
        if (last_transform) return malformed("transform after the last one");
        auto t = parse_transform(*body, last_transform);
        if (!t) return t.error();
        p.transforms.push_back(std::move(*t));
    }
    if (!last_transform) return malformed("last transform not marked last");
    if (!body->empty()) return malformed("bytes after the last transform");
    return p;
}

}  // namespace

Result<SaPayload> parse_sa(ByteView data) {
    ByteReader r(data);
    SaPayload sa;
    bool last = false;
    while (!last) {
        if (sa.proposals.size() == kMaxProposals) return malformed("too many proposals");
        auto p = parse_proposal(r, last);
        if (!p) return p.error();
        // §3.3.1: the first Proposal Num is 1, each later one the same
        // (AH+ESP combination) or one more.
        const uint8_t want = sa.proposals.empty() ? 1 : sa.proposals.back().number;
        if (sa.proposals.empty() ? p->number != 1 : (p->number != want && p->number != want + 1)) {
            return malformed("Proposal Num " + std::to_string(p->number) + " out of sequence");
        }
        sa.proposals.push_back(std::move(*p));
    }
    if (!r.empty()) return malformed("bytes after the last proposal");
    return sa;
}

Result<Bytes> build_sa(const SaPayload& sa) {
    if (sa.proposals.empty()) return malformed("no proposals to build");
    ByteWriter w;
    for (size_t i = 0; i < sa.proposals.size(); ++i) {
        const Proposal& p = sa.proposals[i];
        if (p.transforms.empty() || p.transforms.size() > 255 || p.spi.size() > 255) {
            return malformed("proposal cannot be encoded");
        }
        const size_t start = w.size();
        w.u8(i + 1 == sa.proposals.size() ? kLastSubstructure : kMoreProposals).u8(0).u16(0);
        w.u8(p.number).u8(static_cast<uint8_t>(p.protocol)).u8(static_cast<uint8_t>(p.spi.size()));
        w.u8(static_cast<uint8_t>(p.transforms.size())).bytes(p.spi);
        for (size_t j = 0; j < p.transforms.size(); ++j) {
            const Transform& t = p.transforms[j];
            const size_t tstart = w.size();
            w.u8(j + 1 == p.transforms.size() ? kLastSubstructure : kMoreTransforms).u8(0).u16(0);
            w.u8(t.type).u8(0).u16(t.id);
            if (t.key_length) w.u16(0x8000 | kAttrKeyLength).u16(*t.key_length);
            for (const TransformAttribute& a : t.other_attributes) {
                if (a.type > 0x7fff || (!a.tv && a.value.size() > 0xffff)) return malformed("attribute cannot be encoded");
                w.u16(static_cast<uint16_t>((a.tv ? 0x8000 : 0) | a.type));
                if (a.tv) {
                    w.u16(a.tv_value);
                } else {
                    w.u16(static_cast<uint16_t>(a.value.size())).bytes(a.value);
                }
            }
            if (w.size() - tstart > 0xffff) return malformed("transform too long");
            w.patch_u16(tstart + 2, static_cast<uint16_t>(w.size() - tstart));
        }
        if (w.size() - start > 0xffff) return malformed("proposal too long");
        w.patch_u16(start + 2, static_cast<uint16_t>(w.size() - start));
    }
    return w.take();
}

}  // namespace lanyard::ike
