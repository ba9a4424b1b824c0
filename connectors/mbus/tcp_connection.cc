// SPDX-License-Identifier: Apache-2.0
// Non-blocking socket plus poll(2): every wait also watches an eventfd, so cancel() ends it.
#include "connectors/mbus/tcp_connection.h"

#include <array>
#include <cerrno>
#include <string>
#include <system_error>

#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace passerelle::connectors::mbus {
namespace {

std::string os_message(int error) {
    return std::system_category().message(error);  // unlike strerror, safe on any thread
}

// poll(2) takes whole milliseconds: round up, so that a wait never ends before its deadline.
int milliseconds_until(SteadyTime deadline) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) {
        return 0;
    }
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return ms > 60'000 ? 60'000 : static_cast<int>(ms);
}

Error cancelled_error() {
    return make_error("mbus.cancelled", "stopped");
}

}  // namespace

TcpConnection::TcpConnection() : cancel_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    // Without an eventfd (descriptors exhausted) cancel() still works, between waits only.
}

TcpConnection::~TcpConnection() {
    close();
    if (cancel_fd_ >= 0) {
        ::close(cancel_fd_);
    }
}

void TcpConnection::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

void TcpConnection::fail(std::string why) {
    last_error_ = std::move(why);
    close();
}

void TcpConnection::cancel() {
    cancelled_.store(true);
    if (cancel_fd_ >= 0) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t written = ::write(cancel_fd_, &one, sizeof one);
    }
}

IoStatus TcpConnection::wait_for(int fd, short events, SteadyTime deadline) {
    for (;;) {
        if (cancelled_.load()) {
            return IoStatus::Cancelled;
        }
        std::array<pollfd, 2> fds{};
        fds[0] = {fd, events, 0};  // poll ignores a negative descriptor: pause_until()
        fds[1] = {cancel_fd_, POLLIN, 0};
        const int ready = ::poll(fds.data(), fds.size(), milliseconds_until(deadline));
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail(os_message(errno));
            return IoStatus::Closed;
        }
        if (fds[1].revents != 0 || cancelled_.load()) {
            return IoStatus::Cancelled;
        }
        // Errors and hang-ups count as ready: the read or write that follows says which.
        if ((fds[0].revents & (events | POLLERR | POLLHUP | POLLNVAL)) != 0) {
            return IoStatus::Ok;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return IoStatus::Timeout;
        }
    }
}

Status TcpConnection::open(const std::string& host, std::uint16_t port, SteadyTime deadline) {
    close();
    if (cancelled_.load()) {
        return cancelled_error();
    }
    const std::string where = fmt::format("{}:{}", host, port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
        const std::string why = rc == EAI_SYSTEM ? os_message(errno) : ::gai_strerror(rc);
        return make_error("mbus.connect", fmt::format("cannot connect to {}: {}", where, why));
    }
    std::string why = "no address";
    for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
        fd_ = ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                       address->ai_protocol);
        if (fd_ < 0) {
            why = os_message(errno);
            continue;
        }
        int error = 0;
        if (::connect(fd_, address->ai_addr, address->ai_addrlen) != 0) {
            error = errno;
        }
        if (error == EINPROGRESS) {
            const IoStatus status = wait_for(fd_, POLLOUT, deadline);
            if (status == IoStatus::Cancelled) {
                close();
                ::freeaddrinfo(found);
                return cancelled_error();
            }
            if (status == IoStatus::Timeout) {
                close();
                why = "no answer within the timeout";
                break;  // the deadline is spent for the other addresses too
            }
            if (status == IoStatus::Closed) {  // poll(2) itself failed; fail() closed the socket
                why = last_error_;
                continue;
            }
            socklen_t size = sizeof error;
            if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &size) != 0) {
                error = errno;
            }
        }
        if (error == 0) {
            // Requests are a few bytes each, and the slave waits for all of them.
            const int on = 1;
            ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
            ::freeaddrinfo(found);
            last_error_.clear();
            return Ok{};
        }
        why = os_message(error);
        close();
    }
    ::freeaddrinfo(found);
    return make_error("mbus.connect", fmt::format("cannot connect to {}: {}", where, why));
}

IoStatus TcpConnection::write_all(std::span<const std::uint8_t> bytes, SteadyTime deadline) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        if (fd_ < 0) {
            return IoStatus::Closed;
        }
        const ssize_t sent =
            ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent > 0) {
            done += static_cast<std::size_t>(sent);
            continue;
        }
        if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            fail(os_message(errno));
            return IoStatus::Closed;
        }
        if (const IoStatus status = wait_for(fd_, POLLOUT, deadline); status != IoStatus::Ok) {
            return status;
        }
    }
    return IoStatus::Ok;
}

IoStatus TcpConnection::read_exact(std::span<std::uint8_t> out, SteadyTime deadline) {
    std::size_t done = 0;
    while (done < out.size()) {
        if (fd_ < 0) {
            return IoStatus::Closed;
        }
        if (const IoStatus status = wait_for(fd_, POLLIN, deadline); status != IoStatus::Ok) {
            return status;
        }
        const ssize_t got = ::recv(fd_, out.data() + done, out.size() - done, MSG_DONTWAIT);
        if (got > 0) {
            done += static_cast<std::size_t>(got);
        } else if (got == 0) {
            fail("closed by the peer");
            return IoStatus::Closed;
        } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            fail(os_message(errno));
            return IoStatus::Closed;
        }
    }
    return IoStatus::Ok;
}

void TcpConnection::discard_input() {
    std::array<std::uint8_t, 256> sink{};
    while (fd_ >= 0) {
        const ssize_t got = ::recv(fd_, sink.data(), sink.size(), MSG_DONTWAIT);
        if (got == 0) {
            fail("closed by the peer");
        } else if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                fail(os_message(errno));
            }
            return;
        }
    }
}

IoStatus TcpConnection::pause_until(SteadyTime deadline) {
    const IoStatus status = wait_for(-1, POLLIN, deadline);  // the cancel signal alone
    return status == IoStatus::Closed ? IoStatus::Timeout : status;
}

}  // namespace passerelle::connectors::mbus
