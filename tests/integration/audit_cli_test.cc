// SPDX-License-Identifier: Apache-2.0
// `passerelle audit` on a store's audit log: filters, the three formats, and the hash chain's
// verification finding an edited row.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway/store/store.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/territory_run.h"
#include "tests/support/temp_dir.h"

using namespace passerelle;           // NOLINT(google-build-using-namespace)
using namespace passerelle::testing;  // NOLINT(google-build-using-namespace)

namespace {

namespace fs = std::filesystem;

/// Three notifications of a heatwave, sent on 14 July 2026 (UTC): two for the CCAS, one for a
/// landlord; the second carried two parties' data.
void write_audit_log(const fs::path& data) {
    auto store = store::Store::open(data);
    INFO((store ? "" : store.error().message));
    REQUIRE(store.has_value());
    const auto at = [](int hour) {
        return *parse_utc(fmt::format("2026-07-14T{:02}:00:00Z", hour));
    };
    const auto sha = [](const std::string& payload) { return store::sha256_hex(payload); };
    const std::vector<store::AuditRecord> records{
        {0,
         at(6),
         {"ccas",
          "canicule-logement",
          "a1",
          "firing",
          {"habitat-sud"},
          "notify/ccas/canicule-logement/hs-a-301"},
         std::nullopt,
         sha("a1"),
         ""},
        {0,
         at(9),
         {"ccas",
          "canicule-logement",
          "a2",
          "firing",
          {"logis-nord", "ville"},
          "notify/ccas/canicule-logement/ln-b-11"},
         "canicule-2026",
         sha("a2"),
         ""},
        {0,
         at(23),
         {"habitat-sud",
          "immeuble-chaud",
          "a3",
          "resolved",
          {"habitat-sud"},
          "notify/habitat-sud/immeuble-chaud/hs-bat-a"},
         std::nullopt,
         sha("a3"),
         ""},
    };
    for (const auto& record : records) {
        REQUIRE((*store)->audit().append(record).has_value());
    }
}

}  // namespace

TEST_CASE("audit prints who received what, from whose data, filtered", "[audit]") {
    const ScratchDir dir("passerelle-audit");
    const std::string config = copy_example_territory(dir.path());
    const std::string data = (dir / "data").string();
    write_audit_log(data);

    const auto all = run_passerelle({"audit", "-c", config, "--data", data});
    INFO(all.err);
    REQUIRE(all.status.success());
    const auto table = lines_of(all.out);
    REQUIRE(table.size() == 4);
    CHECK(table[0].starts_with("sent (Europe/Paris)  recipient    rule "));
    // Local time: 06:00Z is 08:00 in Paris in July.
    CHECK(
        table[1].starts_with("2026-07-14 08:00:00  ccas         canicule-logement  a1     firing"));
    CHECK(table[2].find("logis-nord ville  canicule-2026") != std::string::npos);
    CHECK(all.err.find("3 notification(s)") != std::string::npos);

    CHECK(
        lines_of(run_passerelle({"audit", "-c", config, "--data", data, "--recipient", "ccas"}).out)
            .size() == 3);
    const auto from_logis =
        run_passerelle({"audit", "-c", config, "--data", data, "--provider", "logis-nord"});
    REQUIRE(lines_of(from_logis.out).size() == 2);
    CHECK(lines_of(from_logis.out)[1].find(" a2 ") != std::string::npos);
    const auto by_rule =
        run_passerelle({"audit", "-c", config, "--data", data, "--rule", "immeuble-chaud"});
    CHECK(lines_of(by_rule.out).size() == 2);
    // A date is midnight in the territory's zone: 2026-07-14T22:00Z, so only the last one.
    const auto late =
        run_passerelle({"audit", "-c", config, "--data", data, "--since", "2026-07-15"});
    REQUIRE(lines_of(late.out).size() == 2);
    CHECK(lines_of(late.out)[1].find(" a3 ") != std::string::npos);
    CHECK(lines_of(run_passerelle(
                       {"audit", "-c", config, "--data", data, "--since", "2026-07-14T08:30:00Z"})
                       .out)
              .size() == 3);

    SECTION("CSV and JSON lines") {
        const auto csv = run_passerelle({"audit", "-c", config, "--data", data, "--format", "csv"});
        const auto rows = lines_of(csv.out);
        REQUIRE(rows.size() == 4);
        CHECK(rows[0] ==
              "seq,sent,recipient,rule,alert_id,notice,providers,agreement,topic,payload_sha256");
        CHECK(
            rows[2].starts_with("2,2026-07-14T09:00:00Z,ccas,canicule-logement,a2,firing,"
                                "logis-nord ville,canicule-2026,notify/ccas/"));
        const auto jsonl =
            run_passerelle({"audit", "-c", config, "--data", data, "--format", "jsonl"});
        const auto objects = lines_of(jsonl.out);
        REQUIRE(objects.size() == 3);
        const auto second = nlohmann::json::parse(objects[1]);
        CHECK(second["providers"] == nlohmann::json::array({"logis-nord", "ville"}));
        CHECK(second["agreement"] == "canicule-2026");
        CHECK(nlohmann::json::parse(objects[0])["agreement"].is_null());
        CHECK(second["hash"].get<std::string>().size() == 64);
    }

    SECTION("an unknown party is pointed out, with a suggestion") {
        const auto typo =
            run_passerelle({"audit", "-c", config, "--data", data, "--recipient", "ccsa"});
        CHECK(typo.status.success());
        CHECK(typo.err.find("'ccsa' is not a stakeholder of the configuration; did you mean "
                            "'ccas'?") != std::string::npos);
        CHECK(lines_of(typo.out).size() == 1);
    }
}

TEST_CASE("audit --verify finds an edited row; a missing store is exit 4", "[audit]") {
    const ScratchDir dir("passerelle-audit");
    const std::string config = copy_example_territory(dir.path());
    const std::string data = (dir / "data").string();
    write_audit_log(data);

    const auto intact = run_passerelle({"audit", "-c", config, "--data", data, "--verify"});
    CHECK(intact.status.success());
    CHECK(intact.out == "audit log: 3 rows, chain intact\n");
    {
        auto database = store::Database::open(fs::path(data) / store::Store::kFileName);
        REQUIRE(database.has_value());
        // Someone hides that the CCAS was told: the row is changed in place.
        REQUIRE(database->execute("UPDATE audit SET recipient = 'ville' WHERE seq = 2"));
    }
    const auto edited = run_passerelle({"audit", "-c", config, "--data", data, "--verify"});
    CHECK(edited.status.code == 1);
    CHECK(edited.out ==
          "audit log: the chain breaks at row 2: row 2 was changed after it was written\n");

    const auto missing =
        run_passerelle({"audit", "-c", config, "--data", (dir / "nowhere").string()});
    CHECK(missing.status.code == 4);
    CHECK(missing.err.find("audit: ") != std::string::npos);
    CHECK(run_passerelle({"audit", "-c", config, "--data", data, "--since", "yesterday"})
              .status.code == 2);
}
