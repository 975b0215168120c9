// One worker of the RADIUS server (issue 10): its own thread, event loop,
// UDP socket on the shared port (SO_REUSEPORT: the kernel spreads NASes over
// the workers), TLS context and EapRadiusServer; the TLS session store is
// shared by all. A conversation stays with the worker that holds its EAP
// state: the first octet of every State this worker issues is its index, and
// a request whose State names another worker is handed to that worker
// (which answers from the same shared port).
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "authenticator/authenticator_setup.h"
#include "common/event_loop.h"
#include "common/udp_socket.h"
#include "radius/client_table.h"
#include "radius/eap_radius_server.h"

namespace lanyard::authenticator {

class RadiusServerWorker {
public:
    struct Shared {
        const AuthenticatorSetup* setup = nullptr;
        const radius::ClientTable* clients = nullptr;
        tls::SessionStore* store = nullptr;  // may be null (no resumption)
        RandomSource* random = nullptr;
        SocketAddress local;
        size_t worker_count = 1;
    };

    // Opens the socket, the TLS context and the loop; the thread starts in start().
    static Result<std::unique_ptr<RadiusServerWorker>> create(size_t index, const Shared& shared);
    ~RadiusServerWorker();
    RadiusServerWorker(const RadiusServerWorker&) = delete;
    RadiusServerWorker& operator=(const RadiusServerWorker&) = delete;

    // peers: every worker, by index (including this one); must outlive the thread.
    void start(const std::vector<RadiusServerWorker*>* peers);
    // From another thread: stop the loop and wait for the thread.
    void stop_and_join();
    // From another worker's thread: a datagram that belongs here.
    void hand_over(Bytes datagram, const SocketAddress& source);

    // The bound address (the kernel's port when 0 was asked).
    Result<SocketAddress> local_address() const { return socket_.local_address(); }
    // Read after stop_and_join().
    const radius::EapRadiusServerStats& stats() const { return server_->stats(); }
    uint64_t handed_over() const { return handed_over_; }
    uint64_t received_from_peers() const { return received_from_peers_; }
    uint64_t receive_errors() const { return receive_errors_; }

private:
    RadiusServerWorker(size_t index, const Shared& shared);
    void on_readable();
    void on_wake();
    void handle(ByteView datagram, const SocketAddress& source);
    // The worker whose State the request carries, when it is another one.
    std::optional<size_t> owner_of(ByteView datagram) const;
    void schedule_housekeeping();

    size_t index_;
    Shared shared_;
    std::unique_ptr<EventLoop> loop_;
    std::unique_ptr<tls::Context> tls_;
    std::unique_ptr<radius::EapRadiusServer> server_;
    UdpSocket socket_;
    int wake_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::mutex inbox_mutex_;
    std::deque<std::pair<Bytes, SocketAddress>> inbox_;
    const std::vector<RadiusServerWorker*>* peers_ = nullptr;
    std::thread thread_;
    uint64_t handed_over_ = 0;
    uint64_t received_from_peers_ = 0;
    uint64_t receive_errors_ = 0;
    uint64_t inbox_overflows_ = 0;
};

}  // namespace lanyard::authenticator
