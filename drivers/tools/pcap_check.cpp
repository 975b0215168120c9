// Writes a small capture of typical EAPOL frames through PcapWriter and a
// CaptureDriver over the memory link, for checking with tshark (no root
// needed). Not part of the build: drivers/tools/run_wired_netns_check.sh
// builds and runs it.
//
//   pcap_check OUT.pcap
#include <cstdio>

#include "common/hex.h"
#include "drivers/memory/memory_driver.h"
#include "drivers/pcap/capture_driver.h"

using namespace lanyard;

namespace {

struct Echo final : DriverListener {
    void on_eapol_frame(const MacAddress&, const MacAddress&, ByteView) override { ++frames; }
    int frames = 0;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT.pcap\n", argv[0]);
        return 2;
    }
    MemoryLink link;
    auto writer = PcapWriter::open(argv[1]);
    if (!writer) {
        std::fprintf(stderr, "%s\n", writer.error().to_string().c_str());
        return 1;
    }
    CaptureDriver supplicant(link.a(), std::move(*writer));
    Echo at_supplicant, at_authenticator;
    supplicant.set_listener(&at_supplicant);
    link.b().set_listener(&at_authenticator);
    const MacAddress authenticator = link.b().own_address();

    // Supplicant -> authenticator, recorded as sent.
    const Bytes start = *from_hex("01010000");
    // EAP-Response/Identity "user@example" (12 octets): EAP length 17.
    const Bytes response = *from_hex("02000011" "02010011" "01" "75736572406578616d706c65");
    const Bytes logoff = *from_hex("01020000");
    // Authenticator -> supplicant, recorded as received.
    const Bytes request = *from_hex("02000005" "0101000501");
    const Bytes success = *from_hex("02000004" "03010004");
    // EAPOL-Key, IEEE 802.11 descriptor (2), 4-way handshake message 1:
    // key info 0x008a, key length 16, replay counter 1, ANonce, zero
    // IV/RSC/reserved/MIC, key data length 0. Body 95 octets.
    Bytes key = *from_hex("0203005f" "02" "008a" "0010" "0000000000000001");
    for (int i = 0; i < 32; ++i) key.push_back(static_cast<uint8_t>(0xa0 + i));
    key.resize(key.size() + 16 + 8 + 8 + 16, 0);
    key.push_back(0);
    key.push_back(0);

    bool ok = supplicant.send_eapol(kPaeGroupAddress, start).ok();
    ok = ok && link.b().send_eapol(link.a().own_address(), request).ok();
    ok = ok && supplicant.send_eapol(authenticator, response).ok();
    ok = ok && link.b().send_eapol(link.a().own_address(), success).ok();
    ok = ok && link.b().send_eapol(link.a().own_address(), key).ok();
    ok = ok && supplicant.send_eapol(authenticator, logoff).ok();
    link.deliver_all();
    std::printf("wrote %llu frames to %s (supplicant heard %d, authenticator heard %d)\n",
                static_cast<unsigned long long>(supplicant.writer().frames_written()), argv[1],
                at_supplicant.frames, at_authenticator.frames);
    return ok && supplicant.writer().frames_written() == 6 ? 0 : 1;
}
