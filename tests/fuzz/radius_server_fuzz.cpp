// libFuzzer target for the RADIUS server (radius/eap_radius_server.h): the
// input is fed raw (every drop path), and, when it parses, re-signed with
// the client's secret so that its EAP-Message and State reach the session
// logic and the EAP engine. One server lives across inputs, so sessions,
// duplicates and bounds are exercised over sequences. It must never crash
// and never hold more sessions than its bound.
#include <cstdint>
#include <cstdlib>

#include "common/clock.h"
#include "common/random.h"
#include "methods/eap_config.h"
#include "radius/client_table.h"
#include "radius/eap_radius_server.h"
#include "radius/message_authenticator.h"
#include "radius/radius_packet.h"

namespace {
using namespace lanyard;

struct World {
    radius::ClientTable clients = *radius::ClientTable::parse("127.0.0.1 fuzz-secret\n", "fuzz");
    eap::VectorUserDatabase users{[] {
        eap::UserRecord u;
        u.identity = "alice";
        u.methods = {eap::Type::kMd5Challenge};
        u.password = SecretBytes(as_bytes("pw"));
        return std::vector<eap::UserRecord>{u};
    }()};
    FakeRandom random{1};
    FakeClock clock;
    std::unique_ptr<radius::EapRadiusServer> server;
    World() {
        eap::ServerEnvironment env;
        env.users = &users;
        env.random = &random;
        radius::EapRadiusServerConfig config;
        config.max_sessions = 64;
        config.max_sessions_per_client = 32;
        server = std::make_unique<radius::EapRadiusServer>(clients, env, random, config);
    }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static World world;
    const radius::IpAddress nas = radius::IpAddress::v4({127, 0, 0, 1});
    const ByteView input(data, size);
    world.clock.advance(Duration(100));
    (void)world.server->handle(input, nas, 1000, world.clock.now());

    auto parsed = radius::parse_packet(input);
    if (parsed) {
        parsed->code = static_cast<uint8_t>(radius::Code::kAccessRequest);
        auto signed_wire = radius::encode_access_request(*parsed, as_bytes("fuzz-secret"));
        if (signed_wire) (void)world.server->handle(*signed_wire, nas, 1001, world.clock.now());
    }
    if (world.server->session_count() > 64) std::abort();
    if (size > 0 && data[0] == 0xff) world.server->expire(world.clock.now() + seconds(60));
    return 0;
}
