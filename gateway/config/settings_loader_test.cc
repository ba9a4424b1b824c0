// SPDX-License-Identifier: Apache-2.0
#include "gateway/config/settings_loader.h"

#include <catch2/catch.hpp>

#include "gateway/config/config_test_support.h"

using namespace passerelle;  // NOLINT(google-build-using-namespace)
namespace fs = std::filesystem;
using passerelle::testing::errors;
using passerelle::testing::TempDir;


TEST_CASE("the example territory loads", "[settings]") {
    Diagnostics diagnostics;
    auto settings = config::load_settings(
        PASSERELLE_SOURCE_DIR "/examples/territoire/passerelle.yaml", diagnostics);
    INFO(errors(diagnostics));
    REQUIRE(settings.has_value());
    CHECK(settings->instance == "territoire-demo");
    CHECK(settings->broker.client_id == "passerelle-territoire-demo");
    CHECK(settings->territory.find_stakeholder("ccas") != nullptr);
    CHECK(settings->territory.entities.all().size() >= 8);
    CHECK(settings->rule_files.size() == 6);  // the five scenarios of the design, a hot building
    CHECK(settings->time_zone.name() == "Europe/Paris");
    CHECK(settings->territory.entities.served_by("sst-nord").size() == 2);
}

TEST_CASE("time zones and relations are checked", "[settings]") {
    TempDir dir;
    dir.write("rules/a.yaml", "version: 1\nrules: []\n");
    dir.write("entities.yaml",
              "entities:\n  - {id: bat-a, type: building, provider: hs, served_by: sst-nrod}\n"
              "  - {id: sst-nord, type: substation, provider: hs}\n");
    const std::string config = dir.write(
        "passerelle.yaml",
        "stakeholders: [{id: hs, name: H, kind: bailleur}]\nentities: entities.yaml\n"
        "time_zone: Europe/Pariss\nrules: [rules/*.yaml]\n");
    Diagnostics diagnostics;
    CHECK_FALSE(config::load_settings(config, diagnostics));
    const std::string text = errors(diagnostics);
    CHECK_THAT(text, Catch::Contains("passerelle.yaml:3:12: error[config.bad-time-zone]"));
    CHECK_THAT(text, Catch::Contains("Europe/Pariss"));
    CHECK_THAT(text, Catch::Contains("entity 'bat-a' is served by 'sst-nrod', which is not a "
                                     "declared entity; did you mean 'sst-nord'?"));
}

TEST_CASE("a configuration with entities and rules globs", "[settings]") {
    TempDir dir;
    dir.write("rules/a.yaml", "version: 1\nrules: []\n");
    dir.write("rules/b.yaml", "version: 1\nrules: []\n");
    dir.write("entities.yaml",
              "entities:\n  - {id: logt-1, type: dwelling, provider: hs, building: a, "
              "attributes: {vulnerable: true, floor: 3, note: 'x'}}\n");
    const auto path = dir.write("passerelle.yaml",
                                "instance: test\nbroker: {url: 'tcp://127.0.0.1:1999'}\n"
                                "stakeholders: [{id: hs, name: Habitat Sud}]\n"
                                "entities: entities.yaml\nrules: rules/*.yaml\n");
    Diagnostics diagnostics;
    auto settings = config::load_settings(path, diagnostics);
    INFO(errors(diagnostics));
    REQUIRE(settings.has_value());
    CHECK(settings->broker.url == "tcp://127.0.0.1:1999");
    CHECK(settings->rule_files.size() == 2);
    const Entity* entity = settings->territory.entities.find("logt-1");
    REQUIRE(entity != nullptr);
    CHECK(std::get<bool>(entity->attributes.at("vulnerable")));
    CHECK(std::get<double>(entity->attributes.at("floor")) == 3.0);
    CHECK(std::get<std::string>(entity->attributes.at("note")) == "x");
}

TEST_CASE("configuration errors name the file, line and column", "[settings]") {
    TempDir dir;
    dir.write("entities.yaml", "entities:\n  - {id: logt-1, provider: hx}\n");
    const auto path = dir.write("passerelle.yaml",
                                "instance: test\nbrokr: {}\nstakeholders: [{id: hs}]\n"
                                "entities: entities.yaml\nrules: missing/*.yaml\n");
    Diagnostics diagnostics;
    CHECK_FALSE(config::load_settings(path, diagnostics).has_value());
    const std::string text = errors(diagnostics);
    CHECK(text.find("entities.yaml:2:28: error[config.unknown-stakeholder]: provider 'hx' is "
                    "not a declared stakeholder; did you mean 'hs'?") != std::string::npos);
    CHECK(text.find("passerelle.yaml:2:1: error[yaml.unknown-key]: unknown key 'brokr' in a "
                    "configuration; did you mean 'broker'?") != std::string::npos);
    CHECK(text.find("passerelle.yaml:5:8: error[config.no-such-file]: no file matches "
                    "'missing/*.yaml'") != std::string::npos);
}

TEST_CASE("an attribute must keep one type across entities", "[settings]") {
    TempDir dir;
    dir.write("rules/a.yaml", "version: 1\nrules: []\n");
    dir.write("entities.yaml",
              "entities:\n  - {id: a, provider: hs, attributes: {vulnerable: True}}\n"
              "  - {id: b, provider: hs, attributes: {vulnerable: oui, floor: nan}}\n");
    const auto path = dir.write("passerelle.yaml",
                                "stakeholders: [{id: hs}]\nentities: entities.yaml\n"
                                "rules: rules/*.yaml\n");
    Diagnostics diagnostics;
    CHECK_FALSE(config::load_settings(path, diagnostics).has_value());
    const std::string text = errors(diagnostics);
    CHECK(text.find("entities.yaml:3:52: error[config.attribute-type]: attribute 'vulnerable' is "
                    "text here but true/false at line 2; give it the same type everywhere "
                    "(true/false, a number, or text)") != std::string::npos);
    INFO(text);
    CHECK(diagnostics.error_count() == 1);  // "nan" is text, the only value of `floor`
}

TEST_CASE("a bad broker URL is a configuration error", "[settings]") {
    TempDir dir;
    dir.write("rules/a.yaml", "version: 1\nrules: []\n");
    const auto path = dir.write("passerelle.yaml",
                                "broker: {url: 'http://example:80'}\nrules: rules/*.yaml\n");
    Diagnostics diagnostics;
    CHECK_FALSE(config::load_settings(path, diagnostics).has_value());
    CHECK(errors(diagnostics).find("passerelle.yaml:1:15: error[config.bad-broker-url]") !=
          std::string::npos);
}

TEST_CASE("rules are watched by default, and `rules_reload` turns it off or sets the quiet time",
          "[settings]") {
    TempDir dir;
    dir.write("rules/a.yaml", "version: 1\nrules: []\n");
    const auto plain = dir.write("plain.yaml", "rules: [rules/*.yaml, rules/a.yaml]\n");
    Diagnostics diagnostics;
    auto settings = config::load_settings(plain, diagnostics);
    REQUIRE(settings.has_value());
    CHECK(settings->rules_reload.watch);
    CHECK(settings->rules_reload.debounce == std::chrono::milliseconds(500));
    REQUIRE(settings->rule_globs.size() == 2);
    CHECK(settings->rule_globs[0].ends_with("/rules/*.yaml"));
    CHECK(settings->rule_files.size() == 1);

    const auto tuned = dir.write(
        "tuned.yaml", "rules: rules/*.yaml\nrules_reload: {watch: false, debounce: 2s}\n");
    settings = config::load_settings(tuned, diagnostics);
    REQUIRE(settings.has_value());
    CHECK_FALSE(settings->rules_reload.watch);
    CHECK(settings->rules_reload.debounce == std::chrono::seconds(2));

    const auto bad =
        dir.write("bad.yaml", "rules: rules/*.yaml\nrules_reload: {watch: oui, debounce: 1ms}\n");
    CHECK_FALSE(config::load_settings(bad, diagnostics).has_value());
    const std::string text = errors(diagnostics);
    CHECK_THAT(text, Catch::Contains("bad.yaml:2:23: error[config.bad-watch]: 'watch' must be "
                                     "true or false"));
    CHECK_THAT(text, Catch::Contains("bad.yaml:2:38: error[config.bad-debounce]: 'debounce' must "
                                     "be at least 50ms"));
}

TEST_CASE("the explain log is kept 30 days unless `storage.explain_retention` says otherwise",
          "[settings]") {
    TempDir dir;
    dir.write("rules/a.yaml", "version: 1\nrules: []\n");
    Diagnostics diagnostics;
    auto settings = config::load_settings(dir.write("plain.yaml", "rules: rules/*.yaml\n"),
                                          diagnostics);
    REQUIRE(settings.has_value());
    CHECK(settings->explain_retention == std::chrono::hours(24 * 30));
    settings = config::load_settings(
        dir.write("short.yaml", "rules: rules/*.yaml\nstorage: {explain_retention: 2d}\n"),
        diagnostics);
    REQUIRE(settings.has_value());
    CHECK(settings->explain_retention == std::chrono::hours(48));
    CHECK_FALSE(config::load_settings(
                    dir.write("bad.yaml", "rules: rules/*.yaml\nstorage: {explain_retention: 2}\n"),
                    diagnostics)
                    .has_value());
    CHECK_THAT(errors(diagnostics), Catch::Contains("bad.yaml:2:30"));
}

TEST_CASE("the store keeps readings 30 days and the rules resume from 7, unless told otherwise",
          "[settings]") {
    TempDir dir;
    dir.write("rules/a.yaml", "version: 1\nrules: []\n");
    Diagnostics diagnostics;
    auto settings =
        config::load_settings(dir.write("plain.yaml", "rules: rules/*.yaml\n"), diagnostics);
    REQUIRE(settings.has_value());
    CHECK(settings->history_retention == std::chrono::hours(24 * 30));
    CHECK(settings->restore_window == std::chrono::hours(24 * 7));
    CHECK(settings->dead_letter_retention == std::chrono::hours(24 * 30));
    CHECK(settings->outbox_limit == 100'000);

    settings = config::load_settings(
        dir.write("set.yaml",
                  "rules: rules/*.yaml\nstorage: {history_retention: 14d, "
                  "restore_window: 2d, dead_letter_retention: 1d, outbox_limit: 500}\n"),
        diagnostics);
    REQUIRE(settings.has_value());
    CHECK(settings->history_retention == std::chrono::hours(24 * 14));
    CHECK(settings->restore_window == std::chrono::hours(48));
    CHECK(settings->dead_letter_retention == std::chrono::hours(24));
    CHECK(settings->outbox_limit == 500);

    CHECK_FALSE(
        config::load_settings(dir.write("bad.yaml",
                                        "rules: rules/*.yaml\nstorage:\n  history_retention: 1d\n"
                                        "  outbox_limit: 0\n"),
                              diagnostics)
            .has_value());
    const std::string text = errors(diagnostics);
    CHECK_THAT(text, Catch::Contains("bad.yaml:3:22: error[config.bad-restore-window]: "
                                     "'restore_window' (7d) cannot be longer than "
                                     "'history_retention' (1d)"));
    CHECK_THAT(text, Catch::Contains("bad.yaml:4:17: error[config.bad-outbox-limit]"));

    settings =
        config::load_settings(dir.write("thin.yaml",
                                        "rules: rules/*.yaml\nstorage: {downsample_after: 10d, "
                                        "downsample_to: 1h}\n"),
                              diagnostics);
    REQUIRE(settings.has_value());
    CHECK(settings->downsample_after == std::optional<Duration>(std::chrono::hours(240)));
    CHECK(settings->downsample_to == std::chrono::hours(1));
    CHECK_FALSE(
        config::load_settings(
            dir.write("early.yaml", "rules: rules/*.yaml\nstorage: {downsample_after: 1d}\n"),
            diagnostics)
            .has_value());
    CHECK_THAT(errors(diagnostics),
               Catch::Contains("early.yaml:2:29: error[config.bad-downsample]: 'downsample_after' "
                               "(1d) cannot be shorter than 'restore_window' (7d)"));
}
