// libFuzzer: the input is the type data of an EAP-TLV (Type 33) packet, then,
// reused, a tunnelled PEAPv0 payload. parse_tlvs must return TLVs or an
// error and never read out of bounds; what it accepts must be consistent
// (a Crypto-Binding TLV is exactly 60 octets and verifies only with its MAC);
// the PEAPv0 decoders must rebuild a 4-octet header around the payload.
#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "methods/eap_packet.h"
#include "methods/eap_tlv.h"
#include "methods/peap_common.h"
#include "methods/peap_keys.h"

using namespace lanyard;
using namespace lanyard::eap;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ByteView input(data, size);
    auto tlvs = parse_tlvs(input);
    if (tlvs.ok() && tlvs->crypto_binding) {
        if (tlvs->crypto_binding->raw.size() != kCryptoBindingTlvLength) __builtin_trap();
        static const uint8_t kCmk[kPeapCmkLength] = {1};
        (void)peap_verify_crypto_binding(ByteView(kCmk, sizeof(kCmk)), *tlvs->crypto_binding);
    }
    for (uint8_t version : {kPeapVersion0, kPeapVersion1}) {
        auto peer = peap_peer_decode(input, version, 7);
        if (peer.ok()) {
            if (peer->size() < size) __builtin_trap();
            (void)parse_packet(*peer);
        }
        auto server = peap_server_decode(input, version, false, 7);
        if (server.ok()) {
            // PEAPv0 rebuilds the 4-octet header; v1 passes packets through.
            if (version == kPeapVersion0 && server->size() != size + kHeaderSize) __builtin_trap();
            (void)parse_packet(*server);
        }
        (void)peap_tunnel_encode(input, version);
    }
    return 0;
}
