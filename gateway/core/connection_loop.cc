// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/connection_loop.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

namespace passerelle {

void serve_connections(int listen_fd, int wake_fd, const std::function<bool(int)>& serve) {
    std::vector<int> clients;
    for (;;) {
        std::vector<pollfd> fds{{wake_fd, POLLIN, 0}, {listen_fd, POLLIN, 0}};
        for (int client : clients) {
            fds.push_back({client, POLLIN, 0});
        }
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if (fds[0].revents != 0) {
            break;
        }
        if ((fds[1].revents & POLLIN) != 0) {
            const int client = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (client >= 0) {
                clients.push_back(client);
            }
        }
        for (std::size_t i = 2; i < fds.size(); ++i) {
            if (fds[i].revents != 0 && !serve(fds[i].fd)) {
                ::close(fds[i].fd);
                clients.erase(std::find(clients.begin(), clients.end(), fds[i].fd));
            }
        }
    }
    for (int client : clients) {
        ::close(client);
    }
}

}  // namespace passerelle
