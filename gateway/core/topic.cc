// SPDX-License-Identifier: Apache-2.0
#include "gateway/core/topic.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace passerelle {
namespace {

constexpr std::size_t kMaxTopicBytes = 65535;

Status check_common(std::string_view topic, std::string_view what) {
    if (topic.empty()) {
        return make_error("topic.empty", fmt::format("{} is empty", what));
    }
    if (topic.size() > kMaxTopicBytes) {
        return make_error("topic.too-long", fmt::format("{} is longer than 65535 bytes", what));
    }
    if (topic.find('\0') != std::string_view::npos) {
        return make_error("topic.nul", fmt::format("{} contains a NUL character", what));
    }
    return Ok{};
}

}  // namespace

std::vector<std::string_view> split_topic(std::string_view topic) {
    std::vector<std::string_view> levels;
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = topic.find('/', start);
        if (slash == std::string_view::npos) {
            levels.push_back(topic.substr(start));
            return levels;
        }
        levels.push_back(topic.substr(start, slash - start));
        start = slash + 1;
    }
}

Status validate_topic_name(std::string_view topic) {
    if (auto status = check_common(topic, "topic"); !status) {
        return status;
    }
    if (topic.find_first_of("+#") != std::string_view::npos) {
        return make_error("topic.wildcard",
                          fmt::format("topic '{}' contains a wildcard (+ or #)", topic));
    }
    return Ok{};
}

Status validate_topic_filter(std::string_view filter) {
    if (auto status = check_common(filter, "topic filter"); !status) {
        return status;
    }
    const auto levels = split_topic(filter);
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const auto level = levels[i];
        if (level.find('#') != std::string_view::npos &&
            (level != "#" || i + 1 != levels.size())) {
            return make_error("topic.bad-filter",
                              fmt::format("topic filter '{}': '#' must be a whole level and the last",
                                          filter));
        }
        if (level.find('+') != std::string_view::npos && level != "+") {
            return make_error(
                "topic.bad-filter",
                fmt::format("topic filter '{}': '+' must fill a whole level", filter));
        }
    }
    return Ok{};
}

bool topic_matches(std::string_view filter, std::string_view topic) {
    // A leading wildcard never matches a `$SYS`-style topic (MQTT 5 §4.7.2).
    if (!topic.empty() && topic.front() == '$' && !filter.empty() &&
        (filter.front() == '+' || filter.front() == '#')) {
        return false;
    }
    std::size_t f = 0;
    std::size_t t = 0;
    while (true) {
        const std::size_t f_end = std::min(filter.find('/', f), filter.size());
        const std::string_view level = filter.substr(f, f_end - f);
        if (level == "#") {
            return true;
        }
        if (t > topic.size()) {
            return false;
        }
        const std::size_t t_end = std::min(topic.find('/', t), topic.size());
        if (level != "+" && level != topic.substr(t, t_end - t)) {
            return false;
        }
        const bool filter_done = f_end == filter.size();
        const bool topic_done = t_end == topic.size();
        if (filter_done || topic_done) {
            // "a/#" also matches "a": the parent level.
            if (topic_done && !filter_done) {
                return filter.substr(f_end + 1) == "#";
            }
            return filter_done && topic_done;
        }
        f = f_end + 1;
        t = t_end + 1;
    }
}

bool filter_covers(std::string_view general, std::string_view specific) {
    const auto outer = split_topic(general);
    const auto inner = split_topic(specific);
    for (std::size_t i = 0; i < outer.size(); ++i) {
        if (outer[i] == "#") {
            return true;
        }
        if (i >= inner.size() || inner[i] == "#") {
            return false;
        }
        if (outer[i] != "+" && (inner[i] == "+" || inner[i] != outer[i])) {
            return false;
        }
    }
    return outer.size() == inner.size();
}

bool is_identifier(std::string_view text) {
    return !text.empty() && text.size() <= 128 && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
    });
}

Result<CanonicalTopic> parse_canonical_topic(std::string_view topic) {
    const auto levels = split_topic(topic);
    const auto check_level = [&](std::size_t index, std::string_view name) -> Status {
        if (!is_identifier(levels[index])) {
            return make_error("topic.bad-level",
                              fmt::format("topic '{}': {} '{}' must be letters, digits, '-', '_' "
                                          "or '.'",
                                          topic, name, levels[index]));
        }
        return Ok{};
    };
    if (levels[0] == "telemetry") {
        if (levels.size() != 4) {
            return make_error("topic.not-canonical",
                              fmt::format("topic '{}' is not telemetry/<provider>/<entity>/<quantity>",
                                          topic));
        }
        for (const auto& [index, name] :
             {std::pair{1U, "provider"}, std::pair{2U, "entity"}, std::pair{3U, "quantity"}}) {
            if (auto status = check_level(index, name); !status) {
                return status.error();
            }
        }
        return CanonicalTopic{TopicKind::Telemetry, std::string(levels[1]), std::string(levels[2]),
                              std::string(levels[3])};
    }
    if (levels[0] == "signal") {
        if (levels.size() != 3) {
            return make_error("topic.not-canonical",
                              fmt::format("topic '{}' is not signal/<provider>/<name>", topic));
        }
        for (const auto& [index, name] : {std::pair{1U, "provider"}, std::pair{2U, "name"}}) {
            if (auto status = check_level(index, name); !status) {
                return status.error();
            }
        }
        return CanonicalTopic{TopicKind::Signal, std::string(levels[1]), std::string(levels[2]),
                              std::string(levels[2])};
    }
    return make_error("topic.not-canonical",
                      fmt::format("topic '{}' is neither telemetry/... nor signal/...", topic));
}

std::string telemetry_topic(std::string_view provider, std::string_view entity,
                            std::string_view quantity) {
    return fmt::format("telemetry/{}/{}/{}", provider, entity, quantity);
}

std::string signal_topic(std::string_view provider, std::string_view name) {
    return fmt::format("signal/{}/{}", provider, name);
}

std::string as_topic_level(std::string text) {
    for (char& c : text) {
        if (!is_identifier(std::string_view(&c, 1))) {
            c = '_';
        }
    }
    return text.empty() ? std::string("_") : text;
}

}  // namespace passerelle
