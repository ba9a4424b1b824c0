// SPDX-License-Identifier: Apache-2.0
// TimeZone: TZif parsing (RFC 8536), POSIX TZ footer rules and the local/UTC conversions.
#include "gateway/core/time_zone.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "gateway/core/civil_date.h"

namespace passerelle {

namespace detail {

/// A local time type: a TZif ttinfo record, or one half of a footer rule.
struct ZoneType {
    std::int32_t utc_offset = 0;
    bool is_dst = false;
    std::uint32_t abbreviation_start = 0;  // into TimeZoneData::abbreviations
    std::uint32_t abbreviation_size = 0;
};

/// When a POSIX TZ rule switches: a day of the year and a local time on that day.
struct RuleDate {
    enum class Kind {
        Julian,        // Jn: 1..365, February 29 never counted
        ZeroBasedDay,  // n: 0..365, February 29 counted in leap years
        MonthWeekDay,  // Mm.w.d: day d (0 = Sunday) of week w (5 = last) of month m
    };
    Kind kind = Kind::MonthWeekDay;
    int month = 0;
    int week = 0;
    int day = 0;
    std::int32_t time = 2 * 3600;  // seconds after local midnight, -167h..167h (RFC 8536)
};

/// The footer: what the zone does after its last transition.
struct PosixRule {
    ZoneType standard;
    bool has_daylight = false;
    ZoneType daylight;
    RuleDate start;  // into daylight time, read on the standard-time clock
    RuleDate end;    // back to standard time, read on the daylight-time clock
};

struct TimeZoneData {
    std::string name;
    std::vector<std::int64_t> transition_times;  // Unix seconds, strictly increasing
    std::vector<std::uint8_t> transition_types;  // index into types, one per transition
    std::vector<ZoneType> types;                 // never empty; types[0] applies before all
    std::string abbreviations;                   // NUL-separated names, then the footer's
    std::optional<PosixRule> rule;
};

}  // namespace detail

namespace {

using detail::PosixRule;
using detail::RuleDate;
using detail::TimeZoneData;
using detail::ZoneType;
using namespace civil;  // NOLINT(google-build-using-namespace): the calendar helpers

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::string_view kDefaultZoneDir = "/usr/share/zoneinfo";
constexpr std::size_t kMaxZoneNameBytes = 255;

// Sanity limits, far above what tzdata 2025b holds (310 transitions, 18 types, 40 characters).
constexpr std::size_t kMaxTzifBytes = 1 << 20;
constexpr std::uint32_t kMaxTransitions = 50'000;
constexpr std::uint32_t kMaxTypes = 256;  // type indices are single bytes
constexpr std::uint32_t kMaxAbbreviationBytes = 4096;
constexpr std::uint32_t kMaxLeapSeconds = 10'000;
constexpr std::size_t kMaxFooterBytes = 1024;
constexpr std::size_t kTzifHeaderBytes = 44;
// UT offsets that RFC 8536 allows: -24:59:59 to 25:59:59.
constexpr std::int32_t kMinUtcOffset = -89'999;
constexpr std::int32_t kMaxUtcOffset = 93'599;

// The calendar arithmetic is in civil_date.h.

// 0 = Sunday ... 6 = Saturday; 1970-01-01 was a Thursday.
constexpr int weekday_from_sunday(std::int64_t days) {
    return static_cast<int>(floor_mod(days + 4, 7));
}

// ---- POSIX TZ rules (the TZif footer) ----

// The first day of the rule's switch in `year`, in days since 1970-01-01.
std::int64_t rule_day(const RuleDate& date, std::int64_t year) {
    switch (date.kind) {
        case RuleDate::Kind::Julian: {
            const std::int64_t day = days_from_civil(year, 1, 1) + date.day - 1;
            return is_leap_year(year) && date.day >= 60 ? day + 1 : day;
        }
        case RuleDate::Kind::ZeroBasedDay:
            return days_from_civil(year, 1, 1) + date.day;
        case RuleDate::Kind::MonthWeekDay: {
            const std::int64_t first = days_from_civil(year, date.month, 1);
            const int shift = (date.day - weekday_from_sunday(first) + 7) % 7;
            std::int64_t day = first + shift + std::int64_t{date.week - 1} * 7;
            const std::int64_t next_month = first + days_in_month(year, date.month);
            while (day >= next_month) {  // week 5: the last such weekday
                day -= 7;
            }
            return day;
        }
    }
    return 0;
}

const ZoneType& rule_type_at(const PosixRule& rule, std::int64_t utc_seconds) {
    if (!rule.has_daylight) {
        return rule.standard;
    }
    // The switches of the years around t, in time order; the latest one at or before t wins.
    // Three years cover rules whose times push a switch across New Year, and equal times keep
    // their year order, so a rule like "EST5EDT,0/0,J365/25" stays in daylight time all year.
    struct Switch {
        std::int64_t at;
        bool to_daylight;
    };
    std::array<Switch, 6> switches{};
    const std::int64_t year =
        civil_from_days(floor_div(utc_seconds + rule.standard.utc_offset, kSecondsPerDay)).year;
    std::size_t count = 0;
    for (std::int64_t y = year - 1; y <= year + 1; ++y) {
        switches[count++] = {
            rule_day(rule.start, y) * kSecondsPerDay + rule.start.time - rule.standard.utc_offset,
            true};
        switches[count++] = {
            rule_day(rule.end, y) * kSecondsPerDay + rule.end.time - rule.daylight.utc_offset,
            false};
    }
    for (std::size_t i = 1; i < switches.size(); ++i) {  // stable insertion sort, no allocation
        for (std::size_t j = i; j > 0 && switches[j - 1].at > switches[j].at; --j) {
            std::swap(switches[j - 1], switches[j]);
        }
    }
    bool daylight = !switches.front().to_daylight;
    for (const Switch& s : switches) {
        if (s.at > utc_seconds) {
            break;
        }
        daylight = s.to_daylight;
    }
    return daylight ? rule.daylight : rule.standard;
}

// Reads a POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3" or "<+03>-3". Names are
// appended to `abbreviations`. Returns why the text is not one, or nothing.
class PosixRuleParser {
public:
    PosixRuleParser(std::string_view text, std::string& abbreviations)
        : text_(text), abbreviations_(abbreviations) {}

    std::optional<std::string_view> parse(PosixRule& rule) {
        if (auto problem = parse_name(rule.standard)) {
            return problem;
        }
        std::int32_t offset = 0;
        if (!parse_time(24, offset)) {
            return "standard time needs a UTC offset";
        }
        rule.standard.utc_offset = -offset;  // POSIX counts hours west of Greenwich
        if (at_end()) {
            return std::nullopt;
        }
        rule.has_daylight = true;
        rule.daylight.is_dst = true;
        if (auto problem = parse_name(rule.daylight)) {
            return problem;
        }
        rule.daylight.utc_offset = rule.standard.utc_offset + 3600;
        if (!at_end() && peek() != ',') {
            if (!parse_time(24, offset)) {
                return "bad daylight-time offset";
            }
            rule.daylight.utc_offset = -offset;
        }
        if (at_end()) {
            return "daylight time without the rules for when it starts and ends";
        }
        if (!accept(',') || !parse_date(rule.start) || !accept(',') || !parse_date(rule.end)) {
            return "bad start or end rule (Mm.w.d, Jn or n, then an optional /time)";
        }
        if (!at_end()) {
            return "unexpected text after the end rule";
        }
        return std::nullopt;
    }

private:
    bool at_end() const { return pos_ == text_.size(); }
    char peek() const { return text_[pos_]; }
    bool accept(char c) {
        if (!at_end() && peek() == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    static bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
    static bool is_digit(char c) { return c >= '0' && c <= '9'; }
    // Unquoted names are letters; quoted ones may also hold digits, '+' and '-'.
    static bool is_name_char(char c, bool quoted) {
        return is_alpha(c) || (quoted && (is_digit(c) || c == '+' || c == '-'));
    }

    std::optional<std::string_view> parse_name(ZoneType& type) {
        const bool quoted = accept('<');  // <+03>, <-0330>
        const std::size_t begin = pos_;
        while (!at_end() && is_name_char(peek(), quoted)) {
            ++pos_;
        }
        const std::size_t end = pos_;
        if (quoted && !accept('>')) {
            return "a quoted zone name needs a closing '>' and only letters, digits, + or -";
        }
        if (end - begin < 3) {
            return "zone names have at least 3 characters";
        }
        type.abbreviation_start = static_cast<std::uint32_t>(abbreviations_.size());
        type.abbreviation_size = static_cast<std::uint32_t>(end - begin);
        abbreviations_.append(text_.substr(begin, end - begin));
        abbreviations_.push_back('\0');
        return std::nullopt;
    }

    // Up to `digits` decimal digits into `value`, at most `max`.
    bool parse_number(int digits, int max, int& value) {
        value = 0;
        int read = 0;
        while (read < digits && !at_end() && is_digit(peek())) {
            value = value * 10 + (peek() - '0');
            ++pos_;
            ++read;
        }
        return read > 0 && value <= max;
    }

    // [+|-]hh[:mm[:ss]] in seconds, with hours up to `max_hours`.
    bool parse_time(int max_hours, std::int32_t& seconds) {
        const bool negative = accept('-');
        if (!negative) {
            accept('+');
        }
        int hours = 0;
        int minutes = 0;
        int secs = 0;
        if (!parse_number(3, max_hours, hours)) {
            return false;
        }
        if (accept(':')) {
            if (!parse_number(2, 59, minutes)) {
                return false;
            }
            if (accept(':') && !parse_number(2, 59, secs)) {
                return false;
            }
        }
        const std::int32_t total = hours * 3600 + minutes * 60 + secs;
        seconds = negative ? -total : total;
        return true;
    }

    bool parse_date(RuleDate& date) {
        if (accept('M')) {
            date.kind = RuleDate::Kind::MonthWeekDay;
            if (!parse_number(2, 12, date.month) || date.month < 1 || !accept('.') ||
                !parse_number(1, 5, date.week) || date.week < 1 || !accept('.') ||
                !parse_number(1, 6, date.day)) {
                return false;
            }
        } else if (accept('J')) {
            date.kind = RuleDate::Kind::Julian;
            if (!parse_number(3, 365, date.day) || date.day < 1) {
                return false;
            }
        } else {
            date.kind = RuleDate::Kind::ZeroBasedDay;
            if (!parse_number(3, 365, date.day)) {
                return false;
            }
        }
        date.time = 2 * 3600;
        // RFC 8536 (version 3) extends the time to -167..167 hours.
        return !accept('/') || parse_time(167, date.time);
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::string& abbreviations_;
};

// ---- TZif ----

Error tzif_error(std::string_view name, std::string_view what) {
    return make_error("tz.bad-tzif", fmt::format("time zone \"{}\": {}", name, what));
}

// Big-endian reads; the caller checks the size first.
class ByteReader {
public:
    explicit ByteReader(std::span<const unsigned char> bytes) : bytes_(bytes) {}

    std::size_t remaining() const { return bytes_.size() - pos_; }
    std::span<const unsigned char> take(std::size_t n) {
        PASSERELLE_ASSERT(n <= remaining(), "TZif read past the checked size");
        const auto out = bytes_.subspan(pos_, n);
        pos_ += n;
        return out;
    }
    std::uint64_t unsigned_be(std::size_t n) {
        std::uint64_t value = 0;
        for (const unsigned char byte : take(n)) {
            value = (value << 8) | byte;
        }
        return value;
    }
    std::uint32_t u32() { return static_cast<std::uint32_t>(unsigned_be(4)); }
    std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
    std::int64_t i64() { return static_cast<std::int64_t>(unsigned_be(8)); }
    std::uint8_t u8() { return take(1)[0]; }

private:
    std::span<const unsigned char> bytes_;
    std::size_t pos_ = 0;
};

struct TzifHeader {
    unsigned char version = 0;
    std::uint32_t ut_indicators = 0;
    std::uint32_t std_indicators = 0;
    std::uint32_t leap_seconds = 0;
    std::uint32_t transitions = 0;
    std::uint32_t types = 0;
    std::uint32_t abbreviation_bytes = 0;

    // The data block that follows, with 4-byte (version 1) or 8-byte transition times.
    std::uint64_t block_size(std::uint64_t time_size) const {
        return std::uint64_t{transitions} * (time_size + 1) + std::uint64_t{types} * 6 +
               abbreviation_bytes + std::uint64_t{leap_seconds} * (time_size + 4) + std_indicators +
               ut_indicators;
    }
};

std::optional<std::string> read_header(ByteReader& in, TzifHeader& header) {
    if (in.remaining() < kTzifHeaderBytes) {
        return "truncated TZif data";
    }
    const auto magic = in.take(4);
    if (std::memcmp(magic.data(), "TZif", 4) != 0) {
        return "not TZif data (no \"TZif\" magic)";
    }
    header.version = in.u8();
    if (header.version != 0 && (header.version < '2' || header.version > '9')) {
        return fmt::format("unsupported TZif version byte 0x{:02x}", header.version);
    }
    in.take(15);
    header.ut_indicators = in.u32();
    header.std_indicators = in.u32();
    header.leap_seconds = in.u32();
    header.transitions = in.u32();
    header.types = in.u32();
    header.abbreviation_bytes = in.u32();
    return std::nullopt;
}

std::optional<std::string> read_block(ByteReader& in, const TzifHeader& header,
                                      std::size_t time_size, TimeZoneData& zone) {
    if (header.types == 0 || header.types > kMaxTypes) {
        return fmt::format("{} local time types (1 to {} allowed)", header.types, kMaxTypes);
    }
    if (header.abbreviation_bytes == 0 || header.abbreviation_bytes > kMaxAbbreviationBytes) {
        return fmt::format("{} bytes of abbreviations (1 to {} allowed)", header.abbreviation_bytes,
                           kMaxAbbreviationBytes);
    }
    if (header.transitions > kMaxTransitions) {
        return fmt::format("{} transitions (at most {})", header.transitions, kMaxTransitions);
    }
    if (header.leap_seconds > kMaxLeapSeconds) {
        return fmt::format("{} leap-second records (at most {})", header.leap_seconds,
                           kMaxLeapSeconds);
    }
    if ((header.std_indicators != 0 && header.std_indicators != header.types) ||
        (header.ut_indicators != 0 && header.ut_indicators != header.types)) {
        return "standard/wall or UT/local indicator count differs from the type count";
    }
    if (header.block_size(time_size) > in.remaining()) {
        return "truncated TZif data";
    }

    zone.transition_times.reserve(header.transitions);
    for (std::uint32_t i = 0; i < header.transitions; ++i) {
        const std::int64_t at = time_size == 8 ? in.i64() : std::int64_t{in.i32()};
        if (!zone.transition_times.empty() && at <= zone.transition_times.back()) {
            return "transition times are not in increasing order";
        }
        zone.transition_times.push_back(at);
    }
    zone.transition_types.reserve(header.transitions);
    for (std::uint32_t i = 0; i < header.transitions; ++i) {
        const std::uint8_t type = in.u8();
        if (type >= header.types) {
            return fmt::format("transition {} uses type {} of {}", i, type, header.types);
        }
        zone.transition_types.push_back(type);
    }
    zone.types.reserve(header.types);
    std::vector<std::uint8_t> abbreviation_indices;
    abbreviation_indices.reserve(header.types);
    for (std::uint32_t i = 0; i < header.types; ++i) {
        ZoneType type;
        type.utc_offset = in.i32();
        const std::uint8_t is_dst = in.u8();
        const std::uint8_t abbreviation = in.u8();
        if (type.utc_offset < kMinUtcOffset || type.utc_offset > kMaxUtcOffset) {
            return fmt::format("type {} has UTC offset {} s, beyond 25 h", i, type.utc_offset);
        }
        if (is_dst > 1) {
            return fmt::format("type {} has a DST flag of {}", i, is_dst);
        }
        if (abbreviation >= header.abbreviation_bytes) {
            return fmt::format("type {} has its abbreviation outside the {} bytes", i,
                               header.abbreviation_bytes);
        }
        type.is_dst = is_dst == 1;
        type.abbreviation_start = abbreviation;
        zone.types.push_back(type);
    }
    const auto chars = in.take(header.abbreviation_bytes);
    zone.abbreviations.assign(chars.begin(), chars.end());
    for (ZoneType& type : zone.types) {
        const std::size_t end = zone.abbreviations.find('\0', type.abbreviation_start);
        if (end == std::string::npos) {
            return "an abbreviation is not NUL-terminated";
        }
        type.abbreviation_size = static_cast<std::uint32_t>(end - type.abbreviation_start);
    }
    // Leap-second records and the standard/wall and UT/local indicators: not needed here.
    in.take(std::size_t{header.leap_seconds} * (time_size + 4) + header.std_indicators +
            header.ut_indicators);
    return std::nullopt;
}

// The zone's UTC offset and name at a Unix time.
const ZoneType& type_at(const TimeZoneData& zone, std::int64_t utc_seconds) {
    const auto& times = zone.transition_times;
    if (times.empty() || utc_seconds > times.back()) {
        if (zone.rule.has_value()) {
            return rule_type_at(*zone.rule, utc_seconds);
        }
        return times.empty() ? zone.types.front() : zone.types[zone.transition_types.back()];
    }
    if (utc_seconds < times.front()) {
        return zone.types.front();
    }
    const auto next = std::upper_bound(times.begin(), times.end(), utc_seconds);
    return zone.types[zone.transition_types[static_cast<std::size_t>(next - times.begin() - 1)]];
}

std::optional<Error> check_zone_name(std::string_view name) {
    const auto bad = [name] {
        return make_error(
            "tz.bad-name",
            fmt::format("time zone \"{}\": not a zone name like \"Europe/Paris\" (letters, digits, "
                        "'_', '+', '-' and '/' between names)",
                        name.substr(0, kMaxZoneNameBytes)));
    };
    if (name.empty() || name.size() > kMaxZoneNameBytes || name.front() == '/' ||
        name.back() == '/' || name.find("//") != std::string_view::npos) {
        return bad();
    }
    for (const char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-' || c == '/';
        if (!ok) {
            return bad();
        }
    }
    return std::nullopt;
}

const std::shared_ptr<const TimeZoneData>& utc_data() {
    static const std::shared_ptr<const TimeZoneData> data = [] {
        auto utc = std::make_shared<TimeZoneData>();
        utc->name = "UTC";
        utc->abbreviations = std::string("UTC\0", 4);
        utc->types.push_back(ZoneType{0, false, 0, 3});
        return utc;
    }();
    return data;
}

}  // namespace

TimeZone::TimeZone() : data_(utc_data()) {}

TimeZone::TimeZone(std::shared_ptr<const detail::TimeZoneData> data) : data_(std::move(data)) {}

TimeZone TimeZone::utc() {
    return {};
}

Result<TimeZone> TimeZone::load(std::string_view name) {
    if (auto bad = check_zone_name(name)) {
        return *std::move(bad);
    }
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read-only; nothing in Passerelle sets TZDIR.
    const char* tzdir = std::getenv("TZDIR");
    const std::string dir =
        tzdir != nullptr && *tzdir != '\0' ? tzdir : std::string(kDefaultZoneDir);
    const std::filesystem::path path = std::filesystem::path(dir) / std::string(name);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return make_error("tz.unknown-zone",
                          fmt::format("time zone \"{}\": no such zone in {}", name, dir));
    }
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) {
        return make_error("tz.unreadable", fmt::format("time zone \"{}\": cannot read {}: {}", name,
                                                       path.string(), ec.message()));
    }
    if (size > kMaxTzifBytes) {
        return make_error("tz.too-large", fmt::format("time zone \"{}\": {} is {} bytes, over {}",
                                                      name, path.string(), size, kMaxTzifBytes));
    }
    std::ifstream in(path, std::ios::binary);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!in || in.gcount() != static_cast<std::streamsize>(bytes.size())) {
        return make_error("tz.unreadable",
                          fmt::format("time zone \"{}\": cannot read {}", name, path.string()));
    }
    return parse(name,
                 std::span(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
}

Result<TimeZone> TimeZone::parse(std::string_view name, std::span<const unsigned char> tzif) {
    if (tzif.size() > kMaxTzifBytes) {
        return tzif_error(name, fmt::format("TZif data over {} bytes", kMaxTzifBytes));
    }
    auto zone = std::make_shared<TimeZoneData>();
    zone->name = name;
    ByteReader in(tzif);
    TzifHeader header;
    if (auto problem = read_header(in, header)) {
        return tzif_error(name, *problem);
    }
    if (header.version == 0) {  // version 1: 32-bit times and no footer
        if (auto problem = read_block(in, header, 4, *zone)) {
            return tzif_error(name, *problem);
        }
        return TimeZone(std::move(zone));
    }

    // Version 2+: skip the version 1 block, then read the 64-bit one and the footer.
    const std::uint64_t v1_size = header.block_size(4);
    if (v1_size > in.remaining()) {
        return tzif_error(name, "truncated TZif data");
    }
    in.take(static_cast<std::size_t>(v1_size));
    if (auto problem = read_header(in, header)) {
        return tzif_error(name, *problem);
    }
    if (header.version == 0) {
        return tzif_error(name, "the second TZif header says version 1");
    }
    if (auto problem = read_block(in, header, 8, *zone)) {
        return tzif_error(name, *problem);
    }
    const auto rest = in.take(in.remaining());
    const std::string_view footer(reinterpret_cast<const char*>(rest.data()), rest.size());
    if (footer.empty() || footer.front() != '\n') {
        return tzif_error(name, "truncated TZif data (no footer)");
    }
    const std::size_t end = footer.find('\n', 1);
    if (end == std::string_view::npos) {
        return tzif_error(name, "truncated TZif data (unterminated footer)");
    }
    if (end + 1 != footer.size()) {
        return tzif_error(name, "unexpected bytes after the TZif footer");
    }
    const std::string_view tz_string = footer.substr(1, end - 1);
    if (tz_string.size() > kMaxFooterBytes) {
        return tzif_error(name, fmt::format("TZif footer over {} bytes", kMaxFooterBytes));
    }
    if (!tz_string.empty()) {  // empty: no rule known after the last transition
        PosixRule rule;
        if (auto problem = PosixRuleParser(tz_string, zone->abbreviations).parse(rule)) {
            return make_error("tz.bad-rule",
                              fmt::format("time zone \"{}\": bad POSIX TZ string \"{}\" in the "
                                          "TZif footer: {}",
                                          name, tz_string, *problem));
        }
        zone->rule = rule;
    }
    return TimeZone(std::move(zone));
}

const std::string& TimeZone::name() const {
    return data_->name;
}

LocalTime TimeZone::local_time(Timestamp t) const {
    const std::int64_t utc_seconds = floor_div(t.time_since_epoch().count(), kMicrosPerSecond);
    const ZoneType& type = type_at(*data_, utc_seconds);
    const std::int64_t local = utc_seconds + type.utc_offset;
    const std::int64_t days = floor_div(local, kSecondsPerDay);
    const std::int64_t second_of_day = local - days * kSecondsPerDay;
    const CivilDate date = civil_from_days(days);
    LocalTime out;
    out.year = static_cast<int>(date.year);
    out.month = date.month;
    out.day = date.day;
    out.hour = static_cast<int>(second_of_day / 3600);
    out.minute = static_cast<int>(second_of_day / 60 % 60);
    out.second = static_cast<int>(second_of_day % 60);
    const int weekday = weekday_from_sunday(days);
    out.weekday = weekday == 0 ? 7 : weekday;
    out.utc_offset_seconds = type.utc_offset;
    out.abbreviation = std::string_view(data_->abbreviations)
                           .substr(type.abbreviation_start, type.abbreviation_size);
    return out;
}

Timestamp TimeZone::to_utc(int year, int month, int day, int hour, int minute, int second) const {
    const std::int64_t month0 = std::int64_t{month} - 1;
    const std::int64_t days = days_from_civil(std::int64_t{year} + floor_div(month0, 12),
                                              static_cast<int>(floor_mod(month0, 12)) + 1, 1) +
                              (std::int64_t{day} - 1);
    const std::int64_t local =
        days * kSecondsPerDay + std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second;

    // Offsets that may apply: those on either side of any change near this time, and those
    // that the first guesses lead to. An offset fits if the instant it gives has that offset.
    const std::int32_t before = type_at(*data_, local - 2 * kSecondsPerDay).utc_offset;
    const std::int32_t after = type_at(*data_, local + 2 * kSecondsPerDay).utc_offset;
    const std::array<std::int32_t, 4> candidates{before, after,
                                                 type_at(*data_, local - before).utc_offset,
                                                 type_at(*data_, local - after).utc_offset};
    std::optional<std::int64_t> best;
    for (const std::int32_t offset : candidates) {
        const std::int64_t utc = local - offset;
        if (type_at(*data_, utc).utc_offset == offset && (!best || utc < *best)) {
            best = utc;
        }
    }
    // None fits: the local time was skipped. Read it with the offset from before the skip.
    const std::int64_t utc_seconds = best.value_or(local - before);

    constexpr std::int64_t kMaxSeconds =
        std::numeric_limits<Duration::rep>::max() / kMicrosPerSecond;
    constexpr std::int64_t kMinSeconds =
        std::numeric_limits<Duration::rep>::min() / kMicrosPerSecond;
    return Timestamp(
        Duration(std::clamp(utc_seconds, kMinSeconds, kMaxSeconds) * kMicrosPerSecond));
}

}  // namespace passerelle
