// SPDX-License-Identifier: Apache-2.0
#include "rules/template/text_format.h"

#include <catch2/catch.hpp>

using namespace passerelle;         // NOLINT(google-build-using-namespace)
using namespace passerelle::rules;  // NOLINT(google-build-using-namespace)

namespace {

TimeZone paris() {
    auto zone = TimeZone::load("Europe/Paris");
    REQUIRE(zone);
    return *zone;
}

Timestamp utc(double epoch_seconds) {
    return *timestamp_from_epoch_seconds(epoch_seconds);
}

}  // namespace

TEST_CASE("durations in words keep the two largest units", "[template][format]") {
    CHECK(duration_in_words(45) == "45 s");
    CHECK(duration_in_words(0) == "0 s");
    CHECK(duration_in_words(0.7) == "0 s");
    CHECK(duration_in_words(90) == "1 min 30 s");
    CHECK(duration_in_words(8100) == "2 h 15 min");
    CHECK(duration_in_words(7200) == "2 h");
    CHECK(duration_in_words(7230) == "2 h");  // seconds are below the second unit: dropped
    CHECK(duration_in_words(3 * 86400 + 4 * 3600 + 59 * 60) == "3 j 4 h");  // truncated
    CHECK(duration_in_words(86400 + 60) == "1 j");
    CHECK(duration_in_words(-125) == "-2 min 5 s");
    CHECK(duration_in_words(-0.5) == "0 s");
    CHECK(duration_in_words(1e300) == "1e+300");
}

TEST_CASE("local times in the zone, in French", "[template][format]") {
    const TimeZone zone = paris();
    const Timestamp bastille = utc(1784035800);  // 2026-07-14T13:30:00Z, CEST
    CHECK(format_local(bastille, zone, "%d/%m/%Y %H:%M") == "14/07/2026 15:30");
    CHECK(format_local(bastille, zone, "%A %d %B à %Hh%M:%S (%Z), 100 %%") ==
          "mardi 14 juillet à 15h30:00 (CEST), 100 %");
    CHECK(format_local(bastille, TimeZone::utc(), "%H:%M %Z") == "13:30 UTC");
}

TEST_CASE("the night summer time ends, the hour from 02:00 is read twice", "[template][format]") {
    const TimeZone zone = paris();
    // 2026-10-25: at 01:00Z (03:00 CEST) the clocks go back to 02:00 CET.
    const Timestamp before = utc(1792888200);  // 00:30Z
    const Timestamp after = utc(1792891800);   // 01:30Z
    CHECK(format_local(before, zone, "%H:%M %Z") == "02:30 CEST");
    CHECK(format_local(after, zone, "%H:%M %Z") == "02:30 CET");
    CHECK(format_local(utc(1792893600), zone, "%d/%m/%Y %H:%M") == "25/10/2026 03:00");  // 02:00Z
}

TEST_CASE("unknown pattern directives are found", "[template][format]") {
    CHECK_FALSE(unknown_directive("%d/%m/%Y %H:%M:%S %A %B %Z %%").has_value());
    CHECK(unknown_directive("%H:%q") == 3);
    CHECK(unknown_directive("%H %") == 3);
    CHECK(unknown_directive("100%%%") == 5);
}
