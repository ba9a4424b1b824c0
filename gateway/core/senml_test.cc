// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/senml.h"

#include <catch2/catch.hpp>

using namespace passerelle;  // NOLINT(google-build-using-namespace)

namespace {
const Timestamp kNow = *timestamp_from_epoch_seconds(1784000000.0);

std::string error_of(std::string_view topic, std::string_view payload) {
    auto result = decode_canonical(topic, payload, kNow);
    REQUIRE_FALSE(result.has_value());
    return result.error().message;
}
}  // namespace

TEST_CASE("a canonical temperature reading decodes with its own time", "[senml]") {
    auto readings = decode_canonical("telemetry/bailleur-sud/logt-12/temperature",
                                     R"([{"n":"temperature","u":"Cel","v":28.5,"t":1783990000.25}])",
                                     kNow);
    REQUIRE(readings.has_value());
    REQUIRE(readings->size() == 1);
    const Reading& r = readings->front();
    CHECK(r.provider == "bailleur-sud");
    CHECK(r.entity == "logt-12");
    CHECK(r.quantity == "temperature");
    CHECK(std::get<double>(r.value) == 28.5);
    CHECK(r.unit == "Cel");
    CHECK(to_epoch_seconds(r.time) == 1783990000.25);
}

TEST_CASE("base fields apply to the records that follow", "[senml]") {
    auto records = decode_senml(
        R"([{"bn":"temp","bt":1783990000,"bu":"Cel","bv":20,"v":1.5,"t":0},{"v":2,"t":60}])", kNow);
    REQUIRE(records.has_value());
    REQUIRE(records->size() == 2);
    CHECK((*records)[1].name == "temp");
    CHECK((*records)[1].unit == "Cel");
    CHECK(std::get<double>((*records)[1].value) == 22.0);
    CHECK(to_epoch_seconds((*records)[1].time) == 1783990060.0);
}

TEST_CASE("relative and missing times are taken from the receiver's clock", "[senml]") {
    auto records = decode_senml(R"([{"v":1,"t":-30},{"v":2}])", kNow);
    REQUIRE(records.has_value());
    CHECK((*records)[0].time == kNow - std::chrono::seconds(30));
    CHECK((*records)[1].time == kNow);
}

TEST_CASE("string and boolean values are kept", "[senml]") {
    auto readings =
        decode_canonical("signal/energie/grid-tension", R"([{"vs":"rouge","t":1783990000}])", kNow);
    REQUIRE(readings.has_value());
    CHECK(std::get<std::string>(readings->front().value) == "rouge");
    CHECK(readings->front().entity == "grid-tension");
    auto flags = decode_senml(R"([{"vb":true}])", kNow);
    REQUIRE(flags.has_value());
    CHECK(std::get<bool>(flags->front().value));
}

TEST_CASE("malformed packs are rejected with a precise reason", "[senml]") {
    const std::string topic = "telemetry/p/e/temperature";
    CHECK(error_of(topic, R"({"v":1})") == "a SenML pack is a JSON array of records");
    CHECK(error_of(topic, "[]") == "the SenML pack has no record");
    CHECK(error_of(topic, R"([{"v":"hot"}])") == "record 0: 'v' must be a number");
    CHECK(error_of(topic, R"([{"v":1},{"u":"Cel"}])") == "record 1: has no value ('v', 'vs' or 'vb')");
    CHECK(error_of(topic, R"([{"v":1,"vs":"x"}])") ==
          "record 0: has more than one of 'v', 'vs' and 'vb'");
    CHECK(error_of(topic, R"([{"v":1,"u":"m3/h"}])") ==
          "record 0: unit 'm3/h' is not in the SenML registry; use m3/s (divide by 3600) or l/s: "
          "the registry has no m3/h");
    CHECK(error_of(topic, R"([{"n":"humidity","v":1}])") ==
          "record 0: name 'humidity' does not match the topic's quantity 'temperature'");
    CHECK(error_of(topic, R"([{"v":1e999}])") == "invalid JSON: number overflow parsing '1e999'");
    CHECK(error_of(topic, R"([{"v":1,"t":1e300}])") == "record 0: time 1e+300 is not a valid epoch time");
    CHECK(error_of(topic, R"([{"bt":-1783989999,"v":1,"t":0}])") ==
          "record 0: time -1783989999 is not a valid epoch time");
    CHECK(error_of(topic, R"([{"v":1,"x_":2}])") ==
          "record 0: unsupported must-understand field 'x_'");
    CHECK(error_of(topic, "[[[[[[[[[[1]]]]]]]]]]") == "JSON nested deeper than 8 levels");
    CHECK(error_of(topic, "[{\"v\":1,") ==
          "invalid JSON: parse error at line 1, column 9: syntax error while parsing object key - "
          "unexpected end of input; expected string literal");
    CHECK(error_of("telemetry/p/e", "[{\"v\":1}]") ==
          "topic 'telemetry/p/e' is not telemetry/<provider>/<entity>/<quantity>");
    CHECK(error_of("telemetry/p/é/t", "[{\"v\":1}]") ==
          "topic 'telemetry/p/é/t': entity 'é' must be letters, digits, '-', '_' or '.'");
}

TEST_CASE("oversized payloads are refused before parsing", "[senml]") {
    SenmlLimits limits;
    limits.max_payload_bytes = 10;
    auto result = decode_senml(R"([{"v":1.2345}])", kNow, limits);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == "senml.too-large");
}

TEST_CASE("encoding then decoding gives the same reading", "[senml]") {
    Reading reading{"eau", "compteur-7", "volume", 123.456, "m3",
                    *timestamp_from_epoch_seconds(1783990000.5)};
    const std::string payload = encode_senml(reading);
    auto back = decode_canonical(canonical_topic(reading), payload, kNow);
    REQUIRE(back.has_value());
    CHECK(back->front().entity == reading.entity);
    CHECK(std::get<double>(back->front().value) == 123.456);
    CHECK(back->front().unit == "m3");
    CHECK(back->front().time == reading.time);
}
