// libFuzzer target for the TLS seam of whichever backend is built
// (make fuzz TLS=openssl|mbedtls): arbitrary records into a server engine,
// into a client engine that has sent its ClientHello, and arbitrary bytes as
// a saved client session. Invariants: no crash, a failed engine has a
// reason and stays failed, nothing is exported before the handshake ends.
// Needs the test PKI (LANYARD_TEST_PKI or build/pki); without it the
// target does nothing.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "common/bytes.h"
#include "tls/tls_engine.h"

using namespace lanyard;
using namespace lanyard::tls;

namespace {

std::string pki(const char* file) {
    const char* dir = std::getenv("LANYARD_TEST_PKI");
    return std::string(dir != nullptr ? dir : "build/pki") + "/" + file;
}

Context* make(Role role) {
    Config c;
    c.role = role;
    c.ca_file = pki("ca.pem");
    if (role == Role::kServer) {
        c.cert_file = pki("server.pem");
        c.key_file = pki("server.key");
    }
    c.max_version = Version::kTls12;
    auto ctx = make_context(c);
    return ctx.ok() ? std::move(ctx).value().release() : nullptr;
}

void check_engine(Engine& e) {
    if (e.state() == HandshakeState::kFailed) {
        assert(!e.failure().empty());
        assert(!e.feed(Bytes{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28}).ok());
    }
    if (e.state() != HandshakeState::kEstablished) {
        assert(!e.export_keying_material("client EAP encryption", ByteView(), false, 64).ok());
    }
    (void)e.take_output();
    (void)e.take_application_data();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static Context* const server_ctx = make(Role::kServer);
    static Context* const client_ctx = make(Role::kClient);
    if (server_ctx == nullptr || client_ctx == nullptr || size == 0) return 0;
    const ByteView input(data, size);
    switch (data[0] % 3) {
        case 0: {
            auto server = server_ctx->new_engine();
            // Split the input in two feeds to exercise partial records.
            const size_t cut = size / 2;
            (void)server->feed(input.subspan(1, cut > 0 ? cut - 1 : 0));
            (void)server->feed(input.subspan(cut > 0 ? cut : 1));
            check_engine(*server);
            break;
        }
        case 1: {
            auto client = client_ctx->new_engine();
            if (!client->start().ok()) return 0;
            (void)client->take_output();
            (void)client->feed(input.subspan(1));
            check_engine(*client);
            break;
        }
        case 2: {
            auto client = client_ctx->new_engine();
            (void)client->set_resumption_session(input.subspan(1));
            (void)client->start();
            check_engine(*client);
            break;
        }
    }
    return 0;
}
