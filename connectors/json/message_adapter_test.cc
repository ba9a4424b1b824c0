// SPDX-License-Identifier: Apache-2.0
#include "connectors/json/message_adapter.h"

#include <catch2/catch.hpp>

#include "connectors/json/test_mapping.h"

namespace passerelle::connectors::json {
namespace {

using testing::constant;
using testing::field;
using testing::member;
using testing::pointer;
using testing::segment;

const Timestamp kReceived = *timestamp_from_epoch_seconds(1784030400.0);  // 2026-07-14T12:00:00Z

Territory territory() {
    Territory territory;
    for (const char* id : {"hs-a-101", "hs-a-102"}) {
        Entity entity;
        entity.id = id;
        entity.type = "dwelling";
        entity.provider = "habitat-sud";
        REQUIRE(territory.entities.add(std::move(entity)));
    }
    return territory;
}

// capteurs/<entity>/mesure: {"t": tenths of °C, "h": %RH, "ts": seconds}
Mapping flat_mapping() {
    Mapping mapping;
    mapping.topics = {"capteurs/+/mesure"};
    mapping.entity = segment(1);
    mapping.time = TimeSpec{pointer("/ts"), TimeFormat::UnixSeconds};
    mapping.values = {field(constant("temperature"), "/t", "Cel", 0.1),
                      field(constant("humidity"), "/h", "%RH")};
    return mapping;
}

// A concentrator's batch: {"measures":[{"device":..., "at": RFC 3339, "kind":..., "v":...}]}
Mapping array_mapping() {
    Mapping mapping;
    mapping.topics = {"concentrateur/lot"};
    mapping.entity = member("/device");
    mapping.records = pointer("/measures");
    mapping.time = TimeSpec{pointer("/at"), TimeFormat::Rfc3339};
    mapping.values = {field(member("/kind"), "/v", "Cel")};
    return mapping;
}

TEST_CASE("a flat message gives its entity's readings, dated by the message", "[json]") {
    const Territory t = territory();
    const MappedMessage mapped = adapt_message(flat_mapping(), t, "capteurs/hs-a-101/mesure",
                                               R"({"t":215,"h":48,"ts":1784030000})", kReceived);
    CHECK(mapped.errors.empty());
    REQUIRE(mapped.reports.size() == 1);
    const DeviceReport& report = mapped.reports[0];
    CHECK(report.provider == "habitat-sud");
    CHECK(report.entity == "hs-a-101");
    CHECK(report.protocol == "json");
    CHECK(report.source == "capteurs/hs-a-101/mesure");
    CHECK(report.time == *timestamp_from_epoch_seconds(1784030000.0));
    REQUIRE(report.readings.size() == 2);
    CHECK(report.readings[0].quantity == "temperature");
    CHECK(std::get<double>(report.readings[0].value) == Approx(21.5));
    CHECK(report.readings[0].unit == "Cel");
    CHECK(report.readings[0].provider == "habitat-sud");
    CHECK(report.readings[0].time == report.time);
    CHECK(report.readings[1].quantity == "humidity");
    CHECK(std::get<double>(report.readings[1].value) == 48.0);
}

TEST_CASE("without a time member the readings are dated by their reception", "[json]") {
    const Territory t = territory();
    Mapping mapping = flat_mapping();
    mapping.time.reset();
    const MappedMessage mapped =
        adapt_message(mapping, t, "capteurs/hs-a-101/mesure", R"({"t":215,"h":48})", kReceived);
    REQUIRE(mapped.reports.size() == 1);
    CHECK(mapped.reports[0].readings[0].time == kReceived);
}

TEST_CASE("times in milliseconds and RFC 3339, and unreadable times", "[json]") {
    const Territory t = territory();
    Mapping mapping = flat_mapping();
    mapping.time = TimeSpec{pointer("/ts"), TimeFormat::UnixMilliseconds};
    MappedMessage mapped = adapt_message(mapping, t, "capteurs/hs-a-101/mesure",
                                         R"({"t":1,"h":2,"ts":1784030000250})", kReceived);
    REQUIRE(mapped.reports.size() == 1);
    CHECK(mapped.reports[0].time == *timestamp_from_epoch_seconds(1784030000.25));
    mapping.time = TimeSpec{pointer("/ts"), TimeFormat::Rfc3339};
    mapped = adapt_message(mapping, t, "capteurs/hs-a-101/mesure",
                           R"({"t":1,"h":2,"ts":"2026-07-14T13:00:00+01:00"})", kReceived);
    REQUIRE(mapped.reports.size() == 1);
    CHECK(mapped.reports[0].time == kReceived);
    mapped = adapt_message(mapping, t, "capteurs/hs-a-101/mesure",
                           R"({"t":1,"h":2,"ts":1784030000})", kReceived);
    CHECK(mapped.reports.empty());
    REQUIRE(mapped.errors.size() == 1);
    CHECK(mapped.errors[0].code == "json.bad-time");
    CHECK(mapped.errors[0].message ==
          "topic 'capteurs/hs-a-101/mesure': '/ts' is a number 1784030000, not an RFC 3339 "
          "date-time text");
    mapped = adapt_message(mapping, t, "capteurs/hs-a-101/mesure", R"({"t":1,"h":2})", kReceived);
    REQUIRE(mapped.errors.size() == 1);
    CHECK(mapped.errors[0].message ==
          "topic 'capteurs/hs-a-101/mesure': no '/ts': '/' has no member 'ts'");
}

TEST_CASE("an array of records gives one report per entity, bad records apart", "[json]") {
    const Territory t = territory();
    const MappedMessage mapped = adapt_message(array_mapping(), t, "concentrateur/lot",
                                               R"({"measures":[
            {"device":"hs-a-101","at":"2026-07-14T11:50:00Z","kind":"temperature","v":24.5},
            {"device":"hs-a-102","at":"2026-07-14T11:50:00Z","kind":"temperature","v":"x"},
            {"device":"hs-a-102","at":"2026-07-14T11:55:00Z","kind":"temperature","v":26},
            {"device":"hs-z-999","at":"2026-07-14T11:55:00Z","kind":"temperature","v":20},
            {"device":"hs-a-101","at":"2026-07-14T12:00:00Z","kind":"radiator","v":45.5},
            [1, 2]]})",
                                               kReceived);
    REQUIRE(mapped.reports.size() == 2);
    CHECK(mapped.reports[0].entity == "hs-a-101");
    REQUIRE(mapped.reports[0].readings.size() == 2);
    CHECK(mapped.reports[0].readings[1].quantity == "radiator");
    CHECK(mapped.reports[0].readings[1].time == kReceived);
    CHECK(mapped.reports[0].time == kReceived);  // its latest record
    CHECK(mapped.reports[1].entity == "hs-a-102");
    REQUIRE(mapped.reports[1].readings.size() == 1);
    CHECK(std::get<double>(mapped.reports[1].readings[0].value) == 26.0);
    REQUIRE(mapped.errors.size() == 3);
    CHECK(mapped.errors[0].code == "json.bad-field");
    CHECK(mapped.errors[0].message ==
          "topic 'concentrateur/lot', record 1: '/v' must be a number, got a string \"x\"");
    CHECK(mapped.errors[1].code == "device.unknown");
    CHECK(mapped.errors[1].message ==
          "unknown entity 'hs-z-999' (topic 'concentrateur/lot'): declare it in the entity "
          "registry");
    CHECK(mapped.errors[2].code == "json.not-object");
    CHECK(mapped.errors[2].message ==
          "topic 'concentrateur/lot', record 5: a record is a JSON object, this is an array");
}

TEST_CASE("a message that is not what the mapping expects is one error", "[json]") {
    const Territory t = territory();
    const auto only_error = [&](const Mapping& mapping, std::string_view topic,
                                std::string_view payload) {
        const MappedMessage mapped = adapt_message(mapping, t, topic, payload, kReceived);
        CHECK(mapped.reports.empty());
        REQUIRE(mapped.errors.size() == 1);
        return mapped.errors[0];
    };
    const Error truncated = only_error(flat_mapping(), "capteurs/hs-a-101/mesure", R"({"t":)");
    CHECK(truncated.code == "json.bad-json");
    CHECK(truncated.message.rfind("topic 'capteurs/hs-a-101/mesure': malformed JSON at byte 6",
                                  0) == 0);
    CHECK(only_error(flat_mapping(), "capteurs/hs-a-101/mesure", std::string(40, '[')).message ==
          "topic 'capteurs/hs-a-101/mesure': JSON nested deeper than 32 levels");
    CHECK(only_error(flat_mapping(), "capteurs/hs-a-101/mesure", "3").message ==
          "topic 'capteurs/hs-a-101/mesure': a record is a JSON object, this is a number");
    CHECK(only_error(array_mapping(), "concentrateur/lot", R"({"measures":{}})").message ==
          "topic 'concentrateur/lot': '/measures' must be an array of records, got an object");
    CHECK(only_error(array_mapping(), "concentrateur/lot", R"({"mesures":[]})").message ==
          "topic 'concentrateur/lot': no '/measures': '/' has no member 'measures'");
    const Error unknown = only_error(flat_mapping(), "capteurs/hs-b-1/mesure", R"({"t":1,"h":1})");
    CHECK(unknown.code == "device.unknown");
}

TEST_CASE("a message that is itself an array is read with the empty pointer", "[json]") {
    const Territory t = territory();
    Mapping mapping = array_mapping();
    mapping.records = pointer("");
    const MappedMessage mapped = adapt_message(
        mapping, t, "concentrateur/lot",
        R"([{"device":"hs-a-102","at":"2026-07-14T11:00:00Z","kind":"temperature","v":19}])",
        kReceived);
    CHECK(mapped.errors.empty());
    REQUIRE(mapped.reports.size() == 1);
    CHECK(mapped.reports[0].entity == "hs-a-102");
    CHECK(std::get<double>(mapped.reports[0].readings.at(0).value) == 19.0);
}

TEST_CASE("an empty array of records gives nothing and no error", "[json]") {
    const Territory t = territory();
    const MappedMessage mapped =
        adapt_message(array_mapping(), t, "concentrateur/lot", R"({"measures":[]})", kReceived);
    CHECK(mapped.reports.empty());
    CHECK(mapped.errors.empty());
}

}  // namespace
}  // namespace passerelle::connectors::json
