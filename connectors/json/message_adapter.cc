// SPDX-License-Identifier: Apache-2.0
#include "connectors/json/message_adapter.h"

#include <algorithm>

#include <fmt/format.h>

#include "connectors/json/field_extraction.h"
#include "gateway/core/json_depth.h"
#include "gateway/core/rfc3339.h"
#include "gateway/core/topic.h"

namespace passerelle::connectors::json {
namespace {

using nlohmann::json;

// Sensors' messages are shallow; deep nesting is refused before the parser spends stack on it.
constexpr int kMaxDepth = 32;

Result<json> parse(std::string_view payload) {
    if (!json_nesting_within(payload, kMaxDepth)) {
        return make_error("json.bad-json",
                          fmt::format("JSON nested deeper than {} levels", kMaxDepth));
    }
    try {
        return json::parse(payload);
    } catch (const json::parse_error& e) {
        // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ...":
        // the position is given as a byte offset, the sentence after it is kept.
        std::string_view what = e.what();
        const std::size_t column = what.find(", column ");
        const std::size_t sentence =
            column == std::string_view::npos ? what.find("] ") : what.find(": ", column);
        what.remove_prefix(std::min(sentence + 2, what.size()));
        return make_error("json.bad-json",
                          fmt::format("malformed JSON at byte {}: {}", e.byte, what));
    } catch (const json::exception& e) {
        std::string_view what = e.what();
        what.remove_prefix(std::min(what.find("] ") + 2, what.size()));
        return make_error("json.bad-json", fmt::format("malformed JSON: {}", what));
    }
}

Result<Timestamp> record_time(const TimeSpec& spec, const json& record) {
    std::string why;
    const json* member = find_member(record, spec.pointer, why);
    if (member == nullptr) {
        return make_error("json.bad-time", fmt::format("no '{}': {}", spec.pointer.text, why));
    }
    std::optional<Timestamp> time;
    if (spec.format == TimeFormat::Rfc3339) {
        if (member->is_string()) {
            time = parse_rfc3339(member->get<std::string>());
        }
    } else if (member->is_number()) {
        const double number = member->get<double>();
        time = timestamp_from_epoch_seconds(
            spec.format == TimeFormat::UnixMilliseconds ? number / 1000.0 : number);
    }
    if (!time) {
        static constexpr std::string_view kFormats[] = {"an RFC 3339 date-time text",
                                                        "a number of seconds since 1970",
                                                        "a number of milliseconds since 1970"};
        return make_error("json.bad-time", fmt::format("'{}' is {} {}, not {}", spec.pointer.text,
                                                       json_kind(*member), member->dump(),
                                                       kFormats[static_cast<int>(spec.format)]));
    }
    return *time;
}

class MessageReader {
public:
    MessageReader(const Mapping& mapping, const Territory& territory, std::string_view topic,
                  Timestamp received)
        : mapping_(mapping),
          territory_(territory),
          topic_(topic),
          levels_(split_topic(topic)),
          received_(received) {}

    void read_record(const json& record, std::optional<std::size_t> index) {
        const std::string where = index ? fmt::format("topic '{}', record {}", topic_, *index)
                                        : fmt::format("topic '{}'", topic_);
        const auto fail = [&](const Error& error) {
            out_.errors.push_back({error.code, fmt::format("{}: {}", where, error.message)});
        };
        if (!record.is_object()) {
            fail(make_error("json.not-object", fmt::format("a record is a JSON object, this is {}",
                                                           json_kind(record))));
            return;
        }
        auto entity_id = resolve_name(mapping_.entity, "entity", record, levels_);
        if (!entity_id) {
            fail(entity_id.error());
            return;
        }
        const Entity* entity = territory_.entities.find(*entity_id);
        if (entity == nullptr) {
            // No record index: the gateway reports an unknown entity once an hour by its message.
            out_.errors.push_back(make_error(
                "device.unknown",
                fmt::format("unknown entity '{}' (topic '{}'): declare it in the entity registry",
                            *entity_id, topic_)));
            return;
        }
        Timestamp time = received_;
        if (mapping_.time) {
            auto parsed = record_time(*mapping_.time, record);
            if (!parsed) {
                fail(parsed.error());
                return;
            }
            time = *parsed;
        }
        DeviceReport& report = report_of(*entity, time);
        for (const FieldSpec& spec : mapping_.values) {
            auto value = extract_value(spec, record, levels_);
            if (!value) {
                fail(value.error());
            } else if (*value) {
                report.readings.push_back(
                    Reading{report.provider, report.entity, std::move((*value)->quantity),
                            std::move((*value)->value), std::move((*value)->unit), time});
            }
        }
    }

    void fail_message(const Error& error) {
        out_.errors.push_back({error.code, fmt::format("topic '{}': {}", topic_, error.message)});
    }

    MappedMessage finish() {
        // An entity whose every value failed has nothing to report.
        std::erase_if(out_.reports, [](const DeviceReport& r) { return r.readings.empty(); });
        return std::move(out_);
    }

private:
    DeviceReport& report_of(const Entity& entity, Timestamp time) {
        for (DeviceReport& report : out_.reports) {
            if (report.entity == entity.id) {
                report.time = std::max(report.time, time);  // the latest of its records
                return report;
            }
        }
        DeviceReport report;
        report.provider = entity.provider;
        report.entity = entity.id;
        report.protocol = "json";
        report.id = entity.id;
        report.source = topic_;
        report.time = time;
        out_.reports.push_back(std::move(report));
        return out_.reports.back();
    }

    const Mapping& mapping_;
    const Territory& territory_;
    std::string topic_;
    std::vector<std::string_view> levels_;
    Timestamp received_;
    MappedMessage out_;
};

}  // namespace

MappedMessage adapt_message(const Mapping& mapping, const Territory& territory,
                            std::string_view topic, std::string_view payload, Timestamp received) {
    MessageReader reader(mapping, territory, topic, received);
    auto document = parse(payload);
    if (!document) {
        reader.fail_message(document.error());
        return reader.finish();
    }
    if (!mapping.records) {
        reader.read_record(*document, std::nullopt);
        return reader.finish();
    }
    std::string why;
    const json* records = find_member(*document, *mapping.records, why);
    if (records == nullptr) {
        reader.fail_message(make_error("json.missing-field",
                                       fmt::format("no '{}': {}", mapping.records->text, why)));
    } else if (!records->is_array()) {
        reader.fail_message(
            make_error("json.bad-field", fmt::format("'{}' must be an array of records, got {}",
                                                     mapping.records->text, json_kind(*records))));
    } else {
        for (std::size_t i = 0; i < records->size(); ++i) {
            reader.read_record((*records)[i], i);
        }
    }
    return reader.finish();
}

}  // namespace passerelle::connectors::json
