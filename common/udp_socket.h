// A nonblocking UDP socket for the RADIUS client and server and the IKE
// gateway: IPv4 or IPv6 addresses as text plus port, datagrams in and out.
// It never blocks and never interprets what it carries; the caller watches
// fd() on its event loop.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <netinet/in.h>
#include <sys/socket.h>

#include "common/bytes.h"
#include "common/result.h"

namespace lanyard {

// A socket address (IPv4 or IPv6) that can be compared and printed.
class SocketAddress {
public:
    SocketAddress() = default;
    // "127.0.0.1", "::1", "0.0.0.0" and port; a name is not resolved.
    static Result<SocketAddress> parse(const std::string& host, uint16_t port);
    static SocketAddress from_sockaddr(const sockaddr_storage& storage, socklen_t length);

    const sockaddr* raw() const { return reinterpret_cast<const sockaddr*>(&storage_); }
    socklen_t raw_length() const { return length_; }
    int family() const { return storage_.ss_family; }
    uint16_t port() const;
    // The address octets: 4 for IPv4, 16 for IPv6 (IPv4-mapped IPv6 stays 16).
    ByteView address_octets() const;
    // "127.0.0.1:1812" / "[::1]:1812".
    std::string to_string() const;
    std::string host_string() const;

    friend bool operator==(const SocketAddress& a, const SocketAddress& b);
    friend bool operator<(const SocketAddress& a, const SocketAddress& b);

private:
    sockaddr_storage storage_{};
    socklen_t length_ = 0;
};

class UdpSocket {
public:
    UdpSocket() = default;
    ~UdpSocket();
    UdpSocket(UdpSocket&& other) noexcept;
    UdpSocket& operator=(UdpSocket&& other) noexcept;
    UdpSocket(const UdpSocket&) = delete;
    UdpSocket& operator=(const UdpSocket&) = delete;

    struct Options {
        bool reuse_port = false;      // SO_REUSEPORT: several sockets share one port
        int receive_buffer = 0;       // SO_RCVBUF when > 0
    };
    // Binds to local (port 0: the kernel chooses). Nonblocking, close-on-exec.
    static Result<UdpSocket> bind(const SocketAddress& local, Options options);
    static Result<UdpSocket> bind(const SocketAddress& local) { return bind(local, Options{}); }

    // A socket on an ephemeral port connected to `remote` (a RADIUS client's
    // per-server socket): only that peer's datagrams arrive, and an ICMP
    // port unreachable shows up as a refused send or receive.
    static Result<UdpSocket> connect(const SocketAddress& remote);

    int fd() const { return fd_; }
    // errno of the last failed call (ECONNREFUSED: the peer's port is closed).
    int last_errno() const { return last_errno_; }
    // The bound address (with the kernel's port when 0 was asked).
    Result<SocketAddress> local_address() const;

    Status send_to(const SocketAddress& destination, ByteView datagram);
    // On a connected socket.
    Status send(ByteView datagram);

    struct Datagram {
        SocketAddress source;
        size_t size = 0;  // octets written into the caller's buffer
    };
    // One datagram, or nullopt when nothing is waiting (EAGAIN). A datagram
    // larger than the buffer is truncated and reported as an error
    // (kTruncated) so the caller drops and counts it.
    Result<std::optional<Datagram>> receive(uint8_t* buffer, size_t capacity);

private:
    explicit UdpSocket(int fd) : fd_(fd) {}
    int fd_ = -1;
    int last_errno_ = 0;
};

}  // namespace lanyard
