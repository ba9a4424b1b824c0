// SPDX-License-Identifier: Apache-2.0
#include "gateway/storage/explain_text.h"

#include <catch2/catch.hpp>

using nlohmann::json;
using passerelle::storage::format_explanation;

TEST_CASE("an explanation prints the cause, the reading, the conditions and every input",
          "[explain]") {
    const json record = json::parse(R"json({
      "id": "3f2a000000000001", "rule": "canicule-logement", "key": "hs-a-101",
      "status": "firing", "ts": "2026-07-14T14:00:00Z", "started_at": "2026-07-14T14:00:00Z",
      "reading": {"entity": "hs-a-101", "provider": "habitat-sud", "quantity": "temperature",
                  "value": 29.5, "unit": "Cel", "t": "2026-07-14T13:45:00Z"},
      "recipients": ["ccas", "habitat-sud"],
      "explanation": {"cause": "deadline", "topic": "telemetry/habitat-sud/hs-a-101/temperature",
        "when": "value >= 28 and last(\"signal/ville/canicule-level\") >= 3", "when_result": true,
        "clear": "value < 26.5", "clear_result": false,
        "inputs": [{"source": "value", "value": 29.5},
                   {"source": "last(\"signal/ville/canicule-level\")", "value": null}],
        "pending_since": "2026-07-14T12:00:00Z", "firing_since": "2026-07-14T14:00:00Z",
        "for_s": 7200}
    })json");
    CHECK(format_explanation(record) ==
          "2026-07-14T14:00:00Z  firing  canicule-logement / hs-a-101  (alert 3f2a000000000001)\n"
          "  because   for (2 h) elapsed: the condition held since 2026-07-14T12:00:00Z\n"
          "  reading   telemetry/habitat-sud/hs-a-101/temperature = 29.5 Cel at "
          "2026-07-14T13:45:00Z\n"
          "  when      value >= 28 and last(\"signal/ville/canicule-level\") >= 3  -> true\n"
          "  clear     value < 26.5  -> false\n"
          "  inputs    value = 29.5\n"
          "            last(\"signal/ville/canicule-level\") = unknown\n"
          "  told      ccas, habitat-sud\n");
}

TEST_CASE("an explanation resolved by clear_for says since when the alert had cleared",
          "[explain]") {
    const json record = json::parse(R"json({
      "id": "x", "rule": "r", "key": "k", "status": "resolved", "ts": "2026-07-14T15:30:00Z",
      "recipients": [],
      "explanation": {"cause": "deadline", "resolving_since": "2026-07-14T15:00:00Z",
                      "clear_for_s": 1800, "for_s": 0}
    })json");
    const std::string text = format_explanation(record);
    CHECK_THAT(text, Catch::Contains("because   clear_for (30 min) elapsed: the alert had "
                                     "cleared since 2026-07-14T15:00:00Z"));
    CHECK_THAT(text, Catch::Contains("told      nobody (no action selected)"));
}

TEST_CASE("a record without an explanation prints what it has", "[explain]") {
    const json record = json::parse(R"json({"id": "x", "rule": "r", "key": "k", "status": "firing",
                                       "ts": "2026-07-14T15:30:00Z"})json");
    CHECK(format_explanation(record) ==
          "2026-07-14T15:30:00Z  firing  r / k  (alert x)\n  told      nobody (no action "
          "selected)\n");
}
