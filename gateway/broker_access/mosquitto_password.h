// SPDX-License-Identifier: Apache-2.0
// Mosquitto 2.0's password file lines, as mosquitto_passwd writes them: the password hashed with
// PBKDF2-HMAC-SHA512 over a random salt, so the file never holds a password.
#pragma once

#include <string>
#include <string_view>

#include "gateway/core/result.h"

namespace passerelle::broker_access {

/// "user:$7$<iterations>$<base64 salt>$<base64 hash>" with a new random 12-byte salt.
Result<std::string> password_line(std::string_view user, std::string_view password);

/// The same with a given salt, for tests against known hashes.
std::string password_line_with_salt(std::string_view user, std::string_view password,
                                    std::string_view salt, int iterations);

}  // namespace passerelle::broker_access
