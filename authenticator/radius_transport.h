// The RADIUS client on the event loop: one connected UDP socket per server
// of an ordered list (hostapd's auth_server_* or acct_server_* groups), the
// pure radius::RadiusClient deciding retransmissions and failover, and one
// timer for its deadlines. Each submitted request gets exactly one callback:
// the verified response, or an error when every attempt went unanswered.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "authenticator/hostapd_config.h"
#include "common/event_loop.h"
#include "common/random.h"
#include "common/udp_socket.h"
#include "radius/radius_client.h"

namespace lanyard::authenticator {

class RadiusTransport {
public:
    using Handler = std::function<void(Result<radius::RadiusClient::Response>)>;

    // label ("authentication", "accounting") names the list in logs. Fails
    // when a server address does not parse or a socket cannot be made.
    static Result<std::unique_ptr<RadiusTransport>> open(EventLoop& loop, const std::vector<RadiusServerConfig>& servers,
                                                         radius::RetransmitPolicy policy, RandomSource& random,
                                                         std::string label);
    ~RadiusTransport();
    RadiusTransport(const RadiusTransport&) = delete;
    RadiusTransport& operator=(const RadiusTransport&) = delete;

    // Sends the request to the current server. The handler may run from any
    // later loop callback (never from inside submit).
    Result<uint64_t> submit(radius::RequestKind kind, radius::Packet packet, Handler handler);
    // The caller no longer wants the answer (its station went away).
    void cancel(uint64_t token);

    const radius::ClientStats& stats() const { return client_.stats(); }
    size_t current_server() const { return client_.current_server(); }
    const std::string& server_name(size_t index) const { return names_.at(index); }
    // The secret of a server (to decrypt MS-MPPE keys of its answers).
    ByteView secret(size_t index) const { return client_.secret(index); }

private:
    RadiusTransport(EventLoop& loop, std::vector<SecretBytes> secrets, radius::RetransmitPolicy policy,
                    RandomSource& random, std::string label);
    // Reports a change of the current server once.
    void note_current_server();
    void send(size_t server, ByteView wire);
    void on_readable(size_t server);
    void on_timer();
    void rearm();
    void finish(uint64_t token, Result<radius::RadiusClient::Response> result);

    EventLoop& loop_;
    std::string label_;
    std::vector<std::string> names_;
    std::vector<UdpSocket> sockets_;
    radius::RadiusClient client_;
    std::map<uint64_t, Handler> handlers_;
    TimerId timer_ = kNoTimer;
    size_t logged_server_ = 0;  // for "failed over to" log lines
};

}  // namespace lanyard::authenticator
