// SPDX-License-Identifier: Apache-2.0
// The parsers' rules one at a time; the documented examples are in golden_test.cc.
#include "connectors/lorawan/envelopes/envelope.h"

#include <string>

#include <catch2/catch.hpp>

namespace passerelle::connectors::lorawan {
namespace {

std::string chirpstack(const std::string& fields) {
    return R"({"deviceInfo":{"devEui":"0101010101010101"},"rxInfo":[])" +
           (fields.empty() ? "" : "," + fields) + "}";
}

std::string tts(const std::string& uplink_fields) {
    return R"({"end_device_ids":{"device_id":"dev1"},"uplink_message":{)" + uplink_fields + "}}";
}

std::string error_of(const Result<Uplink>& uplink) {
    return uplink ? "no error" : uplink.error().code + ": " + uplink.error().message;
}

}  // namespace

TEST_CASE("absent counters and ports: zero values are omitted", "[lorawan][envelope]") {
    auto cs = parse_chirpstack_uplink(chirpstack(""));
    REQUIRE(cs);
    CHECK(cs->f_cnt == 0);
    CHECK_FALSE(cs->f_port.has_value());
    CHECK(cs->payload.empty());
    CHECK_FALSE(cs->decoded.has_value());
    CHECK_FALSE(cs->received.has_value());
    auto tt = parse_tts_uplink(tts(R"("frm_payload":"qg==")"));
    REQUIRE(tt);
    CHECK(tt->f_cnt == 0);
    CHECK_FALSE(tt->f_port.has_value());
    CHECK(tt->dev_eui.empty());
    CHECK(tt->device_name == "dev1");
}

TEST_CASE("numbers may come as protobuf's decimal strings, in range", "[lorawan][envelope]") {
    auto up = parse_chirpstack_uplink(chirpstack(R"("fCnt":"4294967295","fPort":223)"));
    REQUIRE(up);
    CHECK(up->f_cnt == 4294967295U);
    CHECK(up->f_port == 223);
    CHECK(error_of(parse_chirpstack_uplink(chirpstack(R"("fCnt":4294967296)"))) ==
          "lorawan.bad-field: 'fCnt' must be an integer from 0 to 4294967295, got number "
          "4294967296");
    CHECK(error_of(parse_chirpstack_uplink(chirpstack(R"("fCnt":-1)"))) ==
          "lorawan.bad-field: 'fCnt' must be an integer from 0 to 4294967295, got number -1");
    CHECK(error_of(parse_chirpstack_uplink(chirpstack(R"("fPort":1.5)"))) ==
          "lorawan.bad-field: 'fPort' must be an integer from 0 to 255, got number 1.5");
    CHECK(error_of(parse_chirpstack_uplink(chirpstack(R"("fCnt":"12a")"))) ==
          "lorawan.bad-field: 'fCnt' must be an integer from 0 to 4294967295, got string \"12a\"");
    CHECK(error_of(parse_chirpstack_uplink(chirpstack(R"("fCnt":1e400)"))) ==
          "lorawan.bad-json: malformed JSON: number overflow parsing '1e400'");
    auto tt = parse_tts_uplink(tts(R"("settings":{"frequency":"868300000"})"));
    REQUIRE(tt);
    CHECK(tt->frequency_hz == 868300000U);
}

TEST_CASE("identifiers are checked and made lower case", "[lorawan][envelope]") {
    auto up = parse_chirpstack_uplink(
        R"({"deviceInfo":{"devEui":"A84041FFFF24A438"},"devAddr":"01E96A34","rxInfo":[]})");
    REQUIRE(up);
    CHECK(up->dev_eui == "a84041ffff24a438");
    CHECK(up->dev_addr == "01e96a34");
    CHECK(error_of(parse_chirpstack_uplink(R"({"deviceInfo":{"devEui":"0101"},"rxInfo":[]})")) ==
          "lorawan.bad-field: 'deviceInfo.devEui' must be 16 hexadecimal digits, got string "
          "\"0101\"");
    CHECK(error_of(parse_chirpstack_uplink(R"({"deviceInfo":{"devEui":12},"rxInfo":[]})")) ==
          "lorawan.bad-field: 'deviceInfo.devEui' must be a string, got number 12");
    CHECK(error_of(parse_chirpstack_uplink(R"({"deviceInfo":{},"rxInfo":[]})")) ==
          "lorawan.missing-field: no 'deviceInfo.devEui': a ChirpStack uplink names its device "
          "by its DevEUI");
    CHECK(error_of(parse_chirpstack_uplink(R"({"rxInfo":[]})")) ==
          "lorawan.missing-field: no 'deviceInfo': not a ChirpStack v4 event (every event names "
          "its device there)");
    CHECK(error_of(parse_tts_uplink(R"({"uplink_message":{}})")) ==
          "lorawan.missing-field: no 'end_device_ids': every The Things Stack message names its "
          "device there");
}

TEST_CASE("wrong types are errors naming the path, never exceptions", "[lorawan][envelope]") {
    CHECK(error_of(parse_chirpstack_uplink(chirpstack(R"("rxInfo":{})"))) ==
          "lorawan.bad-field: 'rxInfo' must be an array, got an object");
    CHECK(error_of(parse_chirpstack_uplink(
              R"({"deviceInfo":{"devEui":"0101010101010101"},"rxInfo":[{"rssi":"-30"}]})")) ==
          "lorawan.bad-field: 'rxInfo[0].rssi' must be a number, got string \"-30\"");
    CHECK(error_of(parse_chirpstack_uplink(
              R"({"deviceInfo":{"devEui":"0101010101010101"},"rxInfo":[7]})")) ==
          "lorawan.bad-field: 'rxInfo[0]' must be an object, got number 7");
    CHECK(error_of(parse_chirpstack_uplink(chirpstack(R"("time":"yesterday")"))) ==
          "lorawan.bad-field: 'time' must be an RFC 3339 time in years 1970-9999, got string "
          "\"yesterday\"");
    CHECK(error_of(parse_tts_uplink(tts(R"("rx_metadata":[{"gateway_ids":[]}])"))) ==
          "lorawan.bad-field: 'uplink_message.rx_metadata[0].gateway_ids' must be an object, got "
          "an array");
    CHECK(error_of(parse_chirpstack_uplink("[1,2]")) ==
          "lorawan.bad-json: an envelope is a JSON object, this is an array");
    CHECK(error_of(parse_chirpstack_uplink(std::string(40, '[') + std::string(40, ']'))) ==
          "lorawan.bad-json: JSON nested deeper than 32 levels");
    // null reads as absent, as protobuf's JSON mapping writes a missing message
    CHECK(parse_chirpstack_uplink(chirpstack(R"("txInfo":null,"object":null)")).has_value());
}

TEST_CASE("base64 errors name the envelope field", "[lorawan][envelope]") {
    CHECK(error_of(parse_chirpstack_uplink(chirpstack(R"("data":"qg%=")"))) ==
          "lorawan.bad-base64: invalid base64 character '%' at position 2 of 'data'");
    CHECK(error_of(parse_tts_uplink(tts(R"("frm_payload":"q*==")"))) ==
          "lorawan.bad-base64: invalid base64 character '*' at position 1 of "
          "'uplink_message.frm_payload'");
}

TEST_CASE("other events are not uplinks", "[lorawan][envelope]") {
    CHECK(error_of(parse_chirpstack_uplink(
              R"({"deviceInfo":{"devEui":"0101010101010101"},"margin":10,"batteryLevel":88.3})")) ==
          "lorawan.not-uplink: no 'rxInfo', 'txInfo' or 'data': a ChirpStack event other than an "
          "uplink (join, status, ack, log...)");
    CHECK(error_of(parse_tts_uplink(
              R"({"end_device_ids":{"device_id":"d"},"downlink_queued":{"f_port":15}})")) ==
          "lorawan.not-uplink: no 'uplink_message': this The Things Stack message is a "
          "'downlink_queued'");
    CHECK(error_of(parse_tts_uplink(R"({"end_device_ids":{"device_id":"d"}})")) ==
          "lorawan.not-uplink: no 'uplink_message': this The Things Stack message is not an "
          "uplink");
}

TEST_CASE("radio metadata: best values, times, TTS channel_rssi", "[lorawan][envelope]") {
    auto up = parse_tts_uplink(tts(
        R"("rx_metadata":[{"rssi":-110,"snr":4},{"channel_rssi":-90,"snr":-2,"time":"2024-01-01T00:00:00.000001Z"}],"settings":{"data_rate":{"lora":{"spreading_factor":9,"bandwidth":125000}}})"));
    REQUIRE(up);
    REQUIRE(up->gateways.size() == 2);
    CHECK(up->gateways[1].rssi == -90.0);
    CHECK(up->best_rssi == -90.0);
    CHECK(up->best_snr == 4.0);
    CHECK(up->spreading_factor == 9);
    CHECK(up->bandwidth_hz == 125000U);
    REQUIRE(up->gateways[1].time);
    CHECK(to_json(*up)["gateways"][1]["time"] == "2024-01-01T00:00:00.000001Z");
}

TEST_CASE("the topic tells the server", "[lorawan][envelope]") {
    CHECK(network_server_for_topic("application/17c82e96-be03-4f38-aef3-f83d48582d97/device/"
                                   "0101010101010101/event/up") == NetworkServer::ChirpStack);
    CHECK(network_server_for_topic("v3/app1@ttn/devices/dev1/up") == NetworkServer::TheThingsStack);
    CHECK(network_server_for_topic("v3/app1/devices/dev1/up") == NetworkServer::TheThingsStack);
    for (const char* topic : {"application/a/device/b/event/join",
                              "application/a/device/b/event/up/x", "application//device/b/event/up",
                              "application/+/device/+/event/up", "v3/app1/devices/dev1/join",
                              "v3/app1/devices/dev1/up/extra", "v3/app1/devices//up", "", "up"}) {
        INFO(topic);
        CHECK_FALSE(network_server_for_topic(topic).has_value());
    }
    CHECK(error_of(parse_uplink("a/b", "{}")) ==
          "lorawan.unknown-topic: topic 'a/b' is neither a ChirpStack "
          "(application/+/device/+/event/up) nor a The Things Stack (v3/+/devices/+/up) uplink "
          "topic");
    auto up = parse_uplink("v3/app1/devices/dev1/up", tts(""));
    REQUIRE(up);
    CHECK(up->network_server == NetworkServer::TheThingsStack);
}

}  // namespace passerelle::connectors::lorawan
