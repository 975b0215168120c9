// Test harness: a Lanyard initiator and a Lanyard responder (two
// IkeSaManagers) joined in memory, with a fake clock and deterministic
// randomness, so whole IKEv2 exchanges run in unit tests.
#pragma once

#include <functional>
#include <memory>

#include "ike/config_store.h"
#include "ike/ike_sa_manager.h"
#include "ike/transforms.h"
#include "tests/unit/test_support.h"

namespace lanyard::ike::testing {

inline std::shared_ptr<PeerConfig> psk_config(const std::string& name, const std::string& local_id,
                                              const std::string& remote_id, const std::string& ike = "aes128-sha256-x25519",
                                              const std::string& esp = "aes128gcm16") {
    auto c = std::make_shared<PeerConfig>();
    c->name = name;
    c->ike_proposals = parse_proposal_string(ike, ProtocolId::kIke).value();
    AuthRoundConfig l, r;
    l.id = parse_identity(local_id).value();
    r.id = parse_identity(remote_id).value();
    c->local.push_back(l);
    c->remote.push_back(r);
    ChildConfig child;
    child.name = name + "-child";
    child.esp_proposals = parse_proposal_string(esp, ProtocolId::kEsp).value();
    child.local_ts = parse_ts_list("dynamic").value();
    child.remote_ts = parse_ts_list("dynamic").value();
    c->children.push_back(child);
    return c;
}

// Credentials from the test PKI (LANYARD_TEST_PKI).
inline std::shared_ptr<const crypto::Certificate> cert(const std::string& f) {
    return std::make_shared<const crypto::Certificate>(crypto::Certificate::load_file(test::pki_path(f)).value());
}
inline std::shared_ptr<const crypto::PrivateKey> key(const std::string& f) {
    return std::make_shared<const crypto::PrivateKey>(crypto::PrivateKey::load_file(test::pki_path(f)).value());
}

struct Side {
    Side(uint64_t seed, const std::string& addr, uint16_t port, ManagerOptions options = {})
        : random(seed), installer(random), env{clock_ref(), random, installer, store, 4500, {}, Duration(30000), {}, {}},
          manager(env, options) {
        address = SocketAddress::parse(addr, port).value();
        nat_t = SocketAddress::parse(addr, 4500).value();
    }
    static FakeClock& clock_ref() {
        static FakeClock c;
        return c;
    }
    FakeRandom random;
    RecordingChildSaInstaller installer;
    ConfigStore store;
    IkeSaEnv env;
    IkeSaManager manager;
    SocketAddress address;
    SocketAddress nat_t;
};

struct Pair {
    explicit Pair(ManagerOptions responder_options = {}, uint64_t seed = 7)
        : i(seed, "192.0.2.1", 500), r(seed * 31 + 1, "192.0.2.2", 500, responder_options) {}
    FakeClock& clock() { return Side::clock_ref(); }
    Side i;
    Side r;
    // Optional tap on every datagram: return false to drop it; may edit it.
    std::function<bool(bool from_initiator, OutgoingDatagram&)> tap;
    size_t delivered = 0;

    uint32_t initiate(std::shared_ptr<const PeerConfig> cfg, std::optional<std::string> child) {
        IkePath p{i.address, r.address, false};
        return i.manager.initiate(std::move(cfg), p, std::move(child)).value();
    }

    // Moves datagrams until both sides are quiet (bounded).
    void pump(int max_rounds = 200) {
        for (int n = 0; n < max_rounds; ++n) {
            auto a = i.manager.take_output();
            auto b = r.manager.take_output();
            if (a.empty() && b.empty()) return;
            for (auto& d : a) {
                if (tap && !tap(true, d)) continue;
                ++delivered;
                IkePath in{d.path.remote, d.path.local, d.path.non_esp_marker};
                r.manager.handle_datagram(d.data, in);
            }
            for (auto& d : b) {
                if (tap && !tap(false, d)) continue;
                ++delivered;
                IkePath in{d.path.remote, d.path.local, d.path.non_esp_marker};
                i.manager.handle_datagram(d.data, in);
            }
        }
    }

    // Advances the clock and fires timers on both sides.
    void advance(Duration d) {
        clock().advance(d);
        i.manager.on_timer();
        r.manager.on_timer();
        pump();
    }

    IkeSa* only(Side& s) {
        auto v = s.manager.all();
        return v.size() == 1 ? v[0] : nullptr;
    }

    // Initiates `cfg` and moves datagrams until quiet: both sides hold one
    // established IKE_SA.
    bool up(std::shared_ptr<const PeerConfig> cfg, std::optional<std::string> child) {
        initiate(std::move(cfg), std::move(child));
        pump();
        IkeSa* a = only(i);
        IkeSa* b = only(r);
        return a && b && a->state() == IkeSaState::kEstablished && b->state() == IkeSaState::kEstablished;
    }
    bool neither_up() {
        for (IkeSa* sa : i.manager.all()) if (sa->state() == IkeSaState::kEstablished) return false;
        for (IkeSa* sa : r.manager.all()) if (sa->state() == IkeSaState::kEstablished) return false;
        return true;
    }
};

}  // namespace lanyard::ike::testing
