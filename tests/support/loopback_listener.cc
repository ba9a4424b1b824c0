// SPDX-License-Identifier: Apache-2.0
#include "tests/support/loopback_listener.h"

#include <cerrno>
#include <string>
#include <system_error>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace passerelle::testing {
namespace {

Error setup_error(std::string_view who, const char* what) {
    return make_error(std::string(who) + ".setup",
                      std::string(what) + ": " + std::system_category().message(errno));
}

}  // namespace

Result<LoopbackListener> listen_on_loopback(std::string_view who, int backlog) {
    const int listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd < 0) {
        return setup_error(who, "socket");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t size = sizeof address;
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
    auto* generic = reinterpret_cast<sockaddr*>(&address);
    if (::bind(listen_fd, generic, size) != 0 || ::listen(listen_fd, backlog) != 0 ||
        ::getsockname(listen_fd, generic, &size) != 0) {
        Error error = setup_error(who, "bind/listen on 127.0.0.1");
        ::close(listen_fd);
        return error;
    }
    const int wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd < 0) {
        Error error = setup_error(who, "eventfd");
        ::close(listen_fd);
        return error;
    }
    return LoopbackListener{listen_fd, wake_fd, ntohs(address.sin_port)};
}

}  // namespace passerelle::testing
