// SPDX-License-Identifier: Apache-2.0
#include "gateway/storage/explain_text.h"

#include <fmt/format.h>

namespace passerelle::storage {
namespace {

using nlohmann::json;

std::string text(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return {};
    }
    return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string value_text(const json& value) {
    if (value.is_null()) {
        return "unknown";
    }
    return value.is_string() ? "\"" + value.get<std::string>() + "\"" : value.dump();
}

std::string duration_text(const json& explanation, const char* key) {
    const auto seconds = explanation.value(key, 0LL);
    if (seconds % 3600 == 0) {
        return fmt::format("{} h", seconds / 3600);
    }
    return seconds % 60 == 0 ? fmt::format("{} min", seconds / 60) : fmt::format("{} s", seconds);
}

// Why the engine evaluated the rule, in a sentence.
std::string cause_text(const json& record, const json& explanation) {
    const std::string cause = text(explanation, "cause");
    if (cause == "reading") {
        return "a reading of the key";
    }
    if (cause == "joined value changed") {
        return "a value the rule reads with last() changed";
    }
    if (cause == "clock") {
        return "the evaluation of the minute (windows, age() or the calendar)";
    }
    if (cause == "deadline") {
        if (text(record, "status") == "resolved" && explanation.contains("resolving_since")) {
            return fmt::format("clear_for ({}) elapsed: the alert had cleared since {}",
                               duration_text(explanation, "clear_for_s"),
                               text(explanation, "resolving_since"));
        }
        return fmt::format("for ({}) elapsed: the condition held since {}",
                           duration_text(explanation, "for_s"), text(explanation, "pending_since"));
    }
    if (cause == "repeat") {
        return "repeat elapsed while the alert fires";
    }
    if (cause == "calm after flapping") {
        return "the key has been calm for the flapping window: where it stands now";
    }
    return cause;
}

}  // namespace

std::string format_explanation(const json& record) {
    std::string out =
        fmt::format("{}  {}  {} / {}  (alert {})\n", text(record, "ts"), text(record, "status"),
                    text(record, "rule"), text(record, "key"), text(record, "id"));
    const json explanation = record.value("explanation", json::object());
    const json reading = record.value("reading", json::object());
    const auto line = [&out](const char* label, const std::string& body) {
        out += fmt::format("  {:<9} {}\n", label, body);
    };
    if (explanation.contains("cause")) {
        line("because", cause_text(record, explanation));
    }
    if (!reading.empty()) {
        const std::string unit = text(reading, "unit");
        line("reading", fmt::format("{} = {}{} at {}", text(explanation, "topic"),
                                    value_text(reading.value("value", json())),
                                    unit.empty() ? "" : " " + unit, text(reading, "t")));
    }
    if (explanation.contains("when")) {
        line("when",
             fmt::format("{}  -> {}", text(explanation, "when"), text(explanation, "when_result")));
    }
    if (explanation.contains("clear")) {
        line("clear", fmt::format("{}  -> {}", text(explanation, "clear"),
                                  text(explanation, "clear_result")));
    }
    const char* label = "inputs";
    for (const auto& input : explanation.value("inputs", json::array())) {
        line(label, fmt::format("{} = {}", text(input, "source"),
                                value_text(input.value("value", json()))));
        label = "";
    }
    std::string told;
    for (const auto& recipient : record.value("recipients", json::array())) {
        told += (told.empty() ? "" : ", ") + recipient.get<std::string>();
    }
    line("told", told.empty() ? "nobody (no action selected)" : told);
    return out;
}

}  // namespace passerelle::storage
