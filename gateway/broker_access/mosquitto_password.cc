// SPDX-License-Identifier: Apache-2.0
#include "gateway/broker_access/mosquitto_password.h"

#include <array>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace passerelle::broker_access {
namespace {

constexpr int kIterations = 101;  // mosquitto_passwd's default
constexpr std::size_t kSaltBytes = 12;
constexpr std::size_t kHashBytes = 64;

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(bytes.data()),
                                        static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

}  // namespace

std::string password_line_with_salt(std::string_view user, std::string_view password,
                                    std::string_view salt, int iterations) {
    std::array<unsigned char, kHashBytes> hash{};
    PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                      reinterpret_cast<const unsigned char*>(salt.data()),
                      static_cast<int>(salt.size()), iterations, EVP_sha512(),
                      static_cast<int>(hash.size()), hash.data());
    return fmt::format(
        "{}:$7${}${}${}", user, iterations, base64(salt),
        base64(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size())));
}

Result<std::string> password_line(std::string_view user, std::string_view password) {
    std::array<unsigned char, kSaltBytes> salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
        return make_error("acl.random", "the system's random generator failed: no salt");
    }
    return password_line_with_salt(
        user, password, std::string_view(reinterpret_cast<const char*>(salt.data()), salt.size()),
        kIterations);
}

}  // namespace passerelle::broker_access
