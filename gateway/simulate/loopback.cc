// SPDX-License-Identifier: Apache-2.0
#include "gateway/simulate/loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>

namespace passerelle::simulate {

bool is_loopback_host(const std::string& host) {
    if (::strcasecmp(host.c_str(), "localhost") == 0) {
        return true;
    }
    in_addr v4{};
    if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24U) == 127U;
    }
    in6_addr v6{};
    if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
        return IN6_IS_ADDR_LOOPBACK(&v6) != 0 ||
               (IN6_IS_ADDR_V4MAPPED(&v6) != 0 && v6.s6_addr[12] == 127U);
    }
    return false;
}

}  // namespace passerelle::simulate
