#include "common/udp_socket.h"

#include <arpa/inet.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace lanyard {

namespace {

Error os_error(const std::string& what) { return Error{ErrorCode::kIo, what + ": " + std::strerror(errno)}; }

}  // namespace

Result<SocketAddress> SocketAddress::parse(const std::string& host, uint16_t port) {
    SocketAddress address;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address.storage_);
    if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        address.length_ = sizeof(sockaddr_in);
        return address;
    }
    address.storage_ = {};
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.storage_);
    if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        address.length_ = sizeof(sockaddr_in6);
        return address;
    }
    return make_error(ErrorCode::kConfig, "'" + host + "' is not an IPv4 or IPv6 address");
}

SocketAddress SocketAddress::from_sockaddr(const sockaddr_storage& storage, socklen_t length) {
    SocketAddress address;
    address.storage_ = storage;
    address.length_ = std::min<socklen_t>(length, sizeof(storage));
    return address;
}

uint16_t SocketAddress::port() const {
    if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
    if (family() == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
    return 0;
}

ByteView SocketAddress::address_octets() const {
    if (family() == AF_INET)
        return ByteView(reinterpret_cast<const uint8_t*>(&reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr), 4);
    if (family() == AF_INET6)
        return ByteView(reinterpret_cast<const uint8_t*>(&reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr),
                        16);
    return {};
}

std::string SocketAddress::host_string() const {
    char text[INET6_ADDRSTRLEN] = {};
    if (family() == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, text, sizeof(text));
    else if (family() == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, text, sizeof(text));
    else
        return "?";
    return text;
}

std::string SocketAddress::to_string() const {
    if (family() == AF_INET6) return "[" + host_string() + "]:" + std::to_string(port());
    return host_string() + ":" + std::to_string(port());
}

bool operator==(const SocketAddress& a, const SocketAddress& b) {
    const ByteView x = a.address_octets(), y = b.address_octets();
    return a.family() == b.family() && a.port() == b.port() && x.size() == y.size() &&
           std::memcmp(x.data(), y.data(), x.size()) == 0;
}

bool operator<(const SocketAddress& a, const SocketAddress& b) {
    if (a.family() != b.family()) return a.family() < b.family();
    const ByteView x = a.address_octets(), y = b.address_octets();
    const int c = std::memcmp(x.data(), y.data(), std::min(x.size(), y.size()));
    if (c != 0) return c < 0;
    return a.port() < b.port();
}

UdpSocket::~UdpSocket() {
    if (fd_ >= 0) ::close(fd_);
}

UdpSocket::UdpSocket(UdpSocket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

Result<UdpSocket> UdpSocket::bind(const SocketAddress& local, Options options) {
    const int fd = ::socket(local.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return os_error("socket");
    UdpSocket sock(fd);
    const int one = 1;
    if (options.reuse_port && ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0)
        return os_error("SO_REUSEPORT");
    if (options.receive_buffer > 0 &&
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &options.receive_buffer, sizeof(options.receive_buffer)) != 0)
        return os_error("SO_RCVBUF");
    if (::bind(fd, local.raw(), local.raw_length()) != 0) return os_error("bind " + local.to_string());
    return sock;
}

Result<UdpSocket> UdpSocket::connect(const SocketAddress& remote) {
    const int fd = ::socket(remote.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return os_error("socket");
    UdpSocket sock(fd);
    if (::connect(fd, remote.raw(), remote.raw_length()) != 0) return os_error("connect " + remote.to_string());
    return sock;
}

Status UdpSocket::send(ByteView datagram) {
    const ssize_t sent = ::send(fd_, datagram.data(), datagram.size(), MSG_NOSIGNAL);
    if (sent < 0) {
        last_errno_ = errno;
        return os_error("send");
    }
    if (static_cast<size_t>(sent) != datagram.size()) return make_error(ErrorCode::kIo, "send: short send");
    return ok_status();
}

Result<SocketAddress> UdpSocket::local_address() const {
    sockaddr_storage storage{};
    socklen_t length = sizeof(storage);
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return os_error("getsockname");
    return SocketAddress::from_sockaddr(storage, length);
}

Status UdpSocket::send_to(const SocketAddress& destination, ByteView datagram) {
    const ssize_t sent = ::sendto(fd_, datagram.data(), datagram.size(), MSG_NOSIGNAL, destination.raw(),
                                  destination.raw_length());
    if (sent < 0) {
        last_errno_ = errno;
        return os_error("sendto " + destination.to_string());
    }
    if (static_cast<size_t>(sent) != datagram.size())
        return make_error(ErrorCode::kIo, "sendto " + destination.to_string() + ": short send");
    return ok_status();
}

Result<std::optional<UdpSocket::Datagram>> UdpSocket::receive(uint8_t* buffer, size_t capacity) {
    sockaddr_storage storage{};
    socklen_t length = sizeof(storage);
    // MSG_TRUNC: the return value is the datagram's real length.
    const ssize_t got =
        ::recvfrom(fd_, buffer, capacity, MSG_TRUNC, reinterpret_cast<sockaddr*>(&storage), &length);
    if (got < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return std::optional<Datagram>{};
        last_errno_ = errno;
        return os_error("recvfrom");
    }
    if (static_cast<size_t>(got) > capacity)
        return make_error(ErrorCode::kTruncated, "datagram of " + std::to_string(got) + " octets exceeds " +
                                                     std::to_string(capacity));
    return std::optional<Datagram>{Datagram{SocketAddress::from_sockaddr(storage, length), static_cast<size_t>(got)}};
}

}  // namespace lanyard
