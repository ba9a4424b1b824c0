// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbus/telegram_encoder.h"

#include <chrono>

#include <catch2/catch.hpp>

#include "connectors/wmbus/crc16.h"
#include "connectors/wmbus/link_layer.h"
#include "connectors/wmbus/test_bytes.h"
#include "connectors/wmbus/wmbus_decoder.h"

namespace passerelle::connectors::wmbus {
namespace {

using namespace std::chrono_literals;  // NOLINT(google-build-using-namespace)

constexpr std::string_view kKey = "000102030405060708090A0B0C0D0E0F";

AesKey encoder_key(std::string_view hex) {
    auto key = parse_aes_key(hex);
    REQUIRE(key);
    return *key;
}

// 2026-03-14T09:26 UTC, seconds dropped by type F.
Timestamp reading_time() {
    return std::chrono::time_point_cast<Duration>(
        std::chrono::sys_days{2026y / std::chrono::March / 14} + 9h + 26min + 30s);
}

TelegramSpec water_meter() {
    TelegramSpec spec;
    spec.manufacturer = "KAM";
    spec.id = "12345678";
    spec.version = 0x1B;
    spec.device_type = kDeviceWater;
    spec.access_number = 0x2A;
    spec.records = {volume_m3(12.345), volume_flow_m3h(0.123), date_time(reading_time())};
    return spec;
}

TelegramSpec heat_meter() {
    TelegramSpec spec;
    spec.manufacturer = "SEN";
    spec.id = "00042017";
    spec.version = 0x0A;
    spec.device_type = kDeviceHeat;
    spec.access_number = 0xC3;
    spec.status = 0x00;
    spec.records = {energy_kwh(18234),         volume_m3(456.789),         power_w(5400),
                    flow_temperature_c(70.25), return_temperature_c(45.5), volume_flow_m3h(0.456)};
    return spec;
}

std::vector<std::uint8_t> encoded(const TelegramSpec& spec, Framing framing = Framing::WithoutCrc) {
    auto bytes = encode_wireless_telegram(spec, framing);
    REQUIRE(bytes);
    return *bytes;
}

WirelessTelegram decoded(std::span<const std::uint8_t> bytes, std::optional<AesKey> key) {
    DecodeOptions options;
    options.key = key;
    auto telegram = decode_wireless_telegram(bytes, options);
    if (!telegram) {
        FAIL(telegram.error().code << ": " << telegram.error().message);
    }
    return *telegram;
}

struct Expected {
    std::string_view name;
    std::string_view unit;
    double value = 0.0;
};

void check_readings(const WirelessTelegram& telegram, const std::vector<Expected>& expected) {
    const auto readings = to_readings(telegram, "p", "e", Timestamp{});
    REQUIRE(readings.size() >= expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO(expected[i].name);
        CHECK(readings[i].quantity == expected[i].name);
        CHECK(readings[i].unit == expected[i].unit);
        CHECK(std::get<double>(readings[i].value) == Approx(expected[i].value));
    }
}

TEST_CASE("AES-128-CBC encryption against NIST SP 800-38A F.2.1") {
    AesBlock iv{};
    const auto iv_bytes = bytes_of("000102030405060708090a0b0c0d0e0f");
    std::copy(iv_bytes.begin(), iv_bytes.end(), iv.begin());
    const auto cipher = aes128_cbc_encrypt(encoder_key("2b7e151628aed2a6abf7158809cf4f3c"), iv,
                                           bytes_of("6bc1bee22e409f96e93d7e117393172a"));
    CHECK(cipher == bytes_of("7649abac8119b246cee98e9b12e9197d"));
}

TEST_CASE("manufacturer letters to their code") {
    CHECK(manufacturer_code("KAM").value() == 0x2C2D);
    CHECK(manufacturer_code("AAA").value() == 0x0421);
    CHECK(manufacturer_code("ZZZ").value() == 0x6B5A);
    CHECK(manufacturer_code("Kam").error().message ==
          "manufacturer 'Kam' is not three letters A-Z");
    CHECK(manufacturer_code("KAMS").error().code == "wmbus.bad-manufacturer");
}

TEST_CASE("a clear water meter telegram, byte for byte") {
    // L=0x1E C=44 M=KAM (0x2C2D, LSB first) ID 12345678 (BCD, LSB first) version 1B water 07,
    // CI 7A ACC 2A status 00 configuration 0000, then volume 12.345 m3 (int32 litres),
    // volume flow 123 l/h (int16), date-time 2026-03-14 09:26 (type F).
    const auto expected = bytes_of(
        "1E442D2C785634121B07"
        "7A2A000000"
        "041339300000"
        "023B7B00"
        "046D1A094E33");
    const auto telegram = encoded(water_meter());
    CHECK(telegram == expected);

    // Format A: the same bytes with a CRC (most significant byte first) after the first 10 bytes,
    // then after every 16 and after the last.
    const auto frame = encoded(water_meter(), Framing::FormatA);
    REQUIRE(frame.size() == format_a_size(0x1E));
    REQUIRE(frame.size() == 31 + 2 * 3);
    const auto crc_at = [&](std::size_t at) {
        return static_cast<std::uint16_t>((frame[at] << 8) | frame[at + 1]);
    };
    CHECK(crc_at(10) == crc16_en13757(std::span(expected).first(10)));
    CHECK(crc_at(28) == crc16_en13757(std::span(expected).subspan(10, 16)));
    CHECK(crc_at(35) == crc16_en13757(std::span(expected).subspan(26)));
    CHECK(std::vector(frame.begin(), frame.begin() + 10) ==
          std::vector(expected.begin(), expected.begin() + 10));
}

TEST_CASE("water meter round trip: clear and mode 5, with and without CRCs") {
    const bool encrypted = GENERATE(false, true);
    const Framing framing = GENERATE(Framing::WithoutCrc, Framing::FormatA);
    TelegramSpec spec = water_meter();
    if (encrypted) {
        spec.key = encoder_key(kKey);
    }
    const auto telegram = decoded(encoded(spec, framing), spec.key);
    CHECK(telegram.id() == "12345678");
    CHECK(telegram.link.manufacturer == "KAM");
    CHECK(telegram.link.version == 0x1B);
    CHECK(telegram.link.device_type == kDeviceWater);
    CHECK(telegram.layout ==
          (framing == Framing::FormatA ? CrcLayout::FormatA : CrcLayout::Stripped));
    CHECK(telegram.ci == 0x7A);
    CHECK(telegram.tpl.access_number == 0x2A);
    CHECK(telegram.encryption == (encrypted ? Encryption::AesCbcMode5 : Encryption::None));
    CHECK(telegram.plaintext ==
          (encrypted ? Plaintext::DecryptedWithKey : Plaintext::NotEncrypted));
    check_readings(telegram, {{"volume", "m3", 12.345}, {"volume_flow", "m3/s", 0.123 / 3600}});
    const auto readings = to_readings(telegram, "p", "e", Timestamp{});
    REQUIRE(readings.size() == 3);
    CHECK(readings[2].quantity == "date_time");
    CHECK(std::get<std::string>(readings[2].value) == "2026-03-14T09:26");
}

TEST_CASE("heat meter round trip: clear and mode 5, with and without CRCs") {
    const bool encrypted = GENERATE(false, true);
    const Framing framing = GENERATE(Framing::WithoutCrc, Framing::FormatA);
    TelegramSpec spec = heat_meter();
    if (encrypted) {
        spec.key = encoder_key(kKey);
    }
    const auto telegram = decoded(encoded(spec, framing), spec.key);
    CHECK(telegram.id() == "00042017");
    CHECK(telegram.link.manufacturer == "SEN");
    CHECK(mbus::medium_name(telegram.link.device_type) == "heat_outlet");
    check_readings(telegram, {{"energy", "Wh", 18234000},
                              {"volume", "m3", 456.789},
                              {"power", "W", 5400},
                              {"flow_temperature", "Cel", 70.25},
                              {"return_temperature", "Cel", 45.5},
                              {"volume_flow", "m3/s", 0.456 / 3600}});
    CHECK(to_readings(telegram, "p", "e", Timestamp{}).size() == 6);
}

TEST_CASE("mode 5: fillers to whole blocks, announced in the configuration word") {
    TelegramSpec spec = water_meter();
    spec.key = encoder_key(kKey);
    // 2F 2F + 16 bytes of records = 18, padded to 32: 2 blocks.
    const auto water = encoded(spec);
    CHECK(water.size() == 10 + 5 + 32);
    CHECK(water[0] == water.size() - 1);
    CHECK(water[13] == 0x20);  // configuration word 0x0520, least significant byte first
    CHECK(water[14] == 0x05);
    CHECK(decoded(water, spec.key).tpl.signature == 0x0520);
    // 2F 2F + 30 bytes of records fill 2 blocks exactly: no filler block is added.
    spec = heat_meter();
    spec.key = encoder_key(kKey);
    const auto heat = encoded(spec);
    CHECK(heat.size() == 10 + 5 + 32);
    CHECK(decoded(heat, spec.key).tpl.signature == 0x0520);
}

TEST_CASE("mode 5 output is deterministic: the IV comes from the address and access number") {
    TelegramSpec spec = water_meter();
    spec.key = encoder_key(kKey);
    const auto first = encoded(spec);
    CHECK(encoded(spec) == first);
    // The header stays in clear; the records do not.
    CHECK(std::vector(first.begin(), first.begin() + 13) == bytes_of("2E442D2C785634121B077A2A00"));
    CHECK(std::vector(first.begin() + 15, first.end()) !=
          bytes_of("2F2F041339300000023B7B00046D1A094E332F2F2F2F2F2F2F2F2F2F2F2F2F2F"));
    spec.access_number = 0x2B;
    const auto next = encoded(spec);
    CHECK(std::vector(next.begin() + 15, next.end()) !=
          std::vector(first.begin() + 15, first.end()));
}

TEST_CASE("a wrong key is reported as such, a missing one too") {
    TelegramSpec spec = water_meter();
    spec.key = encoder_key(kKey);
    const auto bytes = encoded(spec, Framing::FormatA);
    DecodeOptions options;
    options.key = encoder_key("0F0E0D0C0B0A09080706050403020100");
    const auto wrong = decode_wireless_telegram(bytes, options);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == "wmbus.wrong-key");
    const auto none = decode_wireless_telegram(bytes);
    REQUIRE_FALSE(none);
    CHECK(none.error().code == "wmbus.no-key");
}

TEST_CASE("telegram errors") {
    TelegramSpec spec = water_meter();
    spec.id = "1234567";
    CHECK(encode_wireless_telegram(spec).error().message ==
          "meter id '1234567' is not 8 decimal digits");
    spec.id = "1234567A";
    CHECK(encode_wireless_telegram(spec).error().code == "wmbus.bad-id");
    spec = water_meter();
    spec.manufacturer = "K4M";
    CHECK(encode_wireless_telegram(spec).error().code == "wmbus.bad-manufacturer");
    spec = water_meter();
    spec.records.push_back(volume_m3(-1));
    CHECK(encode_wireless_telegram(spec).error().code == "wmbus.out-of-range");
    spec = water_meter();
    spec.records.assign(41, volume_m3(1));  // 41 * 6 bytes + 14 = L 260
    CHECK(encode_wireless_telegram(spec).error().message ==
          "telegram needs L = 260, at most 255 fit");
    spec.records.resize(40);  // L 254
    CHECK(encode_wireless_telegram(spec));
    spec.key = encoder_key(kKey);  // 2 + 240 bytes need 16 blocks: L 270
    CHECK(encode_wireless_telegram(spec).error().code == "wmbus.too-long");
}

}  // namespace
}  // namespace passerelle::connectors::wmbus
