// Proposal selection (RFC 7296 §2.7, §3.3.6): pick one proposal from the
// peer's offer that one of ours matches, with one transform per type.
#pragma once

#include <vector>

#include "ike/payloads.h"

namespace lanyard::ike {

struct SelectOptions {
    // charon prefers its own configured order by default (strongswan.conf
    // charon.prefer_configured_proposals = yes): outer loop over our
    // proposals, and within a type our algorithm order. true flips both to
    // the peer's order.
    bool prefer_peer_order = false;
};

// The chosen proposal carries the peer's Proposal Num and SPI and exactly
// one transform of each type both sides named. A transform with an
// unknown attribute never matches (§3.3.6). No match is a kProtocol error
// whose detail starts with "NO_PROPOSAL_CHOSEN" (the caller sends that
// notify).
Result<Proposal> select_proposal(const std::vector<Proposal>& ours, const std::vector<Proposal>& offered,
                                 SelectOptions options = {});

// Whether a responder's chosen proposal is acceptable to the initiator that
// offered `ours`: every transform was offered by us in one proposal
// (§2.7: the responder must choose from the offer).
bool proposal_was_offered(const std::vector<Proposal>& ours, const Proposal& chosen);

}  // namespace lanyard::ike
