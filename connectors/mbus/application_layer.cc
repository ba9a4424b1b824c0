// SPDX-License-Identifier: Apache-2.0
// Walks the data records of an EN 13757-3 variable data structure, one DIF at a time.
#include "connectors/mbus/application_layer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "connectors/mbus/data_field.h"
#include "connectors/mbus/vif_table.h"
#include "gateway/core/units.h"

namespace passerelle::connectors::mbus {
namespace {

constexpr std::uint8_t kIdleFiller = 0x2F;
constexpr std::uint8_t kManufacturerData = 0x0F;
constexpr std::uint8_t kMoreRecordsFollow = 0x1F;
constexpr std::uint8_t kExtensionBit = 0x80;

Error bad_record(std::string message) {
    return make_error("mbus.bad-record", std::move(message));
}

Error truncated(std::size_t record_at, std::string_view what) {
    return bad_record(fmt::format("truncated record at byte {}: {}", record_at, what));
}

// Text fields are ISO 8859-1 (EN 13757-3), sent last character first; JSON needs UTF-8.
std::string latin1_reversed(std::span<const std::uint8_t> bytes) {
    std::string text;
    text.reserve(bytes.size());
    for (std::size_t i = bytes.size(); i > 0; --i) {
        const std::uint8_t c = bytes[i - 1];
        if (c < 0x80) {
            text.push_back(static_cast<char>(c));
        } else {
            text.push_back(static_cast<char>(0xC0 | (c >> 6)));
            text.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return text;
}

void append_note(std::string& note, std::string_view more) {
    if (more.empty()) {
        return;
    }
    if (!note.empty()) {
        note += "; ";
    }
    note += more;
}

// The data field as read, before the VIF gives it a meaning.
struct Field {
    enum class Kind : std::uint8_t { None, Integer, Real, Text, Hex };
    Kind kind = Kind::None;
    Coding coding = Coding::None;
    std::int64_t integer = 0;
    std::uint64_t unsigned_integer = 0;
    double real = 0.0;
    std::string text;                   // Text (UTF-8) or Hex
    std::optional<std::string> digits;  // BCD digits, for identifiers
    std::string note;
    std::span<const std::uint8_t> bytes;
};

class Reader {
public:
    Reader(std::span<const std::uint8_t> data, std::size_t base) : data_(data), base_(base) {}

    bool at_end() const { return pos_ >= data_.size(); }
    std::size_t left() const { return data_.size() - pos_; }
    std::size_t pos() const { return pos_; }
    std::size_t absolute(std::size_t pos) const { return base_ + pos; }
    std::uint8_t next() { return data_[pos_++]; }
    std::uint8_t peek() const { return data_[pos_]; }
    std::span<const std::uint8_t> take(std::size_t count) {
        auto bytes = data_.subspan(pos_, count);
        pos_ += count;
        return bytes;
    }
    std::span<const std::uint8_t> between(std::size_t from, std::size_t to) const {
        return data_.subspan(from, to - from);
    }

private:
    std::span<const std::uint8_t> data_;
    std::size_t base_;
    std::size_t pos_ = 0;
};

// Fills `field` in place, as read_field does.
Status read_variable(Reader& reader, std::size_t record_at, Field& field) {
    if (reader.at_end()) {
        return truncated(record_at, "LVAR byte missing");
    }
    const std::uint8_t lvar = reader.next();
    std::size_t size = 0;
    enum class Variant : std::uint8_t { Text, PositiveBcd, NegativeBcd, Binary, Real };
    Variant variant = Variant::Text;
    if (lvar <= 0xBF) {
        size = lvar;
    } else if (lvar <= 0xC9) {
        size = lvar - 0xC0U;
        variant = Variant::PositiveBcd;
    } else if (lvar >= 0xD0 && lvar <= 0xD9) {
        size = lvar - 0xD0U;
        variant = Variant::NegativeBcd;
    } else if (lvar >= 0xE0 && lvar <= 0xEF) {
        size = lvar - 0xE0U;
        variant = Variant::Binary;
    } else if (lvar >= 0xF0 && lvar <= 0xFA) {
        size = lvar - 0xF0U;
        variant = Variant::Real;
    } else {
        return bad_record(
            fmt::format("reserved LVAR 0x{:02X} in record at byte {}", lvar, record_at));
    }
    if (reader.left() < size) {
        return truncated(record_at, fmt::format("variable-length data needs {} bytes, {} left",
                                                size, reader.left()));
    }
    field.bytes = reader.take(size);
    switch (variant) {
        case Variant::Text:
            field.kind = Field::Kind::Text;
            field.text = latin1_reversed(field.bytes);
            break;
        case Variant::PositiveBcd:
        case Variant::NegativeBcd:
            if (auto digits = bcd_digits(field.bytes);
                digits && !field.bytes.empty() && field.bytes.size() <= 9) {
                field.kind = Field::Kind::Integer;
                field.integer = *read_bcd(field.bytes);
                if (variant == Variant::NegativeBcd) {
                    field.integer = -field.integer;
                } else {
                    field.digits = std::move(digits);
                }
            } else {
                field.kind = Field::Kind::Hex;
                field.text = to_hex(field.bytes);
                field.note = "variable-length BCD not decoded (invalid digits or size)";
            }
            break;
        case Variant::Binary:
            // "binary number" of any length: its signedness is not specified, so it is kept as
            // sent.
            field.kind = Field::Kind::Hex;
            field.text = to_hex(field.bytes);
            field.note = "variable-length binary kept as hex";
            break;
        case Variant::Real:
            field.kind = Field::Kind::Hex;
            field.text = to_hex(field.bytes);
            field.note = "variable-length floating point (undefined in EN 13757-3) kept as hex";
            break;
    }
    return Ok{};
}

// The float's shortest decimal form as a double: 41.737434, not 41.73743438720703, since the meter
// sent no more than single precision.
double shortest_double(float value) {
    std::array<char, 32> buffer{};
    const auto written = fmt::format_to_n(buffer.data(), buffer.size(), "{}", value);
    double result = value;
    std::from_chars(buffer.data(), written.out, result);
    return result;
}

// Fills `field` in place: a record is read without moving its strings around (meter_bench).
Status read_field(Reader& reader, std::uint8_t dif, std::size_t record_at, Field& field) {
    const FieldCoding coding = field_coding(dif);
    field.coding = coding.coding;
    switch (coding.coding) {
        case Coding::None:
            field.note = "no data";
            return Ok{};
        case Coding::Selection:
            field.note = "selection for readout (no data)";
            return Ok{};
        case Coding::Variable:
            return read_variable(reader, record_at, field);
        case Coding::Special:
            return bad_record(fmt::format("reserved DIF 0x{:02X} at byte {}", dif, record_at));
        case Coding::Integer:
        case Coding::Real:
        case Coding::Bcd:
            break;
    }
    if (reader.left() < coding.size) {
        return truncated(record_at,
                         fmt::format("data needs {} bytes, {} left", coding.size, reader.left()));
    }
    field.bytes = reader.take(coding.size);
    if (coding.coding == Coding::Integer) {
        field.kind = Field::Kind::Integer;
        field.integer = read_signed(field.bytes);
        field.unsigned_integer = read_unsigned(field.bytes);
    } else if (coding.coding == Coding::Real) {
        const float real = read_real32(field.bytes);
        if (std::isfinite(real)) {
            field.kind = Field::Kind::Real;
            field.real = shortest_double(real);
        } else {
            field.kind = Field::Kind::Hex;
            field.text = to_hex(field.bytes);
            field.note = "real value is not finite";
        }
    } else if (const auto value = read_bcd(field.bytes)) {
        field.kind = Field::Kind::Integer;
        field.integer = *value;
        field.digits = bcd_digits(field.bytes);  // nullopt for negative BCD
    } else {
        field.kind = Field::Kind::Hex;
        field.text = to_hex(field.bytes);
        field.note = "invalid BCD digits";
    }
    return Ok{};
}

double power_of_ten(int exponent) {
    static constexpr std::array<double, 23> kPowers{1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const int magnitude = exponent < 0 ? -exponent : exponent;
    if (magnitude < static_cast<int>(kPowers.size())) {
        return kPowers[static_cast<std::size_t>(magnitude)];
    }
    return std::pow(10.0, magnitude);
}

// Dividing by an exact power of ten rounds once: 12565 * 10^-3 gives 12.565,
// not 12.565000000000001.
double scaled(double raw, const VifEntry& entry) {
    double value = entry.exponent < 0 ? raw / power_of_ten(entry.exponent)
                                      : raw * power_of_ten(entry.exponent);
    if (entry.multiply != 1.0) {
        value *= entry.multiply;
    }
    if (entry.divide != 1.0) {
        value /= entry.divide;
    }
    return value + entry.offset;
}

void assign_raw(DataRecord& record, const Field& field) {
    if (field.kind != Field::Kind::None || !field.bytes.empty()) {
        record.value = to_hex(field.bytes);
    }
}

void assign_date(DataRecord& record, const Field& field) {
    if (field.kind == Field::Kind::Text) {
        record.value = field.text;
        return;
    }
    if (field.coding != Coding::Integer) {
        assign_raw(record, field);
        append_note(record.note, "date in a non-integer data field kept as hex");
        return;
    }
    DateText date;
    switch (field.bytes.size()) {
        case 2:
            date = decode_date_g(field.bytes);
            break;
        case 4:
            date = decode_date_time_f(field.bytes);
            break;
        case 6:
            date = decode_date_time_i(field.bytes);
            break;
        default:
            assign_raw(record, field);
            append_note(record.note, fmt::format("date in a {}-byte integer is not defined",
                                                 field.bytes.size()));
            return;
    }
    if (date.text.empty()) {
        append_note(record.note, date.note);  // not set or marked invalid: no value
        return;
    }
    record.value = std::move(date.text);
}

void assign_value(DataRecord& record, const VifEntry& entry, const Field& field) {
    append_note(record.note, field.note);
    if (field.coding == Coding::None || field.coding == Coding::Selection) {
        return;
    }
    switch (entry.kind) {
        case ValueKind::Raw:
            record.unit.clear();
            assign_raw(record, field);
            return;
        case ValueKind::DateTime:
            record.unit.clear();
            assign_date(record, field);
            return;
        case ValueKind::Identifier:
            record.unit.clear();
            if (field.kind == Field::Kind::Integer) {
                record.value =
                    field.digits ? *field.digits : std::to_string(field.unsigned_integer);
                return;
            }
            break;
        case ValueKind::Number:
            if (field.kind == Field::Kind::Integer) {
                record.value = scaled(static_cast<double>(field.integer), entry);
                return;
            }
            if (field.kind == Field::Kind::Real) {
                record.value = scaled(field.real, entry);
                return;
            }
            break;
    }
    // Text, hex of an invalid field, or a real where an identifier is expected: not a number.
    record.unit.clear();
    if (field.kind == Field::Kind::Real) {
        record.value = field.real;
    } else if (field.kind == Field::Kind::Text || field.kind == Field::Kind::Hex) {
        record.value = field.text;
    }
}

struct Header {
    std::uint8_t vif = 0;
    std::array<std::uint8_t, kMaxExtensions> vifes{};
    std::size_t vife_count = 0;
    std::string plain_text;
};

// The VIF's meaning: the entry, the quantity name and where the combinable VIFEs start.
struct Meaning {
    VifEntry entry;
    std::string quantity;
    std::size_t first_combinable = 0;
    bool apply_combinables = true;
};

Meaning resolve_vif(const Header& header, std::string& note) {
    const std::uint8_t vif = header.vif;
    const unsigned code = vif & 0x7FU;
    const bool extended = (vif & kExtensionBit) != 0;
    Meaning meaning;
    meaning.entry.kind = ValueKind::Raw;
    auto unknown = [&](std::string quantity, const std::string& text) {
        meaning.quantity = std::move(quantity);
        meaning.apply_combinables = false;
        append_note(note, text);
    };
    if (code == 0x7B || code == 0x7D) {
        if (!extended) {
            unknown(fmt::format("vif_{:02x}", vif),
                    fmt::format("unknown VIF 0x{:02X} (extension table without its code)", vif));
            return meaning;
        }
        const std::uint8_t table_code = header.vifes[0];
        const auto entry = code == 0x7D ? extension_fd(table_code) : extension_fb(table_code);
        if (!entry) {
            unknown(fmt::format("vif_{:02x}_{:02x}", vif, table_code & 0x7FU),
                    fmt::format("unknown VIF 0x{:02X} 0x{:02X}", vif, table_code));
            return meaning;
        }
        meaning.entry = *entry;
        meaning.quantity = std::string(entry->quantity);
        meaning.first_combinable = 1;
        return meaning;
    }
    if (code == 0x7C) {
        meaning.entry.kind = ValueKind::Number;
        if (is_senml_unit(header.plain_text)) {
            meaning.entry.unit = header.plain_text;  // a view into header, which outlives meaning
        }
        meaning.quantity = "plain_text";
        append_note(note, fmt::format("plain-text unit '{}'", header.plain_text));
        return meaning;
    }
    if (code == 0x7F) {
        meaning.quantity = "manufacturer_specific";
        meaning.apply_combinables = false;  // every VIFE after 0xFF belongs to the manufacturer
        return meaning;
    }
    if (code == 0x7E) {
        unknown("any_vif", "VIF 0x7E (any VIF) is meant for readout requests");
        return meaning;
    }
    const auto entry = primary_vif(vif);
    if (!entry) {
        unknown(fmt::format("vif_{:02x}", code), fmt::format("unknown VIF 0x{:02X}", vif));
        return meaning;
    }
    meaning.entry = *entry;
    meaning.quantity = std::string(entry->quantity);
    return meaning;
}

void apply_combinables(const Header& header, Meaning& meaning, DataRecord& record) {
    VifEntry& entry = meaning.entry;
    for (std::size_t i = meaning.first_combinable; i < header.vife_count; ++i) {
        const std::uint8_t vife = header.vifes[i];
        const CombinableVife combinable = combinable_vife(vife);
        switch (combinable.effect) {
            case VifeEffect::Scale:
                entry.exponent += combinable.exponent;
                break;
            case VifeEffect::Suffix:
                meaning.quantity += combinable.text;
                entry.exponent += combinable.exponent;
                break;
            case VifeEffect::SuffixNoUnit:
                append_note(record.note,
                            fmt::format("unit {}{} has no SenML symbol",
                                        entry.unit.empty() ? "1" : entry.unit, combinable.text));
                meaning.quantity += combinable.text;
                entry.unit = "";
                break;
            case VifeEffect::Count:
                meaning.quantity += combinable.text;
                entry = VifEntry{entry.quantity, "", 0, 1.0, 1.0, 0.0, ValueKind::Number};
                break;
            case VifeEffect::Duration:
                meaning.quantity += combinable.text;
                entry = VifEntry{entry.quantity,   "s", 0, combinable.multiply, 1.0, 0.0,
                                 ValueKind::Number};
                break;
            case VifeEffect::DateTime:
                meaning.quantity += combinable.text;
                entry.kind = ValueKind::DateTime;
                entry.unit = "";
                break;
            case VifeEffect::ErrorCode:
                record.error = fmt::format("VIFE 0x{:02X}: {}", vife & 0x7FU, combinable.text);
                break;
            case VifeEffect::Manufacturer:
                // The rest of the chain and the data are the manufacturer's: kept as raw hex.
                meaning.quantity += "_manufacturer_specific";
                entry.kind = ValueKind::Raw;
                return;
            case VifeEffect::Unknown:
                meaning.quantity += fmt::format("_vife_{:02x}", vife & 0x7FU);
                append_note(record.note,
                            fmt::format("VIFE 0x{:02X} {}", vife & 0x7FU, combinable.text));
                entry.kind = ValueKind::Raw;
                break;
        }
    }
}

// Fills `record`, a new element of the records, in place.
Status parse_record(Reader& reader, DataRecord& record) {
    const std::size_t start = reader.pos();
    const std::size_t record_at = reader.absolute(start);
    record.offset = record_at;
    const std::uint8_t dif = reader.next();
    if ((dif & 0x0FU) == 0x0FU) {
        return bad_record(fmt::format("reserved DIF 0x{:02X} at byte {}", dif, record_at));
    }
    record.function = static_cast<Function>((dif >> 4) & 0x03U);
    record.storage = (dif >> 6) & 0x01U;
    std::uint8_t last = dif;
    for (std::size_t count = 0; (last & kExtensionBit) != 0; ++count) {
        if (reader.at_end()) {
            return truncated(record_at, "DIFE missing");
        }
        if (count == kMaxExtensions) {
            return bad_record(
                fmt::format("too many DIFEs in record at byte {} (more than 10)", record_at));
        }
        last = reader.next();
        record.storage |= std::uint64_t{last & 0x0FU} << (1 + 4 * count);
        record.tariff |= static_cast<std::uint32_t>((last >> 4) & 0x03U) << (2 * count);
        record.subunit |= static_cast<std::uint32_t>((last >> 6) & 0x01U) << count;
    }
    if (reader.at_end()) {
        return truncated(record_at, "VIF missing");
    }
    Header header;
    header.vif = reader.next();
    last = header.vif;
    while ((last & kExtensionBit) != 0) {
        if (reader.at_end()) {
            return truncated(record_at, "VIFE missing");
        }
        if (header.vife_count == kMaxExtensions) {
            return bad_record(
                fmt::format("too many VIFEs in record at byte {} (more than 10)", record_at));
        }
        last = reader.next();
        header.vifes[header.vife_count++] = last;
    }
    // The plain-text unit comes after the whole VIFE chain (EN 13757-3; libmbus'
    // example_plain_text_placement frame).
    if ((header.vif & 0x7FU) == 0x7C) {
        if (reader.at_end()) {
            return truncated(record_at, "plain-text unit length missing");
        }
        const std::size_t length = reader.next();
        if (reader.left() < length) {
            return truncated(record_at, fmt::format("plain-text unit needs {} bytes, {} left",
                                                    length, reader.left()));
        }
        header.plain_text = latin1_reversed(reader.take(length));
    }
    record.header_hex = to_hex(reader.between(start, reader.pos()));

    Field field;
    if (auto read = read_field(reader, dif, record_at, field); !read) {
        return read.error();
    }
    Meaning meaning = resolve_vif(header, record.note);
    if (meaning.apply_combinables) {
        apply_combinables(header, meaning, record);
    }
    record.unit = std::string(meaning.entry.unit);
    record.quantity = std::move(meaning.quantity);
    assign_value(record, meaning.entry, field);
    return Ok{};
}

}  // namespace

Result<std::vector<DataRecord>> parse_records(std::span<const std::uint8_t> data,
                                              std::size_t base_offset) {
    std::vector<DataRecord> records;
    // Most records take 4 to 8 bytes: room for them all, so that none is moved when it grows.
    records.reserve(data.size() / 4 + 1);
    Reader reader(data, base_offset);
    while (!reader.at_end()) {
        const std::uint8_t dif = reader.peek();
        if (dif == kIdleFiller) {
            reader.next();
            continue;
        }
        if (dif == kManufacturerData || dif == kMoreRecordsFollow) {
            DataRecord record;
            record.offset = reader.absolute(reader.pos());
            record.header_hex = to_hex(reader.take(1));
            record.quantity = "manufacturer_data";
            record.value = to_hex(reader.take(reader.left()));
            record.more_records_follow = dif == kMoreRecordsFollow;
            if (record.more_records_follow) {
                record.note = "more records follow in the next telegram";
            }
            records.push_back(std::move(record));
            break;
        }
        if (auto parsed = parse_record(reader, records.emplace_back()); !parsed) {
            return parsed.error();
        }
    }
    return records;
}

}  // namespace passerelle::connectors::mbus
