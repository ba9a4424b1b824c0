// SPDX-License-Identifier: Apache-2.0
// The loader goes on after an error, so that one run shows every mistake of the file.
#include "connectors/modbus/map_loader.h"

#include <charconv>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "gateway/core/units.h"
#include "rules/config/yaml_source.h"

namespace passerelle::connectors::modbus {

namespace {

using rules::MappingReader;
using rules::span_of;

std::optional<double> optional_number(MappingReader& reader, const std::string& key) {
    const auto text = reader.optional_string(key);
    if (!text) {
        return std::nullopt;
    }
    double number = 0.0;
    const char* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, number);
    if (ec != std::errc() || ptr != end || !std::isfinite(number)) {
        reader.diagnostics().error("modbus.bad-number",
                                   fmt::format("'{}' must be a number, not '{}'", key, *text),
                                   span_of(reader.get(key), reader.file()));
        return std::nullopt;
    }
    return number;
}

/// An integer key within [low, high], or nullopt (reported) when outside.
std::optional<int> ranged_int(MappingReader& reader, const std::string& key, int low, int high) {
    const auto value = reader.optional_int(key);
    if (value && (*value < low || *value > high)) {
        reader.diagnostics().error(
            "modbus.bad-number",
            fmt::format("'{}' must be in {}..{}, not {}", key, low, high, *value),
            span_of(reader.get(key), reader.file()));
        return std::nullopt;
    }
    return value;
}

void read_transport(const YAML::Node& node, const std::string& file, Device& device,
                    Diagnostics& diagnostics) {
    MappingReader reader(node, file, "transport",
                         {"type", "host", "port", "unit_id", "timeout_ms", "poll_s", "retries"},
                         diagnostics);
    if (!reader.valid()) {
        return;
    }
    if (const auto type = reader.optional_string("type"); type && *type != "tcp") {
        diagnostics.error("modbus.bad-transport",
                          fmt::format("only 'tcp' transports are supported, not '{}'", *type),
                          span_of(reader.get("type"), file));
    }
    if (const auto host = reader.required_string("host")) {
        device.host = *host;
    }
    if (const auto port = ranged_int(reader, "port", 1, 65535)) {
        device.port = static_cast<std::uint16_t>(*port);
    }
    if (const auto unit = ranged_int(reader, "unit_id", 0, 255)) {
        device.unit_id = *unit;
    }
    if (const auto timeout = ranged_int(reader, "timeout_ms", 1, 60'000)) {
        device.timeout = std::chrono::milliseconds(*timeout);
    }
    // Decimals are allowed: a simulated device whose clock runs fast is polled many times a second.
    if (const auto poll = optional_number(reader, "poll_s")) {
        if (*poll < 0.01 || *poll > 86'400) {
            reader.diagnostics().error(
                "modbus.bad-number",
                fmt::format("'poll_s' must be in 0.01..86400 seconds, not {}", *poll),
                span_of(reader.get("poll_s"), file));
        } else {
            device.interval = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::duration<double>(*poll));
        }
    }
    if (const auto retries = ranged_int(reader, "retries", 0, 10)) {
        device.retries = *retries;
    }
}

struct PointSource {
    Point point;
    YAML::Node node;  // for diagnostics about the whole point
};

/// A point of the register list, or the device's clock: a register pair or quad holding its Unix
/// time, which has no name, scale, offset, unit or sentinel.
enum class PointKind : std::uint8_t { Reading, Clock };

std::optional<PointSource> read_point(const YAML::Node& node, const std::string& file, int base,
                                      ByteOrder default_order, Diagnostics& diagnostics,
                                      PointKind kind = PointKind::Reading) {
    const bool clock = kind == PointKind::Clock;
    MappingReader reader(
        node, file, clock ? "clock" : "register",
        clock ? std::vector<std::string>{"register", "address", "type", "byte_order"}
              : std::vector<std::string>{"name", "register", "address", "type", "byte_order",
                                         "scale", "offset", "unit", "no_value"},
        diagnostics);
    if (!reader.valid()) {
        return std::nullopt;
    }
    bool ok = true;
    PointSource source{Point{}, node};
    Point& point = source.point;
    point.order = default_order;
    if (clock) {
        point.name = "clock";
    } else if (const auto name = reader.required_string("name")) {
        point.name = *name;
    } else {
        ok = false;
    }
    if (const auto table = reader.required_string("register")) {
        if (const auto parsed = parse_table(*table)) {
            point.table = *parsed;
        } else {
            diagnostics.error(
                "modbus.bad-table",
                fmt::format("unknown register table '{}' (holding, input, coil, discrete)", *table),
                span_of(reader.get("register"), file));
            ok = false;
        }
    } else {
        ok = false;
    }
    const bool bits = is_bit_table(point.table);
    point.type = bits ? DataType::Bool : clock ? DataType::Uint32 : DataType::Uint16;
    if (const auto type = reader.optional_string("type")) {
        if (const auto parsed = parse_type(*type)) {
            point.type = *parsed;
            if (ok && bits != (point.type == DataType::Bool)) {
                diagnostics.error(
                    "modbus.type-mismatch",
                    bits ? fmt::format("a {} holds bits: its type can only be bool",
                                       table_name(point.table))
                         : fmt::format("bool is for coils and discrete inputs, not {} registers",
                                       table_name(point.table)),
                    span_of(reader.get("type"), file));
                ok = false;
            }
        } else {
            diagnostics.error("modbus.unknown-type",
                              fmt::format("unknown type '{}' (int16, uint16, int32, uint32, int64, "
                                          "float32, float64, bool)",
                                          *type),
                              span_of(reader.get("type"), file));
            ok = false;
        }
    }
    if (ok && clock &&
        (is_bit_table(point.table) ||
         (point.type != DataType::Uint32 && point.type != DataType::Int64))) {
        diagnostics.error("modbus.bad-clock",
                          "the clock is a uint32 or int64 in holding or input registers: the "
                          "device's Unix time in seconds",
                          reader.span());
        ok = false;
    }
    if (const auto order = reader.optional_string("byte_order")) {
        if (const auto parsed = parse_order(*order)) {
            point.order = *parsed;
        } else {
            diagnostics.error(
                "modbus.bad-order",
                fmt::format("unknown byte_order '{}' (ABCD, CDAB, BADC, DCBA)", *order),
                span_of(reader.get("byte_order"), file));
            ok = false;
        }
    }
    if (const auto address = reader.optional_int("address")) {
        // The last register of the point must exist too, after the base is taken off.
        const long first = static_cast<long>(*address) - base;
        const long last = first + static_cast<long>(width_of(point.type)) - 1;
        if (first < 0 || last > 65535) {
            diagnostics.error(
                "modbus.bad-address",
                fmt::format("address {} is outside {}..{} (address_base {}) for a {}", *address,
                            base, 65535 + base - static_cast<long>(width_of(point.type)) + 1, base,
                            type_name(point.type)),
                span_of(reader.get("address"), file));
            ok = false;
        } else {
            point.address = static_cast<std::uint16_t>(first);
        }
    } else {
        if (!reader.has("address")) {
            diagnostics.error("yaml.missing-key", "a register needs 'address'", reader.span());
        }
        ok = false;
    }
    if (const auto scale = optional_number(reader, "scale")) {
        point.scale = *scale;
    } else if (reader.has("scale")) {
        ok = false;
    }
    if (const auto offset = optional_number(reader, "offset")) {
        point.offset = *offset;
    } else if (reader.has("offset")) {
        ok = false;
    }
    if (const auto sentinel = optional_number(reader, "no_value")) {
        point.no_value = *sentinel;
    } else if (reader.has("no_value")) {
        ok = false;
    }
    if (const auto unit = reader.optional_string("unit")) {
        if (is_senml_unit(*unit)) {
            point.unit = *unit;
        } else {
            const auto hint = senml_unit_hint(*unit);
            diagnostics.error("modbus.bad-unit",
                              fmt::format("'{}' is not a SenML unit{}", *unit,
                                          hint ? fmt::format(", use {}", *hint) : ""),
                              span_of(reader.get("unit"), file));
            ok = false;
        }
    }
    if (!ok) {
        return std::nullopt;
    }
    return source;
}

/// Two points that share a register (or bit) of one table; maps are small, so pairs are fine.
void check_overlaps(const std::vector<PointSource>& sources, const std::string& file,
                    Diagnostics& diagnostics) {
    std::map<std::string, const PointSource*> names;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        const Point& a = sources[i].point;
        if (const auto [it, fresh] = names.emplace(a.name, &sources[i]); !fresh) {
            diagnostics.error("modbus.duplicate-name",
                              fmt::format("'{}' names two points (see line {})", a.name,
                                          span_of(it->second->node, file).line),
                              span_of(sources[i].node, file));
        }
        for (std::size_t j = 0; j < i; ++j) {
            const Point& b = sources[j].point;
            const std::size_t a_end = a.address + width_of(a.type);
            const std::size_t b_end = b.address + width_of(b.type);
            if (a.table == b.table && a.address < b_end && b.address < a_end) {
                diagnostics.error(
                    "modbus.overlap",
                    fmt::format("'{}' shares {} addresses with '{}' (line {})", a.name,
                                table_name(a.table), b.name, span_of(sources[j].node, file).line),
                    span_of(sources[i].node, file));
            }
        }
    }
}

std::optional<Device> read_device(const YAML::Node& root, const std::string& file,
                                  Diagnostics& diagnostics) {
    const std::size_t errors_before = diagnostics.error_count();
    MappingReader reader(root, file, "Modbus device",
                         {"device", "transport", "address_base", "byte_order", "max_gap",
                          "max_registers", "registers", "clock"},
                         diagnostics);
    if (!reader.valid()) {
        return std::nullopt;
    }
    Device device;
    if (const auto name = reader.required_string("device")) {
        device.name = *name;
    }
    if (reader.has("transport")) {
        read_transport(reader.get("transport"), file, device, diagnostics);
    } else {
        diagnostics.error("yaml.missing-key", "a Modbus device needs 'transport'", reader.span());
    }
    // No default base: a map copied from a manual is off by one without anyone noticing.
    int base = 0;
    if (const auto value = reader.optional_int("address_base")) {
        if (*value != 0 && *value != 1) {
            diagnostics.error("modbus.bad-base",
                              fmt::format("address_base must be 0 or 1, not {}", *value),
                              span_of(reader.get("address_base"), file));
        }
        base = *value == 1 ? 1 : 0;
    } else if (!reader.has("address_base")) {
        diagnostics.error("yaml.missing-key",
                          "a Modbus device needs 'address_base': 0 when addresses are the ones "
                          "sent on the wire, 1 when they count from 1 as manuals often do",
                          reader.span());
    }
    ByteOrder order = ByteOrder::ABCD;
    if (const auto text = reader.optional_string("byte_order")) {
        if (const auto parsed = parse_order(*text)) {
            order = *parsed;
        } else {
            diagnostics.error(
                "modbus.bad-order",
                fmt::format("unknown byte_order '{}' (ABCD, CDAB, BADC, DCBA)", *text),
                span_of(reader.get("byte_order"), file));
        }
    }
    if (const auto gap = ranged_int(reader, "max_gap", 0, 125)) {
        device.limits.max_gap = static_cast<std::uint16_t>(*gap);
    }
    if (const auto most = ranged_int(reader, "max_registers", 1, 125)) {
        device.limits.max_registers = static_cast<std::uint16_t>(*most);
    }
    const YAML::Node registers = reader.get("registers");
    if (!registers || !registers.IsSequence() || registers.size() == 0) {
        diagnostics.error("modbus.no-registers", "a Modbus device needs a list of 'registers'",
                          registers ? span_of(registers, file) : reader.span());
    } else {
        std::vector<PointSource> sources;
        for (const YAML::Node& node : registers) {
            if (auto source = read_point(node, file, base, order, diagnostics)) {
                sources.push_back(std::move(*source));
            }
        }
        std::optional<PointSource> clock;
        if (reader.has("clock")) {
            clock =
                read_point(reader.get("clock"), file, base, order, diagnostics, PointKind::Clock);
            if (clock) {
                sources.push_back(*clock);  // its registers are no point's
            }
        }
        check_overlaps(sources, file, diagnostics);
        if (clock) {
            sources.pop_back();
            device.clock = std::move(clock->point);
        }
        for (PointSource& source : sources) {
            device.map.points.push_back(std::move(source.point));
        }
    }
    if (diagnostics.error_count() != errors_before) {
        return std::nullopt;
    }
    return device;
}

}  // namespace

std::optional<Device> load_device_file(const std::string& path, Diagnostics& diagnostics) {
    const auto root = rules::load_yaml_file(path, diagnostics);
    if (!root) {
        return std::nullopt;
    }
    return read_device(*root, path, diagnostics);
}

std::optional<Device> load_device_text(std::string_view text, const std::string& file,
                                       Diagnostics& diagnostics) {
    const auto root = rules::load_yaml_text(text, file, diagnostics);
    if (!root) {
        return std::nullopt;
    }
    return read_device(*root, file, diagnostics);
}

}  // namespace passerelle::connectors::modbus
