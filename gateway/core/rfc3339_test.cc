// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/rfc3339.h"

#include <catch2/catch.hpp>

namespace passerelle {
namespace {

std::string utc(std::string_view text) {
    const auto time = parse_rfc3339(text);
    if (!time) {
        return "none";
    }
    return format_utc(*time) + " +" + std::to_string(time->time_since_epoch().count() % 1000) +
           "us";
}

}  // namespace

TEST_CASE("RFC 3339 times as network servers write them", "[lorawan][rfc3339]") {
    CHECK(utc("2020-02-12T15:15:45.787Z") == "2020-02-12T15:15:45.787Z +0us");
    CHECK(utc("2022-07-18T09:34:15.775023242+00:00") == "2022-07-18T09:34:15.775Z +23us");
    CHECK(utc("2022-07-18T11:34:15.775023242+02:00") == "2022-07-18T09:34:15.775Z +23us");
    CHECK(utc("2022-07-18T07:04:15-02:30") == "2022-07-18T09:34:15Z +0us");
    CHECK(utc("2022-07-18t09:34:15.5z") == "2022-07-18T09:34:15.500Z +0us");
    CHECK(utc("2016-12-31T23:59:60Z") == "2017-01-01T00:00:00Z +0us");  // leap second
    CHECK(utc("2022-07-18T00:30:00+01:00") == "2022-07-17T23:30:00Z +0us");
}

TEST_CASE("RFC 3339 refusals", "[lorawan][rfc3339]") {
    for (const char* text :
         {"", "2022-07-18", "2022-07-18T09:34:15", "2022-07-18 09:34:15Z", "2022-07-18T09:34:15.Z",
          "2022-02-30T00:00:00Z", "2022-07-18T24:00:00Z", "2022-07-18T09:34:15+0200",
          "2022-07-18T09:34:15+24:00", "2022-07-18T09:34:15Zjunk", "0001-01-01T00:00:00Z",
          "1970-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "２０22-07-18T09:34:15Z"}) {
        INFO(text);
        CHECK_FALSE(parse_rfc3339(text).has_value());
    }
    CHECK(parse_rfc3339("1970-01-01T00:00:00Z").has_value());
    CHECK(parse_rfc3339("9999-12-31T23:59:59.999999999Z").has_value());
}

}  // namespace passerelle
