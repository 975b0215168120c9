#include "ike/fragmentation.h"

#include <string>

#include "common/log.h"

namespace lanyard::ike {

size_t FragmentSizing::ike_budget() const {
    const size_t overhead = (ipv6 ? 40 : 20) + 8 + (non_esp_marker ? kNonEspMarkerSize : 0);
    return fragment_size > overhead ? fragment_size - overhead : 0;
}

Result<std::vector<Bytes>> build_fragmented_message(IkeHeader header, const std::vector<Payload>& inner,
                                                    const SkCipher& cipher, RandomSource& random,
                                                    FragmentSizing sizing) {
    auto chain = build_payload_chain(inner);
    if (!chain) return chain.error();
    constexpr size_t kSkfHeader = kGenericPayloadHeaderSize + 4;  // + Fragment Number, Total Fragments
    const size_t budget = sizing.ike_budget();
    if (budget <= kIkeHeaderSize + kSkfHeader) return make_error(ErrorCode::kConfig, "fragment size too small");
    const size_t chunk = cipher.max_plaintext(budget - kIkeHeaderSize - kSkfHeader);
    if (chunk == 0) return make_error(ErrorCode::kConfig, "fragment size leaves no room for data");
    const size_t count = chain->empty() ? 1 : (chain->size() + chunk - 1) / chunk;
    if (count > 0xffff) return make_error(ErrorCode::kLimit, "more than 65535 fragments");
    std::vector<Bytes> out;
    for (size_t i = 0; i < count; ++i) {
        const size_t off = i * chunk;
        const ByteView piece = ByteView(*chain).subspan(off, std::min(chunk, chain->size() - off));
        const size_t sealed = cipher.sealed_size(piece.size());
        IkeHeader h = header;
        h.next_payload = static_cast<uint8_t>(PayloadType::kEncryptedFragment);
        h.length = static_cast<uint32_t>(kIkeHeaderSize + kSkfHeader + sealed);
        ByteWriter w(h.length);
        write_ike_header(w, h);
        const uint8_t next = i == 0 && !inner.empty() ? inner.front().type : 0;
        write_generic_header(w, next, false, static_cast<uint16_t>(kSkfHeader + sealed));
        w.u16(static_cast<uint16_t>(i + 1)).u16(static_cast<uint16_t>(count));
        // RFC 7383 §2.5: AAD runs from the IKE header to the end of the
        // Fragment Number / Total Fragments fields.
        auto body = cipher.seal(w.view(), piece, random);
        if (!body) return body.error();
        w.bytes(*body);
        out.push_back(w.take());
    }
    secure_wipe(chain->data(), chain->size());
    return out;
}

void FragmentReassembler::reset() {
    message_id_.reset();
    total_ = 0;
    first_inner_ = 0;
    stored_bytes_ = 0;
    fragments_.clear();
    completed_.reset();
}

Result<FragmentReassembler::Outcome> FragmentReassembler::add(ByteView raw, const Message& parsed,
                                                              const SkCipher& cipher) {
    if (parsed.payloads.empty() || parsed.payloads.back().get<EncryptedFragmentPayload>() == nullptr) {
        return make_error(ErrorCode::kProtocol, "not an SKF message");
    }
    const auto& frag = *parsed.payloads.back().get<EncryptedFragmentPayload>();
    // Cheap checks before the crypto.
    if (frag.total_fragments > limits_.max_fragments) {
        return make_error(ErrorCode::kLimit, "Total Fragments " + std::to_string(frag.total_fragments) + " over limit");
    }
    auto plain = open_last_encrypted_payload(raw, parsed, cipher);
    if (!plain) return plain.error();
    return add_opened(parsed.header.message_id, frag, std::move(*plain));
}

Result<FragmentReassembler::Outcome> FragmentReassembler::add_opened(uint32_t message_id,
                                                                     const EncryptedFragmentPayload& frag,
                                                                     SecretBytes plaintext) {
    if (frag.fragment_number == 0 || frag.fragment_number > frag.total_fragments) {
        return make_error(ErrorCode::kMalformed, "Fragment Number outside 1..Total Fragments");
    }
    if (frag.total_fragments > limits_.max_fragments) {
        return make_error(ErrorCode::kLimit, "Total Fragments " + std::to_string(frag.total_fragments) + " over limit");
    }
    if (message_id_ && *message_id_ != message_id) {
        return make_error(ErrorCode::kProtocol, "fragment of another Message ID");
    }
    if (completed_) return Outcome::kDuplicate;
    if (frag.total_fragments < total_) {
        LOG_DEBUG("ike", "fragment %u/%u stale (reassembling %u)", frag.fragment_number, frag.total_fragments, total_);
        return Outcome::kStale;
    }
    if (frag.total_fragments > total_) {
        // RFC 7383 §2.6: a higher Total Fragments means the sender
        // re-fragmented (e.g. after PMTU discovery): start over.
        if (total_ != 0) LOG_DEBUG("ike", "Total Fragments %u > %u: restarting reassembly", frag.total_fragments, total_);
        fragments_.clear();
        stored_bytes_ = 0;
        first_inner_ = 0;
        total_ = frag.total_fragments;
    }
    message_id_ = message_id;
    if (fragments_.count(frag.fragment_number) != 0) return Outcome::kDuplicate;
    if (stored_bytes_ + plaintext.size() > limits_.max_total_size) {
        return make_error(ErrorCode::kLimit, "reassembled message over " + std::to_string(limits_.max_total_size) + " octets");
    }
    if (frag.fragment_number == 1) first_inner_ = frag.first_inner;
    stored_bytes_ += plaintext.size();
    fragments_.emplace(frag.fragment_number, std::move(plaintext));
    if (fragments_.size() < total_) return Outcome::kStored;
    Completed done;
    done.first_inner = first_inner_;
    for (const auto& [n, piece] : fragments_) done.plaintext.append(piece.view());
    completed_ = std::move(done);
    fragments_.clear();
    stored_bytes_ = 0;
    return Outcome::kComplete;
}

Result<std::vector<Payload>> FragmentReassembler::completed_payloads(ChainDiagnostics* diag) const {
    if (!completed_) return make_error(ErrorCode::kInternal, "reassembly not complete");
    return parse_inner_payloads(completed_->first_inner, completed_->plaintext.view(), diag);
}

}  // namespace lanyard::ike
