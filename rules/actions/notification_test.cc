// SPDX-License-Identifier: Apache-2.0
#include "rules/actions/notification.h"

#include <cmath>

#include <catch2/catch.hpp>

using namespace passerelle;         // NOLINT(google-build-using-namespace)
using namespace passerelle::rules;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

namespace {

const Timestamp kNotificationStart =
    *timestamp_from_epoch_seconds(1792884600.0);  // 2026-10-24T23:30:00Z

Reading reading(double value, Duration after) {
    return Reading{"hs", "a-1", "temperature", value, "Cel", kNotificationStart + after};
}

// An episode from kNotificationStart to 2 h 15 min later, with its readings, in Paris.
AlertEvent episode(const std::vector<Reading>& readings) {
    AlertEvent event;
    event.status = AlertStatus::Resolved;
    event.started_at = kNotificationStart;
    event.time = kNotificationStart + 2h + 15min;
    event.reading = readings.back();
    for (const auto& each : readings) {
        event.extremes.add(each);
    }
    auto zone = TimeZone::load("Europe/Paris");
    REQUIRE(zone);
    event.zone = *zone;
    return event;
}

std::string render(const AlertEvent& event, std::string_view text) {
    auto parsed = Template::parse(text, notification_placeholders());
    REQUIRE(std::holds_alternative<Template>(parsed));
    return std::get<Template>(parsed).render(
        [&](std::string_view name) { return placeholder_value(event, name); }, event.zone);
}

}  // namespace

TEST_CASE("times and durations are seconds, printed by the template", "[notify]") {
    const AlertEvent event = episode({reading(29, 0min), reading(26, 135min)});
    CHECK(placeholder_value(event, "started_at") == Value(1792884600.0));
    CHECK(placeholder_value(event, "duration") == Value(8100.0));
    CHECK(render(event, "{{started_at}} → {{time}}, {{duration}}") ==
          "2026-10-24T23:30:00Z → 2026-10-25T01:45:00Z, 2 h 15 min");
    // Across the change to winter time: 01:30 CEST to 02:45 CET is 2 h 15 min.
    CHECK(render(event, "du {{started_at | local_datetime}} à {{time | local_time}}") ==
          "du 25/10/2026 01:30 à 02:45");
    CHECK(render(event, "{{reading_time | local_time('%H:%M %Z')}}") == "02:45 CET");
}

TEST_CASE("the episode's extremes and their times", "[notify]") {
    const AlertEvent event = episode({reading(29, 0min), reading(31.26, 30min), reading(27, 60min),
                                      reading(31.26, 90min), reading(26.4, 135min)});
    CHECK(render(event, "pic {{max_value | round(1)}} °C à {{max_time | local_time}}") ==
          "pic 31.3 °C à 02:00");
    CHECK(render(event, "creux {{min_value}} à {{min_time}}") ==
          "creux 26.4 à 2026-10-25T01:45:00Z");
}

TEST_CASE("an episode without numbers has empty extremes", "[notify]") {
    AlertEvent event = episode(
        {Reading{"ville", "reseau", "tension", std::string("rouge"), "", kNotificationStart}});
    CHECK_FALSE(event.extremes.known);
    CHECK(render(event, "[{{max_value | round(1)}}|{{min_time | local_time}}]") == "[|]");
}

TEST_CASE("NaN readings do not count in the extremes", "[notify]") {
    const AlertEvent event = episode({reading(std::nan(""), 0min), reading(20, 10min)});
    CHECK(event.extremes.min == 20);
    CHECK(event.extremes.max == 20);
}
