// libFuzzer target for EAP-MSCHAPv2 (methods/mschapv2_codec.h and the
// peer/server methods): the first input octet picks what the rest feeds.
//   0: the codec — header, Challenge/Response bodies; whatever parses must
//      rebuild to the same bytes.
//   1: the Success and Failure message parsers (RFC 2759 §5, §6); a parsed
//      Failure must format and parse back to the same fields.
//   2: a peer that has answered a Challenge gets the rest as a Request.
//   3: a server that has sent its Challenge gets the rest as a Response.
// Invariants: no crash, no read past the end, dropped input changes no state.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "common/random.h"
#include "methods/eap_mschapv2_peer.h"
#include "methods/eap_mschapv2_server.h"
#include "methods/mschapv2_codec.h"

using namespace lanyard;
using namespace lanyard::eap;

namespace {

void fuzz_codec(ByteView in) {
    auto h = mschapv2::parse_header(in);
    if (!h) return;
    if (h->data.size() + mschapv2::kHeaderSize != in.size()) std::abort();
    switch (h->op) {
        case mschapv2::OpCode::kChallenge: {
            auto c = mschapv2::parse_challenge(*h);
            if (c && !equal_bytes(mschapv2::build_challenge(c->ms_id, c->challenge, c->name), in)) std::abort();
            break;
        }
        case mschapv2::OpCode::kResponse: {
            auto r = mschapv2::parse_response(*h);
            if (!r) break;
            Bytes rebuilt = mschapv2::build_response(r->ms_id, r->peer_challenge, r->nt_response, r->name);
            if (rebuilt.size() != in.size()) std::abort();
            break;
        }
        case mschapv2::OpCode::kSuccess: (void)mschapv2::parse_success_message(to_string(h->data)); break;
        case mschapv2::OpCode::kFailure: (void)mschapv2::parse_failure_message(to_string(h->data)); break;
        case mschapv2::OpCode::kChangePassword: std::abort();  // parse_header refuses it
    }
}

void fuzz_messages(ByteView in) {
    const std::string text = to_string(in);
    auto s = mschapv2::parse_success_message(text);
    if (s.message.size() > text.size()) std::abort();
    auto f = mschapv2::parse_failure_message(text);
    if (!f) return;
    auto again = mschapv2::parse_failure_message(mschapv2::format_failure_message(*f));
    if (!again || again->error != f->error || again->retry != f->retry || again->challenge != f->challenge ||
        again->version != f->version || again->message != f->message) {
        std::abort();
    }
}

void fuzz_peer(ByteView in) {
    FakeRandom random(7);
    MschapV2Peer peer("user", SecretBytes(Bytes(16, 0x11)), random);
    const Bytes challenge = mschapv2::build_challenge(1, Bytes(16, 0x22), "srv");
    if (!peer.process(1, challenge)) return;  // no legacy provider: nothing to test
    auto r = peer.process(2, in);
    if (!r && (peer.state() != MethodState::kCont || peer.decision() != Decision::kFail)) std::abort();
    // Only a verified authenticator response may lead to success.
    if (peer.decision() == Decision::kUncondSucc && !peer.key_available()) std::abort();
}

void fuzz_server(ByteView in) {
    FakeRandom random(9);
    MschapV2Server server("user", SecretBytes(Bytes(16, 0x11)), random);
    if (!server.build_request(1)) return;
    auto st = server.process(in);
    if (!st && server.is_done()) std::abort();
    // A random Response must never authenticate.
    if (server.is_success()) std::abort();
    if (!server.is_done() && st) (void)server.build_request(2);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const ByteView in(data + 1, size - 1);
    switch (data[0] & 3) {
        case 0: fuzz_codec(in); break;
        case 1: fuzz_messages(in); break;
        case 2: fuzz_peer(in); break;
        case 3: fuzz_server(in); break;
    }
    return 0;
}
