// libFuzzer target for the RADIUS codec (RFC 2865 §3, §5): parse; when the
// parse succeeds, re-serialize and require the same bytes (minus padding);
// run every verifier and the typed readers over the input, which must never
// crash; and sign/verify round trips must hold for whatever parsed.
#include <cstdint>
#include <cstdlib>

#include "radius/eap_message.h"
#include "radius/message_authenticator.h"
#include "radius/mppe_keys.h"
#include "radius/radius_attributes.h"
#include "radius/radius_packet.h"
#include "radius/response_classifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace lanyard;
    using namespace lanyard::radius;
    const ByteView input(data, size);
    const ByteView secret = as_bytes("fuzz-secret");
    Authenticator request_auth{};
    for (size_t i = 0; i < request_auth.size(); ++i) request_auth[i] = static_cast<uint8_t>(i);

    auto parsed = parse_packet(input);
    // Verifiers must fail cleanly on anything (they parse themselves).
    (void)verify_response(input, request_auth, secret);
    (void)verify_access_request(input, secret, true);
    (void)verify_accounting_request(input, secret);
    if (!parsed) return 0;

    auto bytes = serialize_packet(*parsed);
    if (!bytes) std::abort();  // whatever parsed must serialize
    const size_t length = (size_t(data[2]) << 8) | data[3];
    if (bytes->size() != length || !equal_bytes(*bytes, input.first(length))) std::abort();
    auto again = parse_packet(*bytes);
    if (!again || !(*again == *parsed)) std::abort();

    // Readers over whatever attributes arrived.
    (void)join_eap_message(*parsed);
    (void)get_integer(*parsed, attr::kSessionTimeout);
    (void)get_ipv4(*parsed, attr::kNasIpAddress);
    for (const auto* vsa : parsed->find_all(attr::kVendorSpecific)) (void)parse_vendor_specific(vsa->value);
    (void)extract_mppe_keys(*parsed, secret, request_auth);
    (void)classify_response(*parsed, request_auth, secret);
    if (const Attribute* pw = parsed->find(attr::kUserPassword)) (void)recover_user_password(pw->value, secret, request_auth);

    // Signing whatever parsed must produce something our verifiers accept.
    Packet response = *parsed;
    response.code = static_cast<uint8_t>(Code::kAccessChallenge);
    auto signed_response = encode_response(response, request_auth, secret);
    if (signed_response && !verify_response(*signed_response, request_auth, secret)) std::abort();
    Packet request = *parsed;
    request.code = static_cast<uint8_t>(Code::kAccessRequest);
    auto signed_request = encode_access_request(request, secret);
    if (signed_request && !verify_access_request(*signed_request, secret, true)) std::abort();
    return 0;
}
