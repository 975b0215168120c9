// lanyard-eapol-test's pure helpers: the command line (eapol_test's options
// and the load generator's), server lists, the MPPE key check, latency
// percentiles, station MACs and the verdict lines.
#include <doctest/doctest.h>

#include "tools/eapol_test/eapol_test_options.h"
#include "tools/eapol_test/latency_stats.h"
#include "tools/eapol_test/load_runner.h"
#include "tools/eapol_test/mppe_check.h"
#include "tools/eapol_test/summary.h"

using namespace lanyard;
using namespace lanyard::eapol_test;

TEST_CASE("eapol_test options: eapol_test's defaults and short options, attached or separate") {
    auto o = parse_options({"-c", "x.conf"});
    REQUIRE(o.ok());
    CHECK(o->server == "127.0.0.1");
    CHECK(o->port == 1812);
    CHECK(o->secret == "radius");
    CHECK(o->timeout_seconds == 30);
    CHECK(o->reauths == 0);
    CHECK(o->station.to_string() == "02:00:00:00:00:01");
    CHECK_FALSE(o->load_mode());
    CHECK(o->total_authentications() == 1);
    CHECK(o->stations() == 1);

    auto p = parse_options({"-cx.conf", "-a10.0.0.2", "-p", "18120", "-stesting123", "-r2", "-t", "5", "-n",
                            "-M", "02:aa:bb:cc:dd:ee", "-C", "CONNECT 1Gbps"});
    REQUIRE(p.ok());
    CHECK(p->config_file == "x.conf");
    CHECK(p->server == "10.0.0.2");
    CHECK(p->port == 18120);
    CHECK(p->secret == "testing123");
    CHECK(p->reauths == 2);
    CHECK(p->timeout_seconds == 5);
    CHECK(p->no_mppe_keys);
    CHECK(p->station.to_string() == "02:aa:bb:cc:dd:ee");
    CHECK(p->connect_info == "CONNECT 1Gbps");
    CHECK(p->total_authentications() == 3);
    REQUIRE(p->effective_servers().size() == 1);
    CHECK(p->effective_servers()[0] == ServerAddress{"10.0.0.2", 18120});
}

TEST_CASE("eapol_test options: malformed values and unknown options are errors") {
    CHECK_FALSE(parse_options({}).ok());  // -c is required
    CHECK(parse_options({"-h"}).ok());
    CHECK(parse_options({"-v"}).ok());
    CHECK_FALSE(parse_options({"-c", "x", "-p", "0"}).ok());
    CHECK_FALSE(parse_options({"-c", "x", "-p", "65536"}).ok());
    CHECK_FALSE(parse_options({"-c", "x", "-p", "12a"}).ok());
    CHECK_FALSE(parse_options({"-c", "x", "-r", "-1"}).ok());
    CHECK_FALSE(parse_options({"-c", "x", "-t", ""}).ok());
    CHECK_FALSE(parse_options({"-c", "x", "-M", "02:00:00:00:00"}).ok());
    CHECK_FALSE(parse_options({"-c", "x", "-N", "1:s:x"}).ok());  // not supported: said so, not ignored
    CHECK_FALSE(parse_options({"-c", "x", "--concurrency", "0"}).ok());
    CHECK_FALSE(parse_options({"-c", "x", "--stations-per-socket", "256"}).ok());
    CHECK_FALSE(parse_options({"-c", "x", "extra"}).ok());
    CHECK_FALSE(parse_options({"-c"}).ok());
}

TEST_CASE("eapol_test options: load-generator options select load mode") {
    auto o = parse_options({"-c", "x", "--concurrency", "16", "--count=1000", "--no-resume", "--warmup"});
    REQUIRE(o.ok());
    CHECK(o->load_mode());
    CHECK(o->stations() == 16);
    CHECK(o->total_authentications() == 1000);
    CHECK(o->no_resume);
    CHECK(o->warmup);
    auto small = parse_options({"-c", "x", "--concurrency", "16", "--count", "3"});
    REQUIRE(small.ok());
    CHECK(small->stations() == 3);  // never more stations than authentications
    CHECK(parse_options({"-c", "x", "--servers", "127.0.0.1:1"})->load_mode());
}

TEST_CASE("eapol_test options: --servers lists, IPv6 in brackets, default port") {
    auto l = parse_server_list("127.0.0.1:1812,[::1]:1813,10.0.0.1,::1");
    REQUIRE(l.ok());
    REQUIRE(l->size() == 4);
    CHECK((*l)[0] == ServerAddress{"127.0.0.1", 1812});
    CHECK((*l)[1] == ServerAddress{"::1", 1813});
    CHECK((*l)[2] == ServerAddress{"10.0.0.1", 1812});
    CHECK((*l)[3] == ServerAddress{"::1", 1812});
    for (const char* bad : {"", ",", "a:1,", "a:", ":1", "[::1", "[]:1", "[::1]x", "[::1]:", "a:99999", "a:0"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_server_list(bad).ok());
    }
    std::string many;
    for (int i = 0; i < 65; ++i) many += (i ? "," : "") + std::string("127.0.0.1");
    CHECK_FALSE(parse_server_list(many).ok());
}

TEST_CASE("eapol_test MPPE check follows eapol_test's compare rules") {
    SecretBytes msk(64);
    for (size_t i = 0; i < 64; ++i) msk.data()[i] = uint8_t(i);
    std::optional<SecretBytes> same = msk;
    SecretBytes other_bytes = msk;
    other_bytes.data()[63] ^= 0x80;
    std::optional<SecretBytes> other = other_bytes;
    CHECK(check_mppe_keys(true, same, &msk, false) == KeyCheck::kOk);
    CHECK(check_mppe_keys(true, same, &msk, true) == KeyCheck::kOkUncounted);
    CHECK(check_mppe_keys(true, other, &msk, false) == KeyCheck::kMismatch);
    CHECK(check_mppe_keys(true, other, &msk, true) == KeyCheck::kMismatch);
    CHECK(check_mppe_keys(false, same, &msk, false) == KeyCheck::kMismatch);
    CHECK(check_mppe_keys(true, std::nullopt, &msk, false) == KeyCheck::kMismatch);
    CHECK(check_mppe_keys(true, std::nullopt, &msk, true) == KeyCheck::kOkUncounted);
    CHECK(check_mppe_keys(true, same, nullptr, false) == KeyCheck::kMismatch);
    CHECK(check_mppe_keys(true, std::nullopt, nullptr, true) == KeyCheck::kOkUncounted);
    CHECK(check_mppe_keys(false, std::nullopt, nullptr, true) == KeyCheck::kMismatch);
    std::optional<SecretBytes> short_key = SecretBytes(msk.first(16));  // shorter than one PMK
    CHECK(check_mppe_keys(true, short_key, &msk, false) == KeyCheck::kMismatch);
}

TEST_CASE("eapol_test latency: nearest-rank percentiles") {
    CHECK(percentile_of_sorted({}, 50) == 0);
    CHECK(percentile_of_sorted({7}, 99) == 7);
    std::vector<uint64_t> v;
    for (uint64_t i = 1; i <= 100; ++i) v.push_back(i);
    CHECK(percentile_of_sorted(v, 50) == 50);
    CHECK(percentile_of_sorted(v, 99) == 99);
    CHECK(percentile_of_sorted(v, 100) == 100);
    CHECK(percentile_of_sorted(v, 0) == 1);
    CHECK(percentile_of_sorted({1, 2, 3}, 50) == 2);
    LatencyRecorder r;
    CHECK(r.summary().count == 0);
    for (uint64_t x : {500u, 100u, 300u, 200u, 400u}) r.add(x);
    LatencySummary s = r.summary();
    CHECK(s.count == 5);
    CHECK(s.p50_us == 300);
    CHECK(s.p99_us == 500);
    CHECK(s.max_us == 500);
    CHECK(s.mean_us == 300);
}

TEST_CASE("eapol_test station MACs count up in the low 24 bits") {
    const MacAddress base({0x02, 0, 0, 0, 0, 0x01});
    CHECK(station_mac(base, 0) == base);
    CHECK(station_mac(base, 1).to_string() == "02:00:00:00:00:02");
    CHECK(station_mac(base, 0x100).to_string() == "02:00:00:00:01:01");
    CHECK(station_mac(MacAddress({0x02, 1, 2, 0xff, 0xff, 0xff}), 1).to_string() == "02:01:02:00:00:00");
}

TEST_CASE("eapol_test verdict: SUCCESS only with every authentication accepted and no mismatch") {
    RunStats s;
    s.accepted = 3;
    s.mppe_ok = 3;
    CHECK(run_succeeded(s, 3));
    CHECK(exit_status(s, 3, false) == 0);
    CHECK(closing_lines(s, 3) == "MPPE keys OK: 3  mismatch: 0\nSUCCESS\n");
    CHECK_FALSE(run_succeeded(s, 4));           // one missing
    CHECK(exit_status(s, 4, true) == 254);
    s.mppe_mismatch = 1;
    s.accepted = 2;
    s.rejected = 1;
    CHECK_FALSE(run_succeeded(s, 3));
    CHECK(exit_status(s, 3, false) == 252);
    CHECK(closing_lines(s, 3) == "MPPE keys OK: 3  mismatch: 1\nFAILURE\n");
}
