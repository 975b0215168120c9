// Cross-backend harness hook. The Makefile links one TLS backend per
// binary, so OpenSSL-against-mbedTLS runs as two unit-test binaries (one per
// build) talking over two FIFOs; tests/interop/test_tls_backends.sh starts
// them and compares the EAP-TLS key material they write. Without
// LANYARD_TLS_PIPE_PEER this case only says that it was not asked to run.
//
// LANYARD_TLS_PIPE_PEER=<client|server|server-cert>,<fifo in>,<fifo out>,<result file>
// Frames on the FIFOs: 4-byte big-endian length, then that many bytes of
// TLS records. Strict alternation, the client first; a side that is done
// sends an empty frame; a side that is done and receives one stops.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "common/hex.h"
#include "crypto/hash.h"
#include "tests/unit/test_support.h"
#include "tls/tls_engine.h"

using namespace lanyard;
using namespace lanyard::tls;
using lanyard::test::pki_path;

namespace {

constexpr int kMaxFrames = 64;
constexpr uint32_t kMaxFrame = 256 * 1024;

bool write_frame(std::FILE* out, const Bytes& data) {
    const uint8_t len[4] = {static_cast<uint8_t>(data.size() >> 24), static_cast<uint8_t>(data.size() >> 16),
                            static_cast<uint8_t>(data.size() >> 8), static_cast<uint8_t>(data.size())};
    return std::fwrite(len, 1, 4, out) == 4 && std::fwrite(data.data(), 1, data.size(), out) == data.size() &&
           std::fflush(out) == 0;
}

bool read_frame(std::FILE* in, Bytes& data) {
    uint8_t len[4];
    if (std::fread(len, 1, 4, in) != 4) return false;
    const uint32_t n = (uint32_t{len[0]} << 24) | (uint32_t{len[1]} << 16) | (uint32_t{len[2]} << 8) | len[3];
    if (n > kMaxFrame) return false;
    data.assign(n, 0);
    return std::fread(data.data(), 1, n, in) == n;
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i < 8 && start <= s.size(); ++i) {
        const size_t end = std::min(s.find(',', start), s.size());
        out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace

TEST_CASE("cross-backend pipe peer (run by tests/interop/test_tls_backends.sh)") {
    const char* spec = std::getenv("LANYARD_TLS_PIPE_PEER");
    if (spec == nullptr) {
        MESSAGE("not asked to run: LANYARD_TLS_PIPE_PEER is unset");
        return;
    }
    const auto args = split(spec);
    REQUIRE(args.size() == 4);
    const bool client = args[0] == "client";
    Config c;
    c.ca_file = pki_path("ca.pem");
    c.max_version = Version::kTls12;  // the mbedTLS backend's ceiling
    if (client) {
        c.role = Role::kClient;
        c.domain_suffix_match = "lanyard.test";
        c.cert_file = pki_path("client.pem");
        c.key_file = pki_path("client.key");
    } else {
        c.role = Role::kServer;
        c.cert_file = pki_path("server.pem");
        c.key_file = pki_path("server.key");
        c.require_peer_certificate = args[0] == "server-cert";
    }
    auto ctx = make_context(c);
    REQUIRE_MESSAGE(ctx.ok(), (ctx.ok() ? "" : ctx.error().to_string()));
    auto engine = (*ctx)->new_engine();
    REQUIRE(engine);
    // Open order avoids a FIFO deadlock: the client opens its output first.
    std::FILE* in = nullptr;
    std::FILE* out = nullptr;
    if (client) {
        out = std::fopen(args[2].c_str(), "wb");
        in = std::fopen(args[1].c_str(), "rb");
    } else {
        in = std::fopen(args[1].c_str(), "rb");
        out = std::fopen(args[2].c_str(), "wb");
    }
    REQUIRE(in != nullptr);
    REQUIRE(out != nullptr);
    auto done = [&] { return engine->state() != HandshakeState::kInProgress; };
    if (client) {
        REQUIRE(engine->start().ok());
        REQUIRE(write_frame(out, engine->take_output()));
    }
    Bytes frame;
    for (int i = 0; i < kMaxFrames && read_frame(in, frame); ++i) {
        if (frame.empty() && done()) break;
        if (!frame.empty()) (void)engine->feed(frame);
        const Bytes reply = engine->take_output();
        if (!write_frame(out, reply)) break;
        if (reply.empty() && done()) break;
    }
    std::fclose(in);
    std::fclose(out);
    std::ofstream result(args[3]);
    result << "backend=" << backend_name() << "\n";
    if (engine->state() == HandshakeState::kEstablished) {
        auto msk = engine->export_keying_material("client EAP encryption", ByteView(), false, 128);
        REQUIRE(msk.ok());
        result << "state=established\ncipher=" << engine->cipher_name() << "\n";
        // A digest of the 128-byte RFC 5216 key block: equal on both sides
        // or not, without writing the key itself anywhere.
        result << "key_sha256=" << to_hex(crypto::sha256(msk->view())) << "\n";
        result << "client_random=" << to_hex(engine->client_random()) << "\n";
    } else {
        result << "state=failed\nfailure=" << engine->failure() << "\n";
    }
    CHECK(engine->state() == HandshakeState::kEstablished);
}
