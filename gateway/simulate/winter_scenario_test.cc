// SPDX-License-Identifier: Apache-2.0
#include "gateway/simulate/winter_scenario.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include <catch2/catch.hpp>

#include "gateway/config/settings_loader.h"
#include "gateway/core/agreement_test_support.h"
#include "gateway/core/topic.h"
#include "gateway/daemon/admission.h"
#include "gateway/ruletest/test_file.h"
#include "rules/actions/notification.h"
#include "rules/compiler/rule_compiler.h"
#include "rules/engine/engine.h"

using namespace passerelle;  // NOLINT(google-build-using-namespace)
using std::chrono::hours;
using std::chrono::minutes;

namespace {

Entity entity(const char* id, const char* type, const char* provider, const char* building = "") {
    Entity e;
    e.id = id;
    e.type = type;
    e.provider = provider;
    e.building = building;
    return e;
}

Stakeholder party(const char* id, const char* kind) {
    Stakeholder s;
    s.id = id;
    s.name = id;
    s.kind = kind;
    return s;
}

// The example territory's shape, built here so that these tests do not follow its edits.
Territory winter_territory() {
    Territory t;
    t.stakeholders = {party("ville", "ville"),
                      party("habitat-sud", "bailleur"),
                      party("logis-nord", "bailleur"),
                      party("chaleur", "dsp-chaleur"),
                      party("eau", "eau"),
                      party("reseau-electrique", "energie")};
    for (const char* id : {"hs-a-101", "hs-a-102", "hs-a-201"}) {
        t.entities.add(entity(id, "dwelling", "habitat-sud", "hs-bat-a"));
    }
    for (const char* id : {"ln-b-11", "ln-b-12"}) {
        t.entities.add(entity(id, "dwelling", "logis-nord", "ln-bat-b"));
    }
    t.entities.add(entity("hs-bat-a", "building", "habitat-sud"));
    t.entities.add(entity("ln-bat-b", "building", "logis-nord"));
    t.entities.add(entity("sst-nord", "substation", "chaleur"));
    t.entities.add(entity("cpt-hs-a", "water-meter", "eau", "hs-bat-a"));
    t.entities.add(entity("cpt-ln-b", "water-meter", "eau", "ln-bat-b"));
    t.entities.add(entity("pompage-sud", "pumping-station", "eau"));
    Entity heat_meter = entity("cpt-chaleur-nord", "heat-meter", "chaleur");
    heat_meter.tags = {"sst-nord"};
    t.entities.add(std::move(heat_meter));
    passerelle::test_support::share_all(t);
    return t;
}

TimeZone paris() {
    auto zone = TimeZone::load("Europe/Paris");
    REQUIRE(zone.has_value());
    return *zone;
}

Timestamp utc(const char* text) {
    const auto time = parse_utc(text);
    REQUIRE(time.has_value());
    return *time;
}

simulate::ScenarioOptions options_at(const char* start) {
    simulate::ScenarioOptions options;
    options.start = utc(start);
    options.zone = paris();
    return options;
}

double value_of(const simulate::ScheduledReading& item) {
    return std::get<double>(item.reading.value);
}

bool at_night(const TimeZone& zone, Timestamp t) {
    const LocalTime local = zone.local_time(t);
    return local.hour >= 2 && local.hour < 5;
}

}  // namespace

TEST_CASE("the winter scenario tells its story on the expected topics", "[simulate]") {
    const auto options = options_at("2026-11-25T10:00:00Z");
    auto readings = simulate::winter_scenario(winter_territory(), options);
    REQUIRE(readings.has_value());
    const auto timeline = simulate::winter_timeline(options);
    CHECK(readings->front().reading.time == options.start);
    CHECK(readings->back().reading.time == timeline.end);
    const auto length = timeline.end - timeline.start;
    CHECK(length >= std::chrono::days(3) + hours(6));
    CHECK(length <= std::chrono::days(4) + hours(7));

    std::map<std::string, int> per_topic;
    std::map<std::string, double> volumes;  // the latest index of each water meter
    std::vector<double> levels;
    std::vector<double> tensions;
    for (const auto& item : *readings) {
        ++per_topic[item.topic];
        const auto topic = parse_canonical_topic(item.topic);
        REQUIRE(topic.has_value());
        CHECK(topic->provider == item.reading.provider);
        CHECK(topic->quantity == item.reading.quantity);
        // Signals are states, kept by the broker; telemetry are events.
        CHECK(item.retained == (topic->kind == TopicKind::Signal));
        const double value = value_of(item);
        const Timestamp t = item.reading.time;
        if (item.topic == "signal/ville/canicule-level") {
            levels.push_back(value);
        } else if (item.topic == "signal/ville/outdoor-temperature") {
            CHECK(item.reading.unit == "Cel");
            CHECK(value >= 0.0);
            CHECK(value <= 8.0);
        } else if (item.topic == "signal/reseau-electrique/tension") {
            tensions.push_back(value);
            CHECK((value == 3) == (t >= timeline.red_from && t < timeline.red_to));
        } else if (item.reading.quantity == "temperature") {
            CHECK(item.reading.unit == "Cel");
            CHECK(value >= 18.9);
            CHECK(value <= 21.1);
        } else if (item.reading.quantity == "supply-temperature") {
            CHECK(item.topic == "telemetry/chaleur/sst-nord/supply-temperature");
            const bool fault = t >= timeline.fault_from && t < timeline.fault_to;
            CHECK((value < 60) == fault);
            CHECK(value >= (fault ? 50.0 : 65.0));
        } else if (item.reading.entity == "cpt-chaleur-nord") {
            // The substation's heat meter: supply and return 25 K apart, power in the hundreds of kW.
            if (item.reading.quantity == "return_temperature") {
                CHECK(value >= 25.0);
            } else if (item.reading.quantity == "power") {
                CHECK(value > 100000.0);
                CHECK(value < 400000.0);
            }
            CHECK(value > 0.0);
        } else if (item.reading.quantity == "volume_flow") {
            CHECK(item.reading.unit == "m3/s");
            CHECK(value >= 0.0);
        } else if (item.reading.quantity == "volume") {
            CHECK(item.reading.unit == "m3");
            auto [last, first] = volumes.try_emplace(item.reading.entity, value);
            CHECK(value >= last->second);  // an index never goes back
            last->second = value;
        } else if (item.reading.quantity == "power") {
            CHECK(item.topic == "telemetry/eau/pompage-sud/power");
            CHECK(item.reading.unit == "W");
            const bool peak = t >= timeline.peak_from && t < timeline.peak_to;
            CHECK((value > 50000) == peak);
        } else {
            FAIL("unexpected topic " << item.topic);
        }
    }
    CHECK(levels == std::vector<double>{1});
    CHECK(tensions == std::vector<double>{1, 3, 1});
    // Every quarter hour from the start to the end, both included.
    const auto steps = static_cast<int>(length / minutes(15)) + 1;
    CHECK(per_topic["signal/ville/outdoor-temperature"] == steps);
    CHECK(per_topic["telemetry/habitat-sud/hs-a-101/temperature"] == steps);
    CHECK(per_topic["telemetry/logis-nord/ln-b-12/temperature"] == steps - 12);  // 3 h silent
    CHECK(per_topic["telemetry/eau/cpt-hs-a/volume_flow"] == steps);
    CHECK(per_topic["telemetry/eau/cpt-ln-b/volume"] == steps);
    CHECK(per_topic["telemetry/chaleur/cpt-chaleur-nord/energy"] == steps);

    // The red evening overlaps the pumping peak, and the tension is red for hours.
    CHECK(timeline.red_from >= timeline.peak_from);
    CHECK(timeline.red_to <= timeline.peak_to);
    CHECK(timeline.red_to - timeline.red_from >= hours(2));
    // The heating fault lasts long enough for the rule's 15 minutes, by a cold night.
    CHECK(timeline.fault_to - timeline.fault_from >= hours(1));
}

TEST_CASE("the winter scenario is in time order and deterministic", "[simulate]") {
    const auto options = options_at("2026-11-25T10:00:00Z");
    auto readings = simulate::winter_scenario(winter_territory(), options);
    REQUIRE(readings.has_value());
    CHECK(std::is_sorted(readings->begin(), readings->end(), [](const auto& a, const auto& b) {
        return a.reading.time < b.reading.time;
    }));
    auto again = simulate::winter_scenario(winter_territory(), options);
    REQUIRE(again.has_value());
    REQUIRE(again->size() == readings->size());
    for (std::size_t i = 0; i < readings->size(); ++i) {
        CHECK((*again)[i].topic == (*readings)[i].topic);
        CHECK((*again)[i].reading.time == (*readings)[i].reading.time);
        CHECK(value_of((*again)[i]) == value_of((*readings)[i]));
    }
}

TEST_CASE("the leaking meter never stops at night until the repair, the other one does",
          "[simulate]") {
    // Starts at several times of day, and across both changes of summer time in Paris.
    const char* starts[] = {"2026-11-25T10:00:00Z", "2026-11-24T23:00:00Z", "2026-11-25T01:00:00Z",
                            "2026-11-25T22:45:00Z", "2026-03-27T12:00:00Z", "2026-10-23T00:15:00Z"};
    const TimeZone zone = paris();
    for (const char* start : starts) {
        INFO("start " << start);
        const auto options = options_at(start);
        const auto timeline = simulate::winter_timeline(options);
        auto readings = simulate::winter_scenario(winter_territory(), options);
        REQUIRE(readings.has_value());
        // Dry night readings of each meter, by local date, before and after the repair.
        std::map<std::string, std::set<int>> dry_nights;
        std::set<int> leak_nights;
        bool dry_after_repair = false;
        for (const auto& item : *readings) {
            const Timestamp t = item.reading.time;
            if (item.reading.quantity != "volume_flow" || !at_night(zone, t)) {
                continue;
            }
            const double flow = value_of(item);
            if (item.reading.entity == "cpt-ln-b" && t < timeline.repaired) {
                CHECK(flow > 0);
                leak_nights.insert(zone.local_time(t).day);
            } else if (flow == 0) {
                dry_nights[item.reading.entity].insert(zone.local_time(t).day);
                if (item.reading.entity == "cpt-ln-b" && t == timeline.first_dry_night) {
                    dry_after_repair = true;
                }
            }
        }
        // Three nights of 02:00-05:00 at least before the repair: the three days of history the
        // rule reads when the leak becomes known hold only leaking nights.
        CHECK(leak_nights.size() >= 3);
        CHECK(dry_nights["cpt-hs-a"].size() >= 3);
        CHECK(dry_nights["cpt-ln-b"].size() == 1);
        CHECK(dry_after_repair);
        // The repair comes after the alert, the dry night two hours or more after it.
        CHECK(timeline.repaired >= timeline.leak_known);
        CHECK(timeline.first_dry_night - timeline.leak_known >= hours(2));
        CHECK(zone.local_time(timeline.first_dry_night).hour == 2);
        // Every other event comes before the leak is known, in that order.
        CHECK(timeline.start < timeline.silent_from);
        CHECK(timeline.silent_to < timeline.fault_from);
        CHECK(timeline.fault_to < timeline.peak_from);
        CHECK(timeline.peak_to < timeline.leak_known);
        CHECK(timeline.end - timeline.start <= std::chrono::days(4) + hours(7));
    }
}

TEST_CASE("one dwelling falls silent for three hours, once", "[simulate]") {
    const auto options = options_at("2026-11-25T10:00:00Z");
    const auto timeline = simulate::winter_timeline(options);
    auto readings = simulate::winter_scenario(winter_territory(), options);
    REQUIRE(readings.has_value());
    std::map<std::string, Duration> longest_gap;
    std::map<std::string, Timestamp> last;
    for (const auto& item : *readings) {
        if (item.reading.quantity != "temperature") {
            continue;
        }
        const auto& id = item.reading.entity;
        if (const auto it = last.find(id); it != last.end()) {
            longest_gap[id] = std::max(longest_gap[id], item.reading.time - it->second);
        }
        last[id] = item.reading.time;
    }
    REQUIRE(longest_gap.size() == 5);
    for (const auto& [id, gap] : longest_gap) {
        INFO(id);
        // The last dwelling of the registry: its reading before 10:00, then the one at 13:00.
        CHECK(gap == (id == "ln-b-12" ? hours(3) + minutes(15) : minutes(15)));
    }
    CHECK(timeline.silent_to - timeline.silent_from == hours(3));
}

TEST_CASE("the winter scenario names what the territory lacks", "[simulate]") {
    simulate::ScenarioOptions options;
    auto empty = simulate::winter_scenario(Territory{}, options);
    REQUIRE_FALSE(empty.has_value());
    CHECK(empty.error().message ==
          "the winter scenario needs the town: a stakeholder of kind 'ville'");

    Territory no_pumps = winter_territory();
    Territory t;
    t.stakeholders = no_pumps.stakeholders;
    for (const auto& e : no_pumps.entities.all()) {
        if (e.type != "pumping-station") {
            t.entities.add(e);
        }
    }
    auto missing = simulate::winter_scenario(t, options);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == "simulate.no-pumping-station");
    CHECK(missing.error().message ==
          "the winter scenario needs entities of type 'pumping-station'");

    options.step = Duration::zero();
    auto no_step = simulate::winter_scenario(winter_territory(), options);
    REQUIRE_FALSE(no_step.has_value());
    CHECK(no_step.error().code == "simulate.bad-step");
}

TEST_CASE("scenarios are known by their names and aliases", "[simulate]") {
    CHECK(simulate::scenario_names() ==
          std::vector<std::string>{"canicule", "heatwave", "hiver", "winter"});
    CHECK(simulate::canonical_scenario_name("heatwave") == "canicule");
    CHECK(simulate::canonical_scenario_name("winter") == "hiver");
    CHECK(simulate::canonical_scenario_name("hiver") == "hiver");
    CHECK(simulate::canonical_scenario_name("été").empty());
    const auto options = options_at("2026-11-25T10:00:00Z");
    auto winter = simulate::make_scenario("winter", winter_territory(), options);
    REQUIRE(winter.has_value());
    CHECK(winter->size() == simulate::winter_scenario(winter_territory(), options)->size());
    auto unknown = simulate::make_scenario("été", winter_territory(), options);
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().message == "no scenario named 'été'");
}

// The example territory's rules over the scenario, as `replay` evaluates them: each winter rule
// fires once and resolves once, and tells whom it should.
TEST_CASE("over the example territory, the four winter rules fire and resolve", "[simulate]") {
    Diagnostics diagnostics;
    const auto settings = config::load_settings(
        PASSERELLE_SOURCE_DIR "/examples/territoire/passerelle.yaml", diagnostics);
    REQUIRE(settings.has_value());
    const auto rule_set =
        rules::load_and_compile_rules(settings->rule_files, settings->territory, diagnostics);
    REQUIRE(rule_set != nullptr);
    const Territory& territory = settings->territory;

    // Several times of day, and a start in summer time.
    for (const char* start : {"2026-11-25T10:00:00Z", "2026-11-24T23:00:00Z",
                              "2026-11-26T01:45:00Z", "2026-07-10T16:30:00Z"}) {
        INFO("start " << start);
        simulate::ScenarioOptions options;
        options.start = utc(start);
        options.zone = settings->time_zone;
        const auto timeline = simulate::winter_timeline(options);
        auto readings = simulate::winter_scenario(territory, options);
        REQUIRE(readings.has_value());

        rules::Engine engine(rule_set, territory, settings->time_zone);
        std::vector<rules::AlertEvent> events;
        using Told = std::tuple<std::string, std::string, std::string, std::string>;
        std::multiset<Told> told;  // rule, key, status, recipient
        std::map<std::string, std::pair<Timestamp, Timestamp>> when;  // rule: fired, resolved
        for (const auto& item : *readings) {
            // Every reading comes from its entity's owner: a gateway admits them all.
            const auto admitted = daemon::admit_reading(item.topic, item.reading, territory);
            INFO(item.topic);
            REQUIRE(admitted.has_value());
            engine.on_reading(item.topic, item.reading, events);
            for (const auto& event : events) {
                std::vector<std::string> skipped;
                for (const auto& n : rules::plan_notifications(event, territory, skipped)) {
                    told.emplace(event.rule->id, event.key, rules::to_string(event.status),
                                 n.recipient);
                }
                CHECK(skipped.empty());
                auto& times = when[event.rule->id];
                (event.status == rules::AlertStatus::Firing ? times.first : times.second) =
                    event.time;
            }
            events.clear();
        }
        const std::multiset<Told> expected{
            {"capteur-muet", "ln-b-22", "firing", "logis-nord"},
            {"capteur-muet", "ln-b-22", "resolved", "logis-nord"},
            {"effacement-pompage", "pompage-sud", "firing", "eau"},
            {"effacement-pompage", "pompage-sud", "resolved", "eau"},
            {"fuite-eau", "cpt-ln-b", "firing", "eau"},
            {"fuite-eau", "cpt-ln-b", "firing", "logis-nord"},
            {"fuite-eau", "cpt-ln-b", "resolved", "eau"},
            {"fuite-eau", "cpt-ln-b", "resolved", "logis-nord"},
            {"panne-chauffage", "sst-nord", "firing", "chaleur"},
            {"panne-chauffage", "sst-nord", "firing", "habitat-sud"},
            {"panne-chauffage", "sst-nord", "firing", "logis-nord"},
            {"panne-chauffage", "sst-nord", "resolved", "chaleur"},
            {"panne-chauffage", "sst-nord", "resolved", "habitat-sud"},
            {"panne-chauffage", "sst-nord", "resolved", "logis-nord"},
        };
        CHECK(told == expected);
        // About two hours after the silent sensor's last reading; back when it reports again.
        CHECK(when["capteur-muet"].first - (timeline.silent_from - minutes(15)) > hours(2));
        CHECK(when["capteur-muet"].first - (timeline.silent_from - minutes(15)) <=
              hours(2) + minutes(1));
        CHECK(when["capteur-muet"].second == timeline.silent_to);
        CHECK(when["panne-chauffage"].first == timeline.fault_from + minutes(15));
        CHECK(when["panne-chauffage"].second == timeline.fault_to);
        CHECK(when["effacement-pompage"].first == timeline.red_from);
        CHECK(when["effacement-pompage"].second == timeline.red_to);
        CHECK(when["fuite-eau"].first == timeline.leak_known);
        CHECK(when["fuite-eau"].second == timeline.first_dry_night);
    }
}
