// SPDX-License-Identifier: Apache-2.0
// Whether a host names this machine's loopback: the simulator publishes only to a broker there,
// and serves only the Modbus devices the configuration polls there.
#pragma once

#include <string>

namespace passerelle::simulate {

/// "localhost", 127.0.0.0/8, ::1 and ::ffff:127.x.y.z; names are not resolved.
bool is_loopback_host(const std::string& host);

}  // namespace passerelle::simulate
