#include "authenticator/radius_server_daemon.h"

#include <csignal>
#include <thread>

#include "common/log.h"

namespace lanyard::authenticator {

namespace {
constexpr const char* kLog = "radius-server";
// How often expired TLS sessions are swept from an in-process cache.
const Duration kSweepInterval = Duration(60000);
}  // namespace

RadiusServerDaemon::RadiusServerDaemon(EventLoop& loop, AuthenticatorSetup setup)
    : loop_(loop), setup_(std::move(setup)) {}

Result<std::unique_ptr<RadiusServerDaemon>> RadiusServerDaemon::create(EventLoop& loop, AuthenticatorSetup setup,
                                                                      RandomSource& random) {
    std::unique_ptr<RadiusServerDaemon> d(new RadiusServerDaemon(loop, std::move(setup)));
    const HostapdConfig& c = d->setup_.config;
    for (const config::Warning& w : d->setup_.warnings) LOG_WARN(kLog, "%s", w.to_string().c_str());
    const config::Site clients_site{c.file, c.line_of("radius_server_clients"), "radius_server_clients"};

    auto clients = radius::ClientTable::load(c.radius_server_clients);
    if (!clients) return clients_site.error(clients.error().detail);
    d->clients_ = std::move(*clients);
    if (d->clients_.size() == 0) return clients_site.error("'" + c.radius_server_clients + "' lists no client");

    auto tls = open_server_tls(d->setup_, loop.clock(), random);
    if (!tls) return tls.error();
    d->tls_ = std::move(*tls);
    // Only the workers' own contexts serve; the shared one is not needed.
    d->tls_.context.reset();

    auto local = SocketAddress::parse(c.radius_server_ipv6 ? "::" : "0.0.0.0", c.radius_server_auth_port);
    if (!local) return local.error();
    size_t count = c.radius_server_workers;
    if (count == 0) count = std::max(1u, std::thread::hardware_concurrency());

    // Signals first: the worker threads inherit the blocked mask, so
    // SIGTERM reaches the main loop's signalfd.
    for (int signo : {SIGTERM, SIGINT}) {
        LANYARD_TRY(loop.add_signal(signo, [&loop](int s) {
            LOG_INFO(kLog, "signal %d received: terminating", s);
            loop.stop();
        }));
    }
    LANYARD_TRY(loop.add_signal(SIGHUP, [](int) {
        LOG_WARN(kLog, "SIGHUP received: configuration reload is not implemented yet; ignored");
    }));

    RadiusServerWorker::Shared shared;
    shared.setup = &d->setup_;
    shared.clients = &d->clients_;
    shared.store = d->tls_.cache.get();
    shared.random = &random;
    shared.local = *local;
    shared.worker_count = count;
    for (size_t i = 0; i < count; ++i) {
        auto worker = RadiusServerWorker::create(i, shared);
        if (!worker) return worker.error();
        d->worker_ptrs_.push_back(worker->get());
        d->workers_.push_back(std::move(*worker));
    }
    if (d->tls_.cache) d->schedule_sweep();
    LOG_INFO(kLog, "RADIUS server listening on %s (%zu clients from %s, %zu workers, TLS session cache %s)",
             local->to_string().c_str(), d->clients_.size(), c.radius_server_clients.c_str(), count,
             d->tls_.cache ? d->tls_.cache->backend().name().c_str() : "off");
    return d;
}

RadiusServerDaemon::~RadiusServerDaemon() {
    stop_workers();
    if (sweep_timer_ != kNoTimer) loop_.cancel_timer(sweep_timer_);
    for (int signo : {SIGTERM, SIGINT, SIGHUP}) loop_.remove_signal(signo);
    if (!workers_.empty()) LOG_INFO(kLog, "%s", stats_line().c_str());
}

Status RadiusServerDaemon::run() {
    for (auto& w : workers_) w->start(&worker_ptrs_);
    Status st = loop_.run();
    stop_workers();
    return st;
}

void RadiusServerDaemon::stop_workers() {
    for (auto& w : workers_) w->stop_and_join();
}

std::string RadiusServerDaemon::stats_line() const {
    radius::EapRadiusServerStats s;
    uint64_t receive_errors = 0, handed = 0;
    std::string per_worker;
    for (const auto& w : workers_) {
        const radius::EapRadiusServerStats& ws = w->stats();
        s.requests += ws.requests;
        s.accepts += ws.accepts;
        s.rejects += ws.rejects;
        s.challenges += ws.challenges;
        s.duplicates_answered += ws.duplicates_answered;
        for (size_t i = 0; i < radius::kDropReasonCount; ++i) s.dropped[i] += ws.dropped[i];
        receive_errors += w->receive_errors();
        handed += w->handed_over();
        per_worker += (per_worker.empty() ? "" : ",") + std::to_string(ws.accepts);
    }
    std::string line = "RADIUS server stats: requests=" + std::to_string(s.requests) +
                       " accepts=" + std::to_string(s.accepts) + " rejects=" + std::to_string(s.rejects) +
                       " challenges=" + std::to_string(s.challenges) +
                       " duplicates=" + std::to_string(s.duplicates_answered) +
                       " dropped=" + std::to_string(s.dropped_total() + receive_errors);
    for (size_t i = 0; i < radius::kDropReasonCount; ++i) {
        if (s.dropped[i] == 0) continue;
        line += std::string(" [") + radius::drop_reason_name(static_cast<radius::DropReason>(i)) +
                "=" + std::to_string(s.dropped[i]) + "]";
    }
    if (receive_errors > 0) line += " [receive errors=" + std::to_string(receive_errors) + "]";
    line += " accepts_per_worker=" + per_worker + " handed_over=" + std::to_string(handed);
    if (tls_.cache) {
        const TlsSessionCacheStats c = tls_.cache->stats();
        line += " tls_cache: stored=" + std::to_string(c.stored) + " hits=" + std::to_string(c.hits) +
                " misses=" + std::to_string(c.misses) + " refused=" + std::to_string(c.refused) +
                " backend_errors=" + std::to_string(c.backend_errors);
    }
    return line;
}

void RadiusServerDaemon::schedule_sweep() {
    sweep_timer_ = loop_.add_timer(kSweepInterval, [this] {
        sweep_timer_ = kNoTimer;
        tls_.cache->expire();
        schedule_sweep();
    });
}

}  // namespace lanyard::authenticator
