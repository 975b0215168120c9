// libFuzzer target for the key handshakes (IEEE 802.11-2020 §12.7.6/§12.7.7):
// the input is a sequence of EAPOL frames (each prefixed by one length
// octet) fed to a supplicant and an authenticator in mid-handshake, with
// time moving on. Neither may crash, install a key without a verified MIC
// (impossible without the PMK: no key may ever be installed), or leave its
// state machine in an inconsistent place.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "eapol/four_way_authenticator.h"
#include "eapol/four_way_supplicant.h"

using namespace lanyard;
using namespace lanyard::eapol;

namespace {

void require(bool condition) {
    if (!condition) std::abort();
}

class CountingInstaller final : public KeyInstaller {
public:
    Status install_key(const KeyInstallRequest&) override {
        ++installs;
        return ok_status();
    }
    Status remove_keys(const MacAddress&) override { return ok_status(); }
    int installs = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const MacAddress aa(MacAddress::Octets{2, 0, 0, 0, 0, 1});
    const MacAddress spa(MacAddress::Octets{2, 0, 0, 0, 1, 0});
    const Bytes rsn = build_rsn_element(RsnElement{}).value();
    const SecretBytes pmk(Bytes(32, 0x5a));
    FakeRandom random(3);
    CountingInstaller sta_keys, ap_keys;
    auto group = GroupKeyAuthority::create(kCipherCcmp128, kCipherBipCmac128, random).value();

    SupplicantHandshakeConfig sc;
    sc.own_address = spa;
    sc.authenticator_address = aa;
    sc.own_rsn_element = rsn;
    sc.authenticator_rsn_element = rsn;
    AuthenticatorHandshakeConfig ac;
    ac.own_address = aa;
    ac.station_address = spa;
    ac.own_rsn_element = rsn;
    ac.station_rsn_element = rsn;
    ac.mfp = (size % 2) == 0;
    size_t sent = 0;
    HandshakeCallbacks callbacks{[&sent](ByteView) { ++sent; }, [](const HandshakeEvent&) {}};
    FourWayHandshakeSupplicant supplicant(sc, callbacks, sta_keys, random);
    FourWayHandshakeAuthenticator authenticator(ac, callbacks, ap_keys, random, group);
    supplicant.set_pmk(pmk);
    TimePoint now{};
    authenticator.start(pmk, now);

    ByteReader reader(ByteView(data, size));
    for (int frames = 0; frames < 64 && !reader.empty(); ++frames) {
        auto length = reader.u8();
        auto frame = reader.bytes(std::min<size_t>(*length, reader.remaining()));
        now += Duration(400);
        supplicant.receive(*frame);
        authenticator.receive(*frame, now);
        authenticator.tick(now);
    }
    // Frames from the input cannot carry a valid MIC for a PTK derived from
    // the machines' own nonces (only a 2^-128 chance), so nothing is installed
    // by the authenticator; the supplicant installs only after a verified message 3.
    require(ap_keys.installs == 0);
    require(sta_keys.installs == 0);
    require(authenticator.counters().retransmissions <= 3);
    require(sent <= 4 + 64);
    return 0;
}
