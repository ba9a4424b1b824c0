// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/sharing_loader.h"

#include <catch2/catch.hpp>

#include "gateway/config/config_test_support.h"
#include "gateway/config/settings_loader.h"

namespace passerelle::config {
namespace {

using testing::errors;
using testing::TempDir;

const char* const kEntities =
    "attributes:\n"
    "  vulnerable: {owner: ccas, personal: true, description: registre canicule}\n"
    "entities:\n"
    "  - {id: hs-1, type: dwelling, provider: hs, attributes: {vulnerable: true}}\n"
    "  - {id: hs-2, type: dwelling, provider: hs}\n"
    "  - {id: hs-bat, type: building, provider: hs}\n";

std::optional<Settings> load_sharing(const TempDir& dir, const std::string& agreements,
                                     Diagnostics& diagnostics,
                                     const std::string& entities = kEntities) {
    dir.write("rules/none.yaml", "version: 1\nrules: []\n");
    dir.write("entities.yaml", entities);
    return load_settings(dir.write("passerelle.yaml",
                                   "stakeholders: [{id: hs}, {id: ccas}, {id: ville}]\n"
                                   "entities: entities.yaml\n"
                                   "time_zone: Europe/Paris\n"
                                   "rules: [rules/*.yaml]\n" +
                                       agreements),
                         diagnostics);
}

}  // namespace

TEST_CASE("agreements: parties, data, entities and dates in the territory's zone", "[settings]") {
    TempDir dir;
    Diagnostics diagnostics;
    const auto settings =
        load_sharing(dir,
                     "agreements:\n"
                     "  - id: canicule-hs\n"
                     "    from: hs\n"
                     "    to: [ccas, ville]\n"
                     "    data: [temperature, humidity]\n"
                     "    entities: {type: dwelling}\n"
                     "    purpose: Plan canicule\n"
                     "    valid_from: 2026-06-01\n"
                     "    valid_until: 2026-09-30\n"
                     "  - {id: vigilance, from: ville, to: hs, data: '*', purpose: Météo}\n",
                     diagnostics);
    INFO(errors(diagnostics));
    REQUIRE(settings);
    const auto& agreements = settings->territory.agreements;
    REQUIRE(agreements.size() == 2);
    const Agreement& canicule = agreements[0];
    CHECK(canicule.id == "canicule-hs");
    CHECK(canicule.from == "hs");
    CHECK(canicule.to == std::vector<std::string>{"ccas", "ville"});
    CHECK(canicule.data == std::vector<std::string>{"temperature", "humidity"});
    CHECK(canicule.entities == std::vector<std::string>{"hs-1", "hs-2"});
    CHECK(canicule.purpose == "Plan canicule");
    // Midnight in Paris, summer time; the last day is covered to its end.
    CHECK(canicule.valid_from == parse_utc("2026-05-31T22:00:00Z"));
    CHECK(canicule.valid_until == parse_utc("2026-09-30T22:00:00Z"));
    CHECK(canicule.valid_until_text == "2026-09-30");
    CHECK_FALSE(agreements[1].entities.has_value());
    CHECK_FALSE(agreements[1].valid_until.has_value());
    CHECK(agreements[1].to == std::vector<std::string>{"hs"});
    CHECK(agreements[1].data == std::vector<std::string>{"*"});
    const auto& vulnerable = settings->territory.attributes.at("vulnerable");
    CHECK(vulnerable.owner == "ccas");
    CHECK(vulnerable.personal);
    CHECK(vulnerable.description == "registre canicule");
    const Entity& dwelling = *settings->territory.entities.find("hs-1");
    CHECK(settings->territory.attribute_flow(dwelling, "vulnerable") ==
          DataFlow{"ccas", "vulnerable", "hs-1", true});
    CHECK(settings->territory.attribute_flow(dwelling, "floor") ==
          DataFlow{"hs", "floor", "hs-1", false});
}

TEST_CASE("agreement mistakes name the file, line and column", "[settings]") {
    TempDir dir;
    const auto check = [&](const std::string& agreements, const std::string& expected) {
        Diagnostics diagnostics;
        CHECK_FALSE(load_sharing(dir, agreements, diagnostics));
        INFO(errors(diagnostics));
        CHECK(errors(diagnostics).find(expected) != std::string::npos);
    };
    check("agreements:\n  - {id: a, from: hss, to: ccas, data: [t], purpose: p}\n",
          "passerelle.yaml:6:19: error[config.unknown-stakeholder]: 'hss' is not a declared "
          "stakeholder; did you mean 'hs'?");
    check("agreements:\n  - {id: a, from: hs, to: [ccas, cca], data: [t], purpose: p}\n",
          "'cca' is not a declared stakeholder; did you mean 'ccas'?");
    check("agreements:\n  - {id: a, from: hs, to: ccas, data: [t]}\n", "agreement needs 'purpose'");
    check("agreements:\n  - {id: a, from: hs, to: ccas, purpose: p}\n",
          "an agreement needs 'data'");
    check("agreements:\n  - {id: a, from: hs, to: hs, data: [t], purpose: p}\n",
          "'hs' needs no agreement to receive its own data");
    check(
        "agreements:\n  - {id: a, from: hs, to: ccas, data: [t], purpose: p,\n"
        "     valid_until: 2026-02-30}\n",
        "passerelle.yaml:7:19: error[config.bad-date]: 'valid_until' is a date written "
        "YYYY-MM-DD");
    check(
        "agreements:\n  - {id: a, from: hs, to: ccas, data: [t], purpose: p,\n"
        "     valid_from: 2026-06-01, valid_until: 2026-05-01}\n",
        "'valid_until' (2026-05-01) is before 'valid_from' (2026-06-01)");
    check(
        "agreements:\n  - {id: a, from: hs, to: ccas, data: [t], purpose: p,\n"
        "     entities: {type: dweling}}\n",
        "no entity type 'dweling' in the registry; did you mean 'dwelling'?");
    check(
        "agreements:\n  - {id: a, from: hs, to: ccas, data: [t], purpose: p}\n"
        "  - {id: a, from: hs, to: ville, data: [t], purpose: p}\n",
        "agreement 'a' is already declared at line 6");
    check("agreements:\n  - {id: a, from: hs, to: ccas, data: [t], purpose: p, until: x}\n",
          "unknown key 'until'");
    Diagnostics diagnostics;
    CHECK_FALSE(
        load_sharing(dir, "", diagnostics,
                     "attributes:\n  vulnerable: {owner: cas, personal: oui}\nentities: []\n"));
    CHECK(errors(diagnostics)
              .find("entities.yaml:2:23: error[config.unknown-stakeholder]: 'cas' "
                    "is not a declared stakeholder; did you mean 'ccas'?") != std::string::npos);
    CHECK(errors(diagnostics).find("'personal' is true or false") != std::string::npos);
}

}  // namespace passerelle::config
