// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/agreement.h"

#include <catch2/catch.hpp>

namespace passerelle {
namespace {

Timestamp at(const char* text) {
    return *parse_utc(text);
}

Agreement temperatures_to_ccas() {
    Agreement agreement;
    agreement.id = "canicule-hs";
    agreement.from = "habitat-sud";
    agreement.to = {"ccas", "ville"};
    agreement.data = {"temperature"};
    agreement.entities = std::vector<std::string>{"hs-a-101", "hs-a-102"};
    agreement.valid_from = at("2026-06-01T00:00:00Z");
    agreement.valid_until = at("2026-10-01T00:00:00Z");
    return agreement;
}

}  // namespace

TEST_CASE("a party's own data needs no agreement", "[agreement]") {
    const DataFlow flow{"ccas", "vulnerable", "hs-a-102", true};
    CHECK(check_flow({}, flow, "ccas", at("2026-07-14T10:00:00Z")).verdict == FlowVerdict::Own);
    CHECK(check_flow({}, flow, "habitat-sud", at("2026-07-14T10:00:00Z")).verdict ==
          FlowVerdict::Missing);
}

TEST_CASE("an agreement covers its data, entities, recipients and dates only", "[agreement]") {
    const std::vector<Agreement> agreements{temperatures_to_ccas()};
    const DataFlow flow{"habitat-sud", "temperature", "hs-a-101", false};
    const Timestamp july = at("2026-07-14T10:00:00Z");
    const FlowCheck covered = check_flow(agreements, flow, "ccas", july);
    CHECK(covered.verdict == FlowVerdict::Covered);
    REQUIRE(covered.agreement != nullptr);
    CHECK(covered.agreement->id == "canicule-hs");
    CHECK(check_flow(agreements, flow, "logis-nord", july).verdict == FlowVerdict::Missing);
    CHECK(check_flow(agreements, {"habitat-sud", "humidity", "hs-a-101", false}, "ccas", july)
              .verdict == FlowVerdict::Missing);
    CHECK(check_flow(agreements, {"habitat-sud", "temperature", "hs-a-201", false}, "ccas", july)
              .verdict == FlowVerdict::Missing);
    CHECK(check_flow(agreements, {"logis-nord", "temperature", "hs-a-101", false}, "ccas", july)
              .verdict == FlowVerdict::Missing);
    // valid_until is the first instant no longer covered.
    CHECK(check_flow(agreements, flow, "ccas", at("2026-09-30T23:59:59Z")).allowed());
    const FlowCheck ended = check_flow(agreements, flow, "ccas", at("2026-10-01T00:00:00Z"));
    CHECK(ended.verdict == FlowVerdict::Expired);
    CHECK(ended.agreement == &agreements[0]);
    CHECK(check_flow(agreements, flow, "ccas", at("2026-05-31T23:00:00Z")).verdict ==
          FlowVerdict::NotYetValid);
}

TEST_CASE("'*' covers every datum but personal ones, which must be named", "[agreement]") {
    Agreement open = temperatures_to_ccas();
    open.data = {"*"};
    open.entities.reset();
    const Timestamp july = at("2026-07-14T10:00:00Z");
    CHECK(
        check_flow({open}, {"habitat-sud", "humidity", "hs-a-999", false}, "ccas", july).allowed());
    CHECK_FALSE(
        check_flow({open}, {"habitat-sud", "vulnerable", "hs-a-1", true}, "ccas", july).allowed());
    open.data.push_back("vulnerable");
    CHECK(
        check_flow({open}, {"habitat-sud", "vulnerable", "hs-a-1", true}, "ccas", july).allowed());
}

TEST_CASE("a signal belongs to no entity: an entity selector does not limit it", "[agreement]") {
    Agreement level = temperatures_to_ccas();
    level.from = "ville";
    level.data = {"canicule-level"};
    CHECK(check_flow({level}, {"ville", "canicule-level", "", false}, "ccas",
                     at("2026-07-14T10:00:00Z"))
              .allowed());
}

TEST_CASE("of two agreements, one valid now is chosen over an expired one", "[agreement]") {
    Agreement old = temperatures_to_ccas();
    old.id = "old";
    old.valid_until = at("2026-01-01T00:00:00Z");
    old.valid_from.reset();
    const std::vector<Agreement> agreements{old, temperatures_to_ccas()};
    const FlowCheck check =
        check_flow(agreements, {"habitat-sud", "temperature", "hs-a-101", false}, "ccas",
                   at("2026-07-14T10:00:00Z"));
    REQUIRE(check.verdict == FlowVerdict::Covered);
    CHECK(check.agreement->id == "canicule-hs");
    CHECK(describe({"habitat-sud", "temperature", "hs-a-101", false}) ==
          "habitat-sud's temperature of hs-a-101");
    CHECK(describe({"ccas", "vulnerable", "hs-a-101", true}) ==
          "ccas's vulnerable (personal data) of hs-a-101");
}

}  // namespace passerelle
