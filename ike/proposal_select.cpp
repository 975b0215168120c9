#include "ike/proposal_select.h"

#include <algorithm>
#include <optional>

#include "ike/transforms.h"

namespace lanyard::ike {
namespace {

bool same_transform(const Transform& a, const Transform& b) {
    return a.type == b.type && a.id == b.id && a.key_length == b.key_length && a.other_attributes.empty() &&
           b.other_attributes.empty();
}

std::vector<const Transform*> of_type(const Proposal& p, uint8_t type) {
    std::vector<const Transform*> out;
    for (const Transform& t : p.transforms) {
        if (t.type == type) out.push_back(&t);
    }
    return out;
}

std::optional<Proposal> match(const Proposal& ours, const Proposal& theirs, bool peer_order) {
    if (ours.protocol != theirs.protocol) return std::nullopt;
    Proposal chosen;
    chosen.number = theirs.number;
    chosen.protocol = theirs.protocol;
    chosen.spi = theirs.spi;
    for (uint8_t type = 1; type <= 5; ++type) {
        const auto mine = of_type(ours, type);
        const auto peer = of_type(theirs, type);
        if (mine.empty() && peer.empty()) continue;
        if (mine.empty()) {
            // An AEAD proposal may carry INTEG NONE (RFC 7296 §3.3); we omit it.
            if (type == static_cast<uint8_t>(TransformType::kInteg) &&
                std::any_of(peer.begin(), peer.end(), [](const Transform* t) { return t->id == 0; })) {
                continue;
            }
            return std::nullopt;
        }
        const auto& first = peer_order ? peer : mine;
        const auto& second = peer_order ? mine : peer;
        const Transform* pick = nullptr;
        for (const Transform* a : first) {
            for (const Transform* b : second) {
                if (same_transform(*a, *b)) {
                    pick = a;
                    break;
                }
            }
            if (pick != nullptr) break;
        }
        if (pick == nullptr) return std::nullopt;
        chosen.transforms.push_back(*pick);
    }
    if (chosen.transforms.empty()) return std::nullopt;
    return chosen;
}

}  // namespace

Result<Proposal> select_proposal(const std::vector<Proposal>& ours, const std::vector<Proposal>& offered,
                                 SelectOptions options) {
    if (options.prefer_peer_order) {
        for (const Proposal& theirs : offered) {
            for (const Proposal& mine : ours) {
                if (auto m = match(mine, theirs, true)) return *m;
            }
        }
    } else {
        for (const Proposal& mine : ours) {
            for (const Proposal& theirs : offered) {
                if (auto m = match(mine, theirs, false)) return *m;
            }
        }
    }
    return make_error(ErrorCode::kProtocol, "NO_PROPOSAL_CHOSEN: no configured proposal matches the " +
                                                std::to_string(offered.size()) + " offered");
}

bool proposal_was_offered(const std::vector<Proposal>& ours, const Proposal& chosen) {
    for (const Proposal& mine : ours) {
        if (mine.protocol != chosen.protocol || mine.number != chosen.number) continue;
        bool all = true;
        uint8_t seen_types = 0;
        for (const Transform& t : chosen.transforms) {
            const uint8_t bit = static_cast<uint8_t>(1u << (t.type & 7));
            if ((seen_types & bit) != 0) all = false;  // §2.7: one transform per type
            seen_types |= bit;
            if (std::none_of(mine.transforms.begin(), mine.transforms.end(),
                             [&](const Transform& x) { return same_transform(x, t); })) {
                all = false;
            }
        }
        if (all) return true;
    }
    return false;
}

}  // namespace lanyard::ike
