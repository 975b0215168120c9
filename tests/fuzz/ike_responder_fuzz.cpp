// libFuzzer: arbitrary datagrams into a Lanyard IKE responder that holds one
// established IKE_SA (set up in memory with a Lanyard initiator). Besides
// crashes, it checks the rule that unauthenticated input never changes an
// established SA: its state, Message IDs, peer address and CHILD_SAs stay.
// The first input byte picks the variant: as is, with the SA's SPIs
// patched into the header, or as a request with the expected Message ID.
#include <cstdlib>

#include "tests/unit/ike_sa_pair.h"

using namespace lanyard;
using namespace lanyard::ike;
using namespace lanyard::ike::testing;

namespace {

struct World {
    Pair pair;
    IkeSa* sa = nullptr;
    World() {
        auto carol = psk_config("home", "carol@example.org", "moon.example.org");
        auto moon = psk_config("rw", "moon.example.org", "%any");
        carol->fragment_size = 300;
        moon->fragment_size = 300;
        pair.i.store.add_connection(carol);
        pair.r.store.add_connection(moon);
        SharedSecret s{{parse_identity("carol@example.org").value()}, SecretBytes(as_bytes("k"))};
        pair.i.store.add_secret(s);
        pair.r.store.add_secret(std::move(s));
        pair.initiate(carol, "home-child");
        pair.pump();
        sa = pair.only(pair.r);
        if (sa == nullptr || sa->state() != IkeSaState::kEstablished) std::abort();
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static World w;
    if (size < 1) return 0;
    const uint8_t mode = data[0] % 3;
    Bytes msg(data + 1, data + size);
    IkeSa* sa = w.sa;
    if (mode >= 1 && msg.size() >= kIkeHeaderSize) {
        ByteWriter spis;
        spis.u64(sa->spi_i()).u64(sa->spi_r());
        std::copy(spis.view().begin(), spis.view().end(), msg.begin());
        msg[19] = static_cast<uint8_t>((msg[19] & ~kFlagResponse) | kFlagInitiator);
        if (mode == 2) {
            const uint32_t mid = sa->peer_next_message_id();
            msg[20] = uint8_t(mid >> 24);
            msg[21] = uint8_t(mid >> 16);
            msg[22] = uint8_t(mid >> 8);
            msg[23] = uint8_t(mid);
        }
    }
    const auto state = sa->state();
    const uint32_t mid = sa->peer_next_message_id();
    const size_t children = sa->children().size();
    const SocketAddress remote = sa->path().remote;
    IkePath from{w.pair.r.address, SocketAddress::parse("203.0.113.7", 4500).value(), true};
    w.pair.r.manager.handle_datagram(msg, from);
    (void)w.pair.r.manager.take_output();
    if (w.pair.only(w.pair.r) != sa && w.pair.r.manager.find_by_unique_id(sa->unique_id()) != sa) std::abort();
    if (sa->state() != state || sa->peer_next_message_id() != mid || sa->children().size() != children ||
        !(sa->path().remote == remote)) {
        std::abort();
    }
    // Fuzzed IKE_SA_INITs make half-open SAs: beyond the cookie threshold
    // (10) the manager answers with COOKIEs and keeps no state.
    return 0;
}
