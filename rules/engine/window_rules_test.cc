// SPDX-License-Identifier: Apache-2.0
// Rules reading history and time: windows, age(), the calendar, and evaluation on the clock.
#include <catch2/catch.hpp>

#include "rules/engine/rule_fixture.h"

using namespace passerelle;                  // NOLINT(google-build-using-namespace)
using namespace passerelle::rules;           // NOLINT(google-build-using-namespace)
using namespace passerelle::rules::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

TEST_CASE("avg over a window: unknown until the history covers it", "[engine][window]") {
    Fixture f(R"(  - id: chaud-moyen
    listen: telemetry/+/+/temperature
    when: avg(temperature, 1h) >= 28
)");
    REQUIRE(f.compiled());
    const std::string topic = "telemetry/hs/a-1/temperature";
    // 30 °C from the start: no alert before an hour of history, then at once.
    for (int m = 0; m < 60; m += 15) {
        CHECK(f.feed(topic, std::chrono::minutes(m), 30).empty());
    }
    CHECK(f.feed(topic, 60min, 30) == Events{"firing a-1 @60"});
    // One reading at 20 °C pulls the average of (60, 120] below 28 at 120 min.
    CHECK(f.feed(topic, 75min, 30).empty());
    CHECK(f.feed(topic, 90min, 30).empty());
    CHECK(f.feed(topic, 105min, 30).empty());
    CHECK(f.feed(topic, 120min, 14) == Events{"resolved a-1 @120"});
}

TEST_CASE("a window over another quantity of the same entity", "[engine][window]") {
    Fixture f(R"(  - id: humide-et-chaud
    listen: telemetry/+/+/temperature
    when: value > 25 and max(humidity, 30min) > 70
)");
    REQUIRE(f.compiled());
    CHECK(f.feed("telemetry/hs/a-1/humidity", 0min, 75).empty());
    CHECK(f.feed("telemetry/hs/a-1/humidity", 30min, 65).empty());
    CHECK(f.feed("telemetry/hs/a-2/humidity", 30min, 90).empty());
    // (0, 30] holds 65 only for a-1; a-2's humidity is not a-1's.
    CHECK(f.feed("telemetry/hs/a-1/temperature", 30min, 26).empty());
    CHECK(f.feed("telemetry/hs/a-1/humidity", 40min, 71).empty());
    CHECK(f.feed("telemetry/hs/a-1/temperature", 41min, 26) == Events{"firing a-1 @41"});
    const auto& filters = f.engine().rules().subscriptions();
    CHECK(std::find(filters.begin(), filters.end(), "telemetry/+/+/humidity") != filters.end());
}

TEST_CASE("age() fires on the clock when a sensor falls silent", "[engine][age]") {
    Fixture f(R"(  - id: capteur-muet
    listen: telemetry/+/+/temperature
    when: age() > 2h
)");
    REQUIRE(f.compiled());
    CHECK(f.feed("telemetry/hs/a-1/temperature", 0min, 21).empty());
    CHECK(f.feed("telemetry/hs/a-2/temperature", 0min, 21).empty());
    CHECK(f.feed("telemetry/hs/a-2/temperature", 100min, 21).empty());
    CHECK(f.advance(120min).empty());
    // Evaluated each minute of rule time: 121 min is the first step where age > 2 h.
    CHECK(f.advance(125min) == Events{"firing a-1 @121"});
    CHECK(f.advance(221min) == Events{"firing a-2 @221"});
    CHECK(f.feed("telemetry/hs/a-1/temperature", 230min, 21) == Events{"resolved a-1 @230"});
}

TEST_CASE("a changed joined signal evaluates the keys again at once", "[engine][join]") {
    Fixture f(R"(  - id: canicule
    listen: telemetry/+/+/temperature
    when: value >= 28 and last("signal/ville/canicule-level") >= 3
    for: 2h
)");
    REQUIRE(f.compiled());
    CHECK(f.feed("signal/ville/canicule-level", 0min, 3).empty());
    CHECK(f.feed("telemetry/hs/a-1/temperature", 0min, 29).empty());
    // The level falls to 2 at 60 min: the pending alert stops then, not at the next reading.
    CHECK(f.feed("signal/ville/canicule-level", 60min, 2).empty());
    CHECK(f.engine().pending_count() == 0);
    CHECK(f.feed("signal/ville/canicule-level", 90min, 3).empty());
    CHECK(f.engine().pending_count() == 1);
    CHECK(f.advance(210min) == Events{"firing a-1 @210"});
    // The same level again is no change.
    CHECK(f.feed("signal/ville/canicule-level", 220min, 3).empty());
    CHECK(f.feed("signal/ville/canicule-level", 230min, 1) == Events{"resolved a-1 @230"});
}

TEST_CASE("calendar functions read the evaluation time in the zone", "[engine][calendar]") {
    Fixture f(R"(  - id: nuit
    listen: telemetry/+/+/temperature
    when: value > 25 and (hour() >= 22 or hour() < 6)
)");
    REQUIRE(f.compiled());
    // kStart is 01:00 UTC: night; at 5 h 59 min (06:59) it is day.
    CHECK(f.feed("telemetry/hs/a-1/temperature", 0min, 26) == Events{"firing a-1 @0"});
    CHECK(f.advance(299min).empty());
    CHECK(f.advance(301min) == Events{"resolved a-1 @300"});
    CHECK(f.advance(21h) == Events{"firing a-1 @1260"});
}

TEST_CASE("delta and rate of a counter, with min and max beside the builtins",
          "[engine][window]") {
    Fixture f(R"(  - id: conso
    listen: telemetry/+/+/volume
    when: delta(volume, 1h) > 0.5 and rate(volume, 1h) * 1h > 0.5 and min(value, 2) == 2
)");
    REQUIRE(f.compiled());
    const std::string topic = "telemetry/hs/a-1/volume";
    CHECK(f.feed(topic, 0min, 100).empty());
    CHECK(f.feed(topic, 30min, 100.3).empty());
    CHECK(f.feed(topic, 60min, 100.6).empty());  // (0, 60]: 100.3 → 100.6, a delta of 0.3
    CHECK(f.feed(topic, 90min, 101.2) == Events{"firing a-1 @90"});
}

TEST_CASE("window calls are checked when the rules load", "[engine][window][check]") {
    const auto error_of = [](const std::string& when, const std::string& listen =
                                                           "telemetry/+/+/temperature") {
        Fixture f("  - id: r\n    listen: " + listen + "\n    when: '" + when + "'\n");
        return f.errors;
    };
    CHECK_THAT(error_of("avg(temperature) > 3"),
               Catch::Contains("avg() takes a quantity or a topic in quotes, a duration"));
    CHECK_THAT(error_of("avg(temperature, 1h, \"2:00-05:00\") > 3"),
               Catch::Contains("hours of the day are written \"HH:MM-HH:MM\""));
    CHECK_THAT(error_of("avg(humidity, 1h) > 3", "telemetry/hs/#"),
               Catch::Contains("needs a listen filter ending with the quantity"));
    CHECK_THAT(error_of("avg(\"telemetry/hs\", 1h) > 3"), Catch::Contains("r.yaml:5:"));
    CHECK_THAT(error_of("hour(1) > 3"), Catch::Contains("hour() takes no argument"));
    CHECK_THAT(error_of("avrg(temperature, 1h) > 3"), Catch::Contains("did you mean 'avg'"));
    CHECK(error_of("avg(\"signal/ville/outdoor-temperature\", 1h) < 10 and age() < 1h").empty());
}

TEST_CASE("a join first used after a window leaves the window's slot in place", "[engine][window]") {
    // Slots are handed out as conditions use them: the second rule's join must not move the
    // first rule's window.
    Fixture f(R"(  - id: muet
    listen: telemetry/+/+/temperature
    when: age() > 1h
    actions:
      - notify: hs
        message: m
  - id: froid
    listen: telemetry/+/+/temperature
    when: value < 15 and last("signal/ville/outdoor-temperature") < 10
)");
    REQUIRE(f.compiled());
    CHECK(f.feed("signal/ville/outdoor-temperature", 0min, 5).empty());
    CHECK(f.feed("telemetry/hs/a-1/temperature", 0min, 20).empty());
    CHECK(f.advance(61min) == Events{"firing a-1 @61"});
    CHECK(f.feed("telemetry/hs/a-1/temperature", 70min, 12) ==
          Events{"resolved a-1 @70", "firing a-1 @70"});
}

TEST_CASE("clear_for holds a firing alert until the clear condition has lasted", "[engine][clear]") {
    Fixture f(R"(  - id: chaud
    listen: telemetry/+/+/temperature
    when: value >= 28
    clear: value < 26
    clear_for: 30min
)");
    REQUIRE(f.compiled());
    const std::string topic = "telemetry/hs/a-1/temperature";
    CHECK(f.feed(topic, 0min, 29) == Events{"firing a-1 @0"});
    CHECK(f.feed(topic, 10min, 25).empty());
    CHECK(f.feed(topic, 20min, 27).empty());  // not clear: the 30 min start again at the next one
    CHECK(f.feed(topic, 30min, 25).empty());
    CHECK(f.feed(topic, 50min, 25).empty());
    // Resolved by the clock at 30 + 30 min, with no reading at that time.
    CHECK(f.advance(59min).empty());
    CHECK(f.advance(61min) == Events{"resolved a-1 @60"});
}

TEST_CASE("repeat sends the firing notice again while the alert lasts", "[engine][repeat]") {
    Fixture f(R"(  - id: chaud
    listen: telemetry/+/+/temperature
    when: value >= 28
    repeat: 1h
)");
    REQUIRE(f.compiled());
    const std::string topic = "telemetry/hs/a-1/temperature";
    CHECK(f.feed(topic, 0min, 29) == Events{"firing a-1 @0"});
    CHECK(f.advance(59min).empty());
    CHECK(f.advance(130min) == Events{"firing a-1 @60", "firing a-1 @120"});
    CHECK(f.feed(topic, 150min, 20) == Events{"resolved a-1 @150"});
    CHECK(f.advance(300min).empty());
}

TEST_CASE("an episode's extremes span its repeats and its resolving phase", "[engine][episode]") {
    auto paris = TimeZone::load("Europe/Paris");
    REQUIRE(paris);
    Fixture f(R"(  - id: chaud
    listen: telemetry/+/+/temperature
    when: value >= 28
    clear: value < 26
    clear_for: 30min
    repeat: 1h
)",
              *paris);
    REQUIRE(f.compiled());
    const std::string topic = "telemetry/hs/a-1/temperature";
    const auto extremes = [&f] {
        REQUIRE(f.last_events.size() == 1);
        const EpisodeExtremes& e = f.last_events[0].extremes;
        return std::vector<double>{e.min, double((e.min_at - kStart) / 1min), e.max,
                                   double((e.max_at - kStart) / 1min)};
    };
    CHECK(f.feed(topic, 0min, 29) == Events{"firing a-1 @0"});
    CHECK(extremes() == std::vector<double>{29, 0, 29, 0});
    CHECK(f.last_events[0].zone.name() == "Europe/Paris");
    f.feed(topic, 30min, 33);
    CHECK(f.advance(61min) == Events{"firing a-1 @60"});  // a repeat: the peak so far
    CHECK(extremes() == std::vector<double>{29, 0, 33, 30});
    f.feed(topic, 70min, 25);  // resolving
    f.feed(topic, 80min, 27);  // firing again, without a notice
    f.feed(topic, 90min, 24);  // resolving from 90
    f.feed(topic, 100min, 25);
    CHECK(f.advance(121min) == Events{"resolved a-1 @120"});
    CHECK(extremes() == std::vector<double>{24, 90, 33, 30});
    // A new episode starts its extremes afresh.
    CHECK(f.feed(topic, 200min, 30) == Events{"firing a-1 @200"});
    CHECK(extremes() == std::vector<double>{30, 200, 30, 200});
}
