// SPDX-License-Identifier: Apache-2.0
#include "rules/compiler/entity_selector.h"

#include <catch2/catch.hpp>

#include "rules/config/rule_loader.h"
#include "rules/engine/rule_fixture.h"

using namespace passerelle;                  // NOLINT(google-build-using-namespace)
using namespace passerelle::rules;           // NOLINT(google-build-using-namespace)
using namespace passerelle::rules::testing;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

namespace {

Territory territory() {
    Territory t;
    t.stakeholders = {{"hs", "Habitat Sud", "bailleur", {}},
                      {"ln", "Logis Nord", "bailleur", {}},
                      {"chaleur", "Réseau de chaleur", "dsp-chaleur", {}}};
    t.entities.add(Entity{"hs-1", "dwelling", "hs", "bat-a", {}, {}, {}, {"rdc", "sud"}});
    t.entities.add(Entity{"hs-2", "dwelling", "hs", "bat-a", {}, {}, {}, {"sud"}});
    t.entities.add(Entity{"ln-1", "dwelling", "ln", "bat-b", {}, {}, {}, {"rdc"}});
    t.entities.add(Entity{"bat-a", "building", "hs", "", {}, {}, "sst", {}});
    t.entities.add(Entity{"bat-b", "building", "ln", "", {}, {}, "sst", {}});
    t.entities.add(Entity{"sst", "substation", "chaleur", "", {}, {}, {}, {}});
    return t;
}

// Loads `selector` as a rule's `entities:` and resolves it; "ids" or the diagnostics.
std::string resolve(const std::string& selector) {
    const std::string text =
        "version: 1\nrules:\n  - id: r\n    listen: telemetry/+/+/temperature\n"
        "    entities: " +
        selector + "\n    when: value > 1\n    actions: [{notify: hs, message: m}]\n";
    Diagnostics diagnostics;
    const auto file = load_rules_text(text, "r.yaml", diagnostics);
    if (!file || file->rules.empty() || !file->rules[0].entities) {
        return format_diagnostics(diagnostics);
    }
    const Territory t = territory();
    const auto set = resolve_selector(*file->rules[0].entities, t, diagnostics);
    if (!set) {
        return format_diagnostics(diagnostics);
    }
    std::string ids;
    for (const auto& entity : t.entities.all()) {
        if (set->contains(entity.id)) {
            ids += (ids.empty() ? "" : " ") + entity.id;
        }
    }
    return ids + (diagnostics.sorted().empty() ? "" : " | " + format_diagnostics(diagnostics));
}

}  // namespace

TEST_CASE("a selector takes the entities matching every field it gives", "[selector]") {
    CHECK(resolve("{type: dwelling}") == "hs-1 hs-2 ln-1");
    CHECK(resolve("{type: dwelling, provider: hs}") == "hs-1 hs-2");
    CHECK(resolve("{provider: [hs, ln], tags: rdc}") == "hs-1 ln-1");
    CHECK(resolve("{tags: [rdc, sud]}") == "hs-1");  // every tag listed
    CHECK(resolve("{building: bat-b}") == "ln-1");
    CHECK(resolve("{served_by: sst}") == "bat-a bat-b");
}

TEST_CASE("a selector naming what the registry lacks is an error where it is written",
          "[selector]") {
    CHECK_THAT(resolve("{type: dwelling, provider: hss}"),
               Catch::Contains("r.yaml:5:42: error[rules.unknown-selector-value]: no stakeholder "
                               "'hss' in the registry; did you mean 'hs'?"));
    CHECK_THAT(resolve("{type: dwelings}"),
               Catch::Contains("no entity type 'dwelings' in the registry; did you mean "
                               "'dwelling'?"));
    CHECK_THAT(resolve("{tags: [rdcc]}"), Catch::Contains("no tag 'rdcc' in the registry; did "
                                                          "you mean 'rdc'?"));
    CHECK_THAT(resolve("{typ: dwelling}"), Catch::Contains("did you mean 'type'?"));
    CHECK_THAT(resolve("{}"), Catch::Contains("needs at least one of type, provider"));
    CHECK_THAT(resolve("{type: []}"), Catch::Contains("'type' lists no value"));
    CHECK_THAT(resolve("{type: building, tags: rdc}"),
               Catch::Contains("warning[rules.selects-nothing]"));
}

TEST_CASE("a rule with a selector evaluates only the selected entities", "[selector][engine]") {
    Fixture f(R"(  - id: chaud-rdc
    listen: telemetry/+/+/temperature
    entities: {type: dwelling, tags: rdc}
    when: value >= 28
)");
    REQUIRE(f.compiled());
    CHECK(f.feed("telemetry/hs/a-1/temperature", 0min, 30) == Events{"firing a-1 @0"});
    CHECK(f.feed("telemetry/hs/a-2/temperature", 0min, 30).empty());
}

TEST_CASE("a selector on signals is refused", "[selector]") {
    Fixture f(R"(  - id: niveau
    listen: signal/ville/canicule-level
    entities: {type: dwelling}
    when: value >= 3
)");
    CHECK_FALSE(f.compiled());
    CHECK_THAT(f.errors, Catch::Contains("'listen' must be a telemetry/ filter"));
}
