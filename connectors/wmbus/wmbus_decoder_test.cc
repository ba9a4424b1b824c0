// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbus/wmbus_decoder.h"

#include <catch2/catch.hpp>

#include "connectors/wmbus/test_bytes.h"

namespace passerelle::connectors::wmbus {
namespace {

// Multical 21, ELL II AES-CTR (wmbusmeters simulation_aes.msg, key from tests/test_aes.sh).
constexpr std::string_view kMultical21 =
    "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24";
constexpr std::string_view kMultical21Key = "28F64A24988064A079AA2C807D6102AE";

DecodeOptions with_key(std::string_view hex) {
    DecodeOptions options;
    auto key = parse_aes_key(hex);
    REQUIRE(key);
    options.key = *key;
    return options;
}

TEST_CASE("Kamstrup ELL AES-CTR telegram decodes with its key") {
    const auto telegram = decode_wireless_telegram(bytes_of(kMultical21), with_key(kMultical21Key));
    REQUIRE(telegram);
    CHECK(telegram->id() == "76348799");
    CHECK(telegram->link.manufacturer == "KAM");
    CHECK(telegram->encryption == Encryption::EllAesCtr);
    CHECK(telegram->plaintext == Plaintext::DecryptedWithKey);
    CHECK(telegram->ci == 0x78);
    const auto readings = to_readings(*telegram, "water", "meter-1", Timestamp{});
    REQUIRE(readings.size() >= 2);
    CHECK(readings[1].quantity == "volume");
    CHECK(std::get<double>(readings[1].value) == Approx(6.408));
}

TEST_CASE("an encrypted telegram without a key names the scheme and the meter") {
    const auto telegram = decode_wireless_telegram(bytes_of(kMultical21));
    REQUIRE_FALSE(telegram);
    CHECK(telegram.error().code == "wmbus.no-key");
    CHECK(telegram.error().message == "encrypted (ELL AES-CTR), no key for meter 76348799");
    // Accepting already-decrypted input does not make ciphertext acceptable.
    DecodeOptions lenient;
    lenient.accept_plaintext = true;
    CHECK(decode_wireless_telegram(bytes_of(kMultical21), lenient).error().code == "wmbus.no-key");
}

TEST_CASE("mode 7 is refused, mode 5 without a key too") {
    // An iPerl header (wmbusmeters simulation_t1.txt) with its configuration word set to mode 7,
    // then to mode 5.
    const auto mode7 =
        decode_wireless_telegram(bytes_of("1844AE4C4455223368077A55001007041389E20100023B0000"));
    REQUIRE_FALSE(mode7);
    CHECK(mode7.error().code == "wmbus.unsupported-security");
    CHECK(mode7.error().message == "security mode 7 is not supported (meter 33225544)");
    const auto mode5 =
        decode_wireless_telegram(bytes_of("1844AE4C4455223368077A55001005041389E20100023B0000"));
    REQUIRE_FALSE(mode5);
    CHECK(mode5.error().message == "encrypted (mode 5), no key for meter 33225544");
}

TEST_CASE("keys never appear in errors") {
    const auto telegram = decode_wireless_telegram(bytes_of(kMultical21),
                                                   with_key("00112233445566778899AABBCCDDEEFF"));
    REQUIRE_FALSE(telegram);
    CHECK(telegram.error().code == "wmbus.wrong-key");
    CHECK(telegram.error().message.find("00112233") == std::string::npos);
    CHECK(telegram.error().message.find("AABBCC") == std::string::npos);
}

TEST_CASE("unsupported transport CIs") {
    const auto afl = decode_wireless_telegram(bytes_of("0C44AE4C445522336807900000"));
    REQUIRE_FALSE(afl);
    CHECK(afl.error().message ==
          "unsupported CI field 0x90 (AFL, authentication and fragmentation) at byte 10");
    const auto techem = decode_wireless_telegram(bytes_of("0C446850626262624543A1009F"));
    REQUIRE_FALSE(techem);
    CHECK(techem.error().code == "wmbus.unsupported-ci");
}

}  // namespace
}  // namespace passerelle::connectors::wmbus
