// SPDX-License-Identifier: Apache-2.0
// Mode 5 and ELL AES-CTR: initialisation vectors, lengths and the plaintext checks.
#include "connectors/wmbus/security.h"

#include <algorithm>

#include <fmt/format.h>

#include "connectors/wmbus/crc16.h"

namespace passerelle::connectors::wmbus {
namespace {

constexpr std::size_t kBlock = 16;
constexpr std::uint8_t kFiller = 0x2F;
constexpr std::size_t kPayloadCrcSize = 2;

}  // namespace

unsigned security_mode(std::uint16_t configuration) {
    return (configuration >> 8) & 0x1FU;
}

AesBlock mode5_iv(const std::array<std::uint8_t, 8>& address, std::uint8_t access_number) {
    AesBlock iv{};
    std::copy(address.begin(), address.end(), iv.begin());
    std::fill(iv.begin() + 8, iv.end(), access_number);
    return iv;
}

bool starts_with_fillers(std::span<const std::uint8_t> data) {
    return data.size() >= 2 && data[0] == kFiller && data[1] == kFiller;
}

Result<std::vector<std::uint8_t>> decrypt_mode5(const AesKey& key, const AesBlock& iv,
                                                std::uint16_t configuration,
                                                std::span<const std::uint8_t> data,
                                                std::string_view meter) {
    const std::size_t announced = (configuration >> 4) & 0x0FU;
    const std::size_t blocks = announced == 0 ? data.size() / kBlock : announced;
    const std::size_t size = blocks * kBlock;
    if (size > data.size() || size == 0) {
        return make_error("wmbus.truncated",
                          fmt::format("configuration word 0x{:04X} announces {} encrypted blocks "
                                      "({} bytes), {} bytes follow the header",
                                      configuration, blocks, size, data.size()));
    }
    std::vector<std::uint8_t> plain = aes128_cbc_decrypt(key, iv, data.first(size));
    if (!starts_with_fillers(plain)) {
        return make_error("wmbus.wrong-key",
                          fmt::format("wrong or missing key for meter {}: decrypted data does not "
                                      "start with 2F 2F",
                                      meter));
    }
    const auto tail = data.subspan(size);
    plain.insert(plain.end(), tail.begin(), tail.end());
    return plain;
}

Result<std::vector<std::uint8_t>> check_ell_payload(std::span<const std::uint8_t> plaintext,
                                                    std::string_view meter) {
    if (plaintext.size() <= kPayloadCrcSize) {
        return make_error(
            "wmbus.truncated",
            fmt::format("ELL payload of {} bytes has no room for its CRC", plaintext.size()));
    }
    const auto sent = static_cast<std::uint16_t>(plaintext[0] | (plaintext[1] << 8));
    const auto payload = plaintext.subspan(kPayloadCrcSize);
    const std::uint16_t computed = crc16_en13757(payload);
    if (computed != sent) {
        return make_error("wmbus.wrong-key",
                          fmt::format("wrong or missing key for meter {}: payload CRC 0x{:04X} "
                                      "computed, 0x{:04X} sent",
                                      meter, computed, sent));
    }
    return std::vector<std::uint8_t>(payload.begin(), payload.end());
}

Result<std::vector<std::uint8_t>> decrypt_ell_ctr(const AesKey& key, const AesBlock& counter,
                                                  std::span<const std::uint8_t> data,
                                                  std::string_view meter) {
    if (data.size() <= kPayloadCrcSize) {
        return check_ell_payload(data, meter);  // the same "no room" error
    }
    const std::vector<std::uint8_t> plain = aes128_ctr_decrypt(key, counter, data);
    return check_ell_payload(plain, meter);
}

}  // namespace passerelle::connectors::wmbus
