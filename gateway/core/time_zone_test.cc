// SPDX-License-Identifier: Apache-2.0
// TimeZone tests: tzdata zones, POSIX TZ footer rules, and TZif images built here or broken here.
#include "gateway/core/time_zone.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace {

using passerelle::LocalTime;
using passerelle::Timestamp;
using passerelle::TimeZone;

Timestamp utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
    const std::chrono::sys_days date{std::chrono::year{year} /
                                     std::chrono::month{static_cast<unsigned>(month)} /
                                     std::chrono::day{static_cast<unsigned>(day)}};
    return Timestamp(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
           std::chrono::seconds(second);
}

std::string show(const LocalTime& t) {
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} {} {:+}", t.year, t.month, t.day,
                       t.hour, t.minute, t.second, t.abbreviation, t.utc_offset_seconds);
}

std::string local(const TimeZone& zone, Timestamp t) {
    return show(zone.local_time(t));
}

std::string zoneinfo_dir() {
    const char* dir = std::getenv("TZDIR");  // NOLINT(concurrency-mt-unsafe): tests, read-only
    return dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo";
}

std::vector<unsigned char> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The system's zone; these tests need tzdata installed.
TimeZone load_zone(std::string_view name) {
    auto zone = TimeZone::load(name);
    INFO((zone.has_value() ? std::string() : zone.error().message));
    REQUIRE(zone.has_value());
    return *std::move(zone);
}

TimeZone parse_zone(std::string_view name, const std::vector<unsigned char>& tzif) {
    auto zone = TimeZone::parse(name, tzif);
    INFO((zone.has_value() ? std::string() : zone.error().message));
    REQUIRE(zone.has_value());
    return *std::move(zone);
}

// ---- A TZif writer for hand-made images (RFC 8536 layout) ----

struct TzifType {
    std::int32_t utc_offset;
    bool is_dst;
    std::uint8_t abbreviation;  // index into TzifImage::abbreviations
};

struct TzifImage {
    char version = '2';
    std::vector<std::int64_t> times;  // within 32 bits, so that the version 1 block holds them
    std::vector<std::uint8_t> type_indices;
    std::vector<TzifType> types{{3600, false, 0}};
    std::string abbreviations{"CET\0", 4};
    std::vector<std::pair<std::int64_t, std::int32_t>> leap_seconds;
    bool indicators = false;  // write standard/wall and UT/local indicators
    std::string footer;       // without its newlines
};

void put_be(std::vector<unsigned char>& out, std::uint64_t value, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) {
        out.push_back(static_cast<unsigned char>(value >> (8 * i)));
    }
}

void put_header(std::vector<unsigned char>& out, char version, const TzifImage& image) {
    out.insert(out.end(), {'T', 'Z', 'i', 'f', static_cast<unsigned char>(version)});
    out.insert(out.end(), 15, 0);
    const std::uint64_t indicators = image.indicators ? image.types.size() : 0;
    put_be(out, indicators, 4);
    put_be(out, indicators, 4);
    put_be(out, image.leap_seconds.size(), 4);
    put_be(out, image.times.size(), 4);
    put_be(out, image.types.size(), 4);
    put_be(out, image.abbreviations.size(), 4);
}

void put_block(std::vector<unsigned char>& out, const TzifImage& image, int time_size) {
    for (const std::int64_t t : image.times) {
        put_be(out, static_cast<std::uint64_t>(t), time_size);
    }
    out.insert(out.end(), image.type_indices.begin(), image.type_indices.end());
    for (const TzifType& type : image.types) {
        put_be(out, static_cast<std::uint32_t>(type.utc_offset), 4);
        out.push_back(type.is_dst ? 1 : 0);
        out.push_back(type.abbreviation);
    }
    out.insert(out.end(), image.abbreviations.begin(), image.abbreviations.end());
    for (const auto& [at, correction] : image.leap_seconds) {
        put_be(out, static_cast<std::uint64_t>(at), time_size);
        put_be(out, static_cast<std::uint32_t>(correction), 4);
    }
    if (image.indicators) {
        out.insert(out.end(), image.types.size(), 1);  // standard/wall
        out.insert(out.end(), image.types.size(), 0);  // UT/local
    }
}

// A whole file; version 2+ images get a version 1 block, from `v1` when given.
std::vector<unsigned char> make_tzif(const TzifImage& image, const TzifImage* v1 = nullptr) {
    std::vector<unsigned char> out;
    const TzifImage& first = v1 != nullptr ? *v1 : image;
    put_header(out, image.version, first);
    put_block(out, first, 4);
    if (image.version != '\0') {
        put_header(out, image.version, image);
        put_block(out, image, 8);
        out.push_back('\n');
        out.insert(out.end(), image.footer.begin(), image.footer.end());
        out.push_back('\n');
    }
    return out;
}

// A version 2 image with no transition: the footer rule decides every time ("slim" taken to
// its end).
std::vector<unsigned char> footer_only(std::string_view footer) {
    TzifImage image;
    image.footer = footer;
    return make_tzif(image);
}

TimeZone footer_zone(std::string_view footer) {
    return parse_zone("test", footer_only(footer));
}

std::optional<passerelle::Error> footer_error(std::string_view footer) {
    auto zone = TimeZone::parse("test", footer_only(footer));
    if (zone.has_value()) {
        return std::nullopt;
    }
    return zone.error();
}

}  // namespace

TEST_CASE("Paris moves to summer time on the last Sunday of March", "[core][tz]") {
    const TimeZone paris = load_zone("Europe/Paris");
    CHECK(paris.name() == "Europe/Paris");
    CHECK(local(paris, utc(2026, 3, 29, 0, 59, 59)) == "2026-03-29 01:59:59 CET +3600");
    CHECK(local(paris, utc(2026, 3, 29, 1, 0, 0)) == "2026-03-29 03:00:00 CEST +7200");
    CHECK(local(paris, utc(2026, 1, 1)) == "2026-01-01 01:00:00 CET +3600");
    // Microseconds are dropped, never rounded up into the next second.
    CHECK(local(paris, utc(2026, 3, 29, 0, 59, 59) + std::chrono::microseconds(999'999)) ==
          "2026-03-29 01:59:59 CET +3600");
}

TEST_CASE("Paris returns to winter time on the last Sunday of October", "[core][tz]") {
    const TimeZone paris = load_zone("Europe/Paris");
    CHECK(local(paris, utc(2026, 10, 25, 0, 59, 59)) == "2026-10-25 02:59:59 CEST +7200");
    CHECK(local(paris, utc(2026, 10, 25, 1, 0, 0)) == "2026-10-25 02:00:00 CET +3600");
    CHECK(local(paris, utc(2026, 12, 31, 23, 0, 0)) == "2027-01-01 00:00:00 CET +3600");
}

TEST_CASE("local times carry the ISO weekday", "[core][tz]") {
    const TimeZone paris = load_zone("Europe/Paris");
    CHECK(paris.local_time(utc(2026, 11, 25, 12)).weekday == 3);  // Wednesday
    CHECK(paris.local_time(utc(2026, 3, 29, 12)).weekday == 7);   // Sunday
    CHECK(paris.local_time(utc(2026, 3, 30, 12)).weekday == 1);   // Monday
    // 23:30Z on a Sunday is already Monday in Paris.
    CHECK(paris.local_time(utc(2026, 3, 29, 23, 30)).weekday == 1);
    CHECK(TimeZone::utc().local_time(utc(1970, 1, 1)).weekday == 4);  // Thursday
    CHECK(TimeZone::utc().local_time(utc(1969, 12, 28)).weekday == 7);
}

TEST_CASE("to_utc takes the earlier of a repeated time and skips over a missing one",
          "[core][tz]") {
    const TimeZone paris = load_zone("Europe/Paris");
    CHECK(paris.to_utc(2026, 7, 14, 14, 0, 0) == utc(2026, 7, 14, 12));
    CHECK(paris.to_utc(2026, 1, 15, 8, 30, 0) == utc(2026, 1, 15, 7, 30));
    // 02:30 never happens on 2026-03-29: read with CET (+1), it is 01:30Z, shown as 03:30 CEST.
    CHECK(paris.to_utc(2026, 3, 29, 2, 30, 0) == utc(2026, 3, 29, 1, 30));
    CHECK(local(paris, paris.to_utc(2026, 3, 29, 2, 30, 0)) == "2026-03-29 03:30:00 CEST +7200");
    CHECK(paris.to_utc(2026, 3, 29, 1, 59, 59) == utc(2026, 3, 29, 0, 59, 59));
    CHECK(paris.to_utc(2026, 3, 29, 3, 0, 0) == utc(2026, 3, 29, 1, 0, 0));
    // 02:30 happens twice on 2026-10-25, at 00:30Z (CEST) and 01:30Z (CET): the earlier.
    CHECK(paris.to_utc(2026, 10, 25, 2, 30, 0) == utc(2026, 10, 25, 0, 30));
    CHECK(paris.to_utc(2026, 10, 25, 1, 59, 59) == utc(2026, 10, 24, 23, 59, 59));
    CHECK(paris.to_utc(2026, 10, 25, 3, 0, 0) == utc(2026, 10, 25, 2, 0));

    const TimeZone new_york = load_zone("America/New_York");
    CHECK(new_york.to_utc(2026, 3, 8, 2, 30, 0) == utc(2026, 3, 8, 7, 30));
    CHECK(new_york.to_utc(2026, 11, 1, 1, 30, 0) == utc(2026, 11, 1, 5, 30));
    const TimeZone sydney = load_zone("Australia/Sydney");
    CHECK(sydney.to_utc(2026, 4, 5, 2, 30, 0) == utc(2026, 4, 4, 15, 30));
    CHECK(sydney.to_utc(2026, 10, 4, 2, 30, 0) == utc(2026, 10, 3, 16, 30));
}

TEST_CASE("to_utc normalises fields out of range as mktime does", "[core][tz]") {
    const TimeZone paris = load_zone("Europe/Paris");
    CHECK(paris.to_utc(2026, 13, 1, 0, 0, 0) == paris.to_utc(2027, 1, 1, 0, 0, 0));
    CHECK(paris.to_utc(2026, 0, 1, 0, 0, 0) == paris.to_utc(2025, 12, 1, 0, 0, 0));
    CHECK(paris.to_utc(2026, 3, 0, 12, 0, 0) == paris.to_utc(2026, 2, 28, 12, 0, 0));
    CHECK(paris.to_utc(2026, 1, 31, 24, 0, 0) == paris.to_utc(2026, 2, 1, 0, 0, 0));
    CHECK(paris.to_utc(2026, 1, 1, 0, 0, -1) == paris.to_utc(2025, 12, 31, 23, 59, 59));
    // Far beyond Timestamp's range: saturated, no overflow.
    CHECK(paris.to_utc(2'000'000'000, 1, 1, 0, 0, 0) > utc(9999, 12, 31));
    CHECK(paris.to_utc(-2'000'000'000, 1, 1, 0, 0, 0) < utc(-9999, 1, 1));
}

TEST_CASE("to_utc inverts local_time through a whole year", "[core][tz]") {
    for (const std::string_view name : {"Europe/Paris", "Australia/Sydney", "America/New_York"}) {
        const TimeZone zone = load_zone(name);
        for (Timestamp t = utc(2026, 1, 1); t < utc(2027, 1, 1); t += std::chrono::minutes(30)) {
            const LocalTime lt = zone.local_time(t);
            const Timestamp back =
                zone.to_utc(lt.year, lt.month, lt.day, lt.hour, lt.minute, lt.second);
            if (back != t) {  // only the second pass through a repeated hour
                INFO(name << ' ' << passerelle::format_utc(t));
                CHECK(back < t);
                CHECK(local(zone, back).substr(0, 19) == show(lt).substr(0, 19));
            }
        }
    }
}

TEST_CASE("dates after the last transition follow the footer rule", "[core][tz]") {
    const TimeZone paris = load_zone("Europe/Paris");
    CHECK(local(paris, utc(2090, 7, 14, 12)) == "2090-07-14 14:00:00 CEST +7200");
    CHECK(local(paris, utc(2090, 1, 14, 12)) == "2090-01-14 13:00:00 CET +3600");
    CHECK(local(paris, utc(2100, 3, 28, 0, 59, 59)) == "2100-03-28 01:59:59 CET +3600");
    CHECK(local(paris, utc(2100, 3, 28, 1)) == "2100-03-28 03:00:00 CEST +7200");
    CHECK(local(paris, utc(2100, 10, 31, 1)) == "2100-10-31 02:00:00 CET +3600");
    CHECK(paris.to_utc(2090, 3, 26, 2, 30, 0) == utc(2090, 3, 26, 1, 30));
    CHECK(local(paris, utc(9999, 6, 1)) == "9999-06-01 02:00:00 CEST +7200");
}

TEST_CASE("times before the first transition use the zone's first type", "[core][tz]") {
    const TimeZone paris = load_zone("Europe/Paris");
    // Paris mean time, 0:09:21 ahead of Greenwich, until 1891.
    CHECK(local(paris, utc(1850, 1, 1)) == "1850-01-01 00:09:21 LMT +561");
    CHECK(local(paris, utc(1911, 3, 10, 23, 50, 38)) == "1911-03-10 23:59:59 PMT +561");
    CHECK(local(paris, utc(1911, 3, 10, 23, 50, 39)) == "1911-03-10 23:50:39 WET +0");
    // The ends of Timestamp's range work too.
    CHECK(paris.local_time(Timestamp::min()).utc_offset_seconds == 561);
    CHECK(paris.local_time(Timestamp::max()).year > 290'000);
}

TEST_CASE("UTC is always UTC", "[core][tz]") {
    for (const TimeZone& zone : {TimeZone::utc(), TimeZone()}) {
        CHECK(zone.name() == "UTC");
        CHECK(local(zone, utc(2026, 3, 29, 1)) == "2026-03-29 01:00:00 UTC +0");
        CHECK(local(zone, utc(1900, 2, 28, 23, 59, 59)) == "1900-02-28 23:59:59 UTC +0");
        CHECK(local(zone, utc(2000, 2, 29, 12)) == "2000-02-29 12:00:00 UTC +0");
        CHECK(zone.to_utc(2026, 10, 25, 2, 30, 0) == utc(2026, 10, 25, 2, 30));
    }
    // Copies share the data: an abbreviation stays valid while any copy lives.
    TimeZone kept;
    std::string_view abbreviation;
    {
        const TimeZone paris = load_zone("Europe/Paris");
        abbreviation = paris.local_time(utc(2026, 7, 1)).abbreviation;
        kept = paris;
    }
    CHECK(abbreviation == "CEST");
    const TimeZone moved = std::move(kept);
    CHECK(moved.local_time(utc(2026, 7, 1)).abbreviation.data() == abbreviation.data());
}

TEST_CASE("New York and Sydney change on their own dates", "[core][tz]") {
    const TimeZone new_york = load_zone("America/New_York");
    CHECK(local(new_york, utc(2026, 3, 8, 6, 59, 59)) == "2026-03-08 01:59:59 EST -18000");
    CHECK(local(new_york, utc(2026, 3, 8, 7)) == "2026-03-08 03:00:00 EDT -14400");
    CHECK(local(new_york, utc(2026, 11, 1, 5, 59, 59)) == "2026-11-01 01:59:59 EDT -14400");
    CHECK(local(new_york, utc(2026, 11, 1, 6)) == "2026-11-01 01:00:00 EST -18000");
    CHECK(local(new_york, utc(2026, 1, 1, 3)) == "2025-12-31 22:00:00 EST -18000");

    // Southern hemisphere: summer time spans New Year.
    const TimeZone sydney = load_zone("Australia/Sydney");
    CHECK(local(sydney, utc(2026, 1, 15)) == "2026-01-15 11:00:00 AEDT +39600");
    CHECK(local(sydney, utc(2026, 4, 4, 15, 59, 59)) == "2026-04-05 02:59:59 AEDT +39600");
    CHECK(local(sydney, utc(2026, 4, 4, 16)) == "2026-04-05 02:00:00 AEST +36000");
    CHECK(local(sydney, utc(2026, 7, 1)) == "2026-07-01 10:00:00 AEST +36000");
    CHECK(local(sydney, utc(2026, 10, 3, 15, 59, 59)) == "2026-10-04 01:59:59 AEST +36000");
    CHECK(local(sydney, utc(2026, 10, 3, 16)) == "2026-10-04 03:00:00 AEDT +39600");
    CHECK(local(sydney, utc(2080, 12, 25)) == "2080-12-25 11:00:00 AEDT +39600");
    CHECK(local(sydney, utc(2080, 6, 25)) == "2080-06-25 10:00:00 AEST +36000");

    // Dublin's rule has its "daylight" time in winter (IST-1GMT0,M10.5.0,M3.5.0/1).
    const TimeZone dublin = load_zone("Europe/Dublin");
    CHECK(local(dublin, utc(2026, 1, 15, 12)) == "2026-01-15 12:00:00 GMT +0");
    CHECK(local(dublin, utc(2026, 7, 15, 12)) == "2026-07-15 13:00:00 IST +3600");
    CHECK(local(dublin, utc(2090, 1, 15, 12)) == "2090-01-15 12:00:00 GMT +0");
    CHECK(local(dublin, utc(2090, 7, 15, 12)) == "2090-07-15 13:00:00 IST +3600");
}

TEST_CASE("load accepts only zone names and says which zone failed", "[core][tz]") {
    auto escape = TimeZone::load("../etc/passwd");
    REQUIRE_FALSE(escape.has_value());
    CHECK(escape.error().code == "tz.bad-name");
    CHECK(escape.error().message ==
          "time zone \"../etc/passwd\": not a zone name like \"Europe/Paris\" (letters, digits, "
          "'_', '+', '-' and '/' between names)");
    for (const std::string_view name : std::initializer_list<std::string_view>{
             "", "/etc/passwd", "Europe/", "Europe//Paris", "Europe/./Paris", "Europe/Paris ",
             "Europe\\Paris", std::string_view("Europe/Paris\0", 13)}) {
        auto zone = TimeZone::load(name);
        REQUIRE_FALSE(zone.has_value());
        CHECK(zone.error().code == "tz.bad-name");
    }
    CHECK_FALSE(TimeZone::load(std::string(300, 'a')).has_value());

    auto nowhere = TimeZone::load("Nowhere/City");
    REQUIRE_FALSE(nowhere.has_value());
    CHECK(nowhere.error().code == "tz.unknown-zone");
    CHECK(nowhere.error().message ==
          fmt::format("time zone \"Nowhere/City\": no such zone in {}", zoneinfo_dir()));
    auto directory = TimeZone::load("Europe");
    REQUIRE_FALSE(directory.has_value());
    CHECK(directory.error().code == "tz.unknown-zone");

    CHECK(load_zone("Etc/GMT+5").local_time(utc(2026, 1, 1)).utc_offset_seconds == -18000);
    CHECK(load_zone("UTC").local_time(utc(2026, 1, 1)).abbreviation == "UTC");
}

TEST_CASE("every proper prefix of a real TZif file is an error", "[core][tz]") {
    const auto bytes = read_file(std::filesystem::path(zoneinfo_dir()) / "Europe/Paris");
    REQUIRE(bytes.size() > 100);
    for (std::size_t size = 0; size < bytes.size(); ++size) {
        auto zone = TimeZone::parse("Europe/Paris", std::span(bytes.data(), size));
        INFO("prefix of " << size << " bytes");
        REQUIRE_FALSE(zone.has_value());
        CHECK(zone.error().code == "tz.bad-tzif");
        CHECK_THAT(zone.error().message,
                   Catch::StartsWith("time zone \"Europe/Paris\": truncated TZif data"));
    }
    CHECK(TimeZone::parse("Europe/Paris", bytes).has_value());

    // The same for hand-made images: a version 1 file and a footer-only one.
    TzifImage v1;
    v1.version = '\0';
    v1.times = {0, 100};
    v1.type_indices = {1, 0};
    v1.types = {{0, false, 0}, {3600, true, 4}};
    v1.abbreviations = std::string("AAA\0BBB\0", 8);
    for (const auto& image : {make_tzif(v1), footer_only("CET-1CEST,M3.5.0,M10.5.0/3")}) {
        for (std::size_t size = 0; size < image.size(); ++size) {
            INFO("prefix of " << size << " bytes");
            CHECK_FALSE(TimeZone::parse("test", std::span(image.data(), size)).has_value());
        }
        CHECK(TimeZone::parse("test", image).has_value());
    }
}

TEST_CASE("corrupt TZif files give an error or a zone, never a crash", "[core][tz]") {
    const auto original = read_file(std::filesystem::path(zoneinfo_dir()) / "Europe/Paris");
    REQUIRE(original.size() > 100);
    int errors = 0;
    int zones = 0;
    for (std::size_t i = 0; i < original.size(); ++i) {
        for (const int flip : {0x01, 0x10, 0x80, 0xFF}) {
            auto bytes = original;
            bytes[i] = static_cast<unsigned char>(bytes[i] ^ flip);
            auto zone = TimeZone::parse("corrupt", bytes);
            if (!zone.has_value()) {
                ++errors;
                continue;
            }
            ++zones;
            for (const Timestamp t : {Timestamp::min(), utc(1800, 1, 1), utc(1970, 1, 1),
                                      utc(2026, 3, 29, 1), utc(2090, 10, 1), Timestamp::max()}) {
                const LocalTime lt = zone->local_time(t);
                CHECK(lt.abbreviation.size() < 100);
                (void)zone->to_utc(lt.year, lt.month, lt.day, lt.hour, lt.minute, lt.second);
            }
        }
    }
    CHECK(errors > 0);
    CHECK(zones > 0);  // flips in transition times and abbreviations often keep a valid file
}

TEST_CASE("a footer-only zone follows its rule every year", "[core][tz]") {
    const TimeZone zone = footer_zone("CET-1CEST,M3.5.0,M10.5.0/3");
    // The last Sundays of March and October, each switch at 01:00Z.
    const std::vector<std::array<int, 3>> years{{1970, 29, 25}, {2026, 29, 25}, {2030, 31, 27},
                                                {2038, 28, 31}, {2099, 29, 25}, {2100, 28, 31},
                                                {2400, 26, 29}};
    for (const auto& [year, march, october] : years) {
        INFO(year);
        CHECK(zone.local_time(utc(year, 3, march, 0, 59, 59)).utc_offset_seconds == 3600);
        CHECK(local(zone, utc(year, 3, march, 1)) ==
              fmt::format("{}-03-{} 03:00:00 CEST +7200", year, march));
        CHECK(local(zone, utc(year, 10, october, 0, 59, 59)) ==
              fmt::format("{}-10-{} 02:59:59 CEST +7200", year, october));
        CHECK(local(zone, utc(year, 10, october, 1)) ==
              fmt::format("{}-10-{} 02:00:00 CET +3600", year, october));
        CHECK(zone.to_utc(year, 3, march, 2, 30, 0) == utc(year, 3, march, 1, 30));
        CHECK(zone.to_utc(year, 10, october, 2, 30, 0) == utc(year, 10, october, 0, 30));
    }
}

TEST_CASE("POSIX TZ rules in all their forms", "[core][tz]") {
    SECTION("quoted names and fixed offsets") {
        const TimeZone istanbul = footer_zone("<+03>-3");
        CHECK(local(istanbul, utc(2026, 7, 1)) == "2026-07-01 03:00:00 +03 +10800");
        CHECK(local(footer_zone("<+0530>-5:30"), utc(2026, 7, 1)) ==
              "2026-07-01 05:30:00 +0530 +19800");
        CHECK(local(footer_zone("XXX+5:45:30"), utc(2026, 7, 1)) ==
              "2026-06-30 18:14:30 XXX -20730");
    }
    SECTION("southern hemisphere") {
        const TimeZone zone = footer_zone("AEST-10AEDT,M10.1.0,M4.1.0/3");
        CHECK(local(zone, utc(2026, 4, 4, 15, 59, 59)) == "2026-04-05 02:59:59 AEDT +39600");
        CHECK(local(zone, utc(2026, 4, 4, 16)) == "2026-04-05 02:00:00 AEST +36000");
        CHECK(local(zone, utc(2026, 10, 3, 16)) == "2026-10-04 03:00:00 AEDT +39600");
        CHECK(local(zone, utc(2026, 12, 31, 13)) == "2027-01-01 00:00:00 AEDT +39600");
    }
    SECTION("Jn counts days without February 29") {
        const TimeZone zone = footer_zone("AAA0BBB,J60,J300");
        for (const int year : {2024, 2025}) {  // day 60 is March 1, day 300 October 27
            CHECK(zone.local_time(utc(year, 3, 1, 1, 59, 59)).abbreviation == "AAA");
            CHECK(zone.local_time(utc(year, 3, 1, 2)).abbreviation == "BBB");
            CHECK(zone.local_time(utc(year, 10, 27, 0, 59, 59)).abbreviation == "BBB");
            CHECK(zone.local_time(utc(year, 10, 27, 1)).abbreviation == "AAA");
        }
    }
    SECTION("n counts from 0 with February 29") {
        const TimeZone zone = footer_zone("AAA0BBB,59,299");
        CHECK(zone.local_time(utc(2024, 2, 29, 2)).abbreviation == "BBB");
        CHECK(zone.local_time(utc(2025, 2, 28, 12)).abbreviation == "AAA");
        CHECK(zone.local_time(utc(2025, 3, 1, 2)).abbreviation == "BBB");
        CHECK(zone.local_time(utc(2024, 10, 26, 1)).abbreviation == "AAA");
        CHECK(zone.local_time(utc(2025, 10, 26, 1)).abbreviation == "BBB");
    }
    SECTION("negative and over-24-hour switch times (RFC 8536 version 3)") {
        // Greenland since 2023: the switches happen on Saturday evening, local time.
        const TimeZone nuuk = footer_zone("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
        CHECK(local(nuuk, utc(2026, 3, 29, 0, 59, 59)) == "2026-03-28 22:59:59 -02 -7200");
        CHECK(local(nuuk, utc(2026, 3, 29, 1)) == "2026-03-29 00:00:00 -01 -3600");
        CHECK(local(nuuk, utc(2026, 10, 25, 0, 59, 59)) == "2026-10-24 23:59:59 -01 -3600");
        CHECK(local(nuuk, utc(2026, 10, 25, 1)) == "2026-10-24 23:00:00 -02 -7200");
        const TimeZone late = footer_zone("AAA0BBB,M3.5.0/26,M10.5.0/-1");
        CHECK(late.local_time(utc(2026, 3, 30, 1, 59, 59)).abbreviation == "AAA");
        CHECK(late.local_time(utc(2026, 3, 30, 2)).abbreviation == "BBB");
        CHECK(late.local_time(utc(2026, 10, 24, 21, 59, 59)).abbreviation == "BBB");
        CHECK(late.local_time(utc(2026, 10, 24, 22)).abbreviation == "AAA");
    }
    SECTION("daylight time all year") {
        const TimeZone zone = footer_zone("EST5EDT,0/0,J365/25");
        for (const Timestamp t : {utc(2026, 1, 1), utc(2026, 7, 1), utc(2026, 12, 31, 23, 59, 59),
                                  utc(2027, 1, 1, 5), utc(2024, 12, 31, 12), utc(2100, 1, 1)}) {
            CHECK(zone.local_time(t).abbreviation == "EDT");
        }
    }
    SECTION("explicit daylight offsets") {
        const TimeZone zone = footer_zone("AAA0BBB-2,M3.5.0,M10.5.0");
        CHECK(local(zone, utc(2026, 7, 1)) == "2026-07-01 02:00:00 BBB +7200");
        CHECK(local(zone, utc(2026, 1, 1)) == "2026-01-01 00:00:00 AAA +0");
    }
}

TEST_CASE("bad POSIX TZ footers are rejected with the reason", "[core][tz]") {
    const auto error = footer_error("CET-1CEST");
    REQUIRE(error.has_value());
    CHECK(error->code == "tz.bad-rule");
    CHECK(error->message ==
          "time zone \"test\": bad POSIX TZ string \"CET-1CEST\" in the TZif footer: daylight "
          "time without the rules for when it starts and ends");
    const std::vector<std::string_view> bad_footers{
        "CET",                           // no offset
        "C-1",                           // name under 3 letters
        "CET-25",                        // offset over 24 h
        "CET-1:60",                      // minutes over 59
        "CET-1:00:",                     // seconds missing
        "CET--1",                        // two signs
        "<+03-3",                        // quote not closed
        "<+0 3>-3",                      // space in a quoted name
        "CET-1CEST",                     // daylight time without rules
        "CET-1CEST-",                    // daylight offset missing
        "CET-1CEST,M3.5.0",              // end rule missing
        "CET-1CEST,,M10.5.0",            // start rule missing
        "CET-1CEST,M13.5.0,M10.5.0",     // month 13
        "CET-1CEST,M0.5.0,M10.5.0",      // month 0
        "CET-1CEST,M3.6.0,M10.5.0",      // week 6
        "CET-1CEST,M3.0.0,M10.5.0",      // week 0
        "CET-1CEST,M3.5.7,M10.5.0",      // weekday 7
        "CET-1CEST,J0,J365",             // Julian day 0
        "CET-1CEST,366,0",               // day 366
        "CET-1CEST,M3.5.0/168,M10.5.0",  // switch time over 167 h
        "CET-1CEST,M3.5.0,M10.5.0/3x",   // text after the rule
        "CET-1CEST,M3.5.0,M10.5.0,",     // a third rule
    };
    for (const std::string_view footer : bad_footers) {
        INFO(footer);
        CHECK(footer_error(footer).has_value());
    }
    CHECK_FALSE(footer_error("CET-1CEST,M3.5.0,M10.5.0/3").has_value());
    CHECK_FALSE(footer_error("").has_value());  // an empty footer is allowed
}

TEST_CASE("TZif details: version 1, leap seconds, indicators, empty footer", "[core][tz]") {
    TzifImage image;
    image.times = {1'000'000, 2'000'000};
    image.type_indices = {1, 2};
    image.types = {{0, false, 0}, {3600, true, 4}, {7200, false, 8}};
    image.abbreviations = std::string("AAA\0BBB\0CCC\0", 12);

    SECTION("version 1 files use their 32-bit block") {
        image.version = '\0';
        const TimeZone zone = parse_zone("v1", make_tzif(image));
        CHECK(zone.local_time(Timestamp(std::chrono::seconds(999'999))).abbreviation == "AAA");
        CHECK(zone.local_time(Timestamp(std::chrono::seconds(1'000'000))).abbreviation == "BBB");
        CHECK(zone.local_time(Timestamp(std::chrono::seconds(3'000'000))).abbreviation == "CCC");
    }
    SECTION("version 2+ files skip their version 1 block, leap seconds and indicators") {
        TzifImage v1 = image;  // different data in the version 1 block, which must be skipped
        v1.times = {5};
        v1.type_indices = {0};
        v1.leap_seconds = {{100, 1}, {200, 2}};
        v1.indicators = true;
        image.leap_seconds = {{78'796'800, 1}, {94'694'401, 2}, {126'230'402, 3}};
        image.indicators = true;
        for (const char version : {'2', '3', '4'}) {
            image.version = version;
            const TimeZone zone = parse_zone("v2", make_tzif(image, &v1));
            CHECK(zone.local_time(Timestamp(std::chrono::seconds(10))).abbreviation == "AAA");
            CHECK(zone.local_time(Timestamp(std::chrono::seconds(1'500'000))).abbreviation ==
                  "BBB");
            // Empty footer: the last type holds for ever.
            CHECK(local(zone, utc(2090, 1, 1)) == "2090-01-01 02:00:00 CCC +7200");
        }
    }
    SECTION("abbreviations may share bytes") {
        image.types[2].abbreviation = 5;  // "BB" inside "BBB"
        image.version = '\0';
        const TimeZone zone = parse_zone("v1", make_tzif(image));
        CHECK(zone.local_time(Timestamp(std::chrono::seconds(3'000'000))).abbreviation == "BB");
    }
}

TEST_CASE("corrupt TZif headers and records are named", "[core][tz]") {
    TzifImage image;
    image.times = {1'000'000, 2'000'000};
    image.type_indices = {0, 0};
    image.footer = "CET-1";
    const auto message = [](const std::vector<unsigned char>& bytes) {
        auto zone = TimeZone::parse("bad", bytes);
        return zone.has_value() ? std::string("(parsed)") : zone.error().message;
    };
    CHECK(message(make_tzif(image)) == "(parsed)");

    auto bytes = make_tzif(image);
    bytes[0] = 'X';
    CHECK(message(bytes) == "time zone \"bad\": not TZif data (no \"TZif\" magic)");
    bytes = make_tzif(image);
    bytes[4] = '1';
    CHECK(message(bytes) == "time zone \"bad\": unsupported TZif version byte 0x31");
    bytes.push_back('x');
    bytes[4] = '2';
    CHECK(message(bytes) == "time zone \"bad\": unexpected bytes after the TZif footer");

    TzifImage broken = image;
    broken.times = {2'000'000, 1'000'000};
    CHECK(message(make_tzif(broken)) ==
          "time zone \"bad\": transition times are not in increasing order");
    broken = image;
    broken.type_indices = {0, 1};
    CHECK(message(make_tzif(broken)) == "time zone \"bad\": transition 1 uses type 1 of 1");
    broken = image;
    broken.types = {{100'000, false, 0}};
    CHECK(message(make_tzif(broken)) ==
          "time zone \"bad\": type 0 has UTC offset 100000 s, beyond 25 h");
    broken = image;
    broken.types = {{3600, false, 0}, {7200, true, 4}};
    CHECK(message(make_tzif(broken)) ==
          "time zone \"bad\": type 1 has its abbreviation outside the 4 bytes");
    broken = image;
    broken.abbreviations = "CET";
    CHECK(message(make_tzif(broken)) == "time zone \"bad\": an abbreviation is not NUL-terminated");
    broken = image;
    broken.types.clear();
    broken.type_indices.clear();
    broken.times.clear();
    CHECK(message(make_tzif(broken)) == "time zone \"bad\": 0 local time types (1 to 256 allowed)");

    // Counts far beyond the data: rejected before anything is read or reserved.
    bytes = make_tzif(image);
    const std::size_t v2_header = 44 + 2 * 5 + 6 + 4;
    for (const std::size_t count_field : {20, 24, 28, 32, 36, 40}) {
        auto huge = bytes;
        huge[v2_header + count_field] = 0x7f;
        CHECK_FALSE(TimeZone::parse("bad", huge).has_value());
        huge = bytes;
        huge[count_field] = 0x7f;  // the version 1 header's counts only size the skip
        CHECK_FALSE(TimeZone::parse("bad", huge).has_value());
    }
}

TEST_CASE("every zone of the system's tzdata loads", "[core][tz]") {
    const std::filesystem::path root = zoneinfo_dir();
    int loaded = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        const auto bytes = read_file(entry.path());
        if (bytes.size() < 4 ||
            std::string_view(reinterpret_cast<const char*>(bytes.data()), 4) != "TZif") {
            continue;  // zone.tab, leapseconds, tzdata.zi...
        }
        const std::string name = entry.path().lexically_relative(root).string();
        auto zone = TimeZone::load(name);
        INFO(name << ": " << (zone.has_value() ? std::string() : zone.error().message));
        REQUIRE(zone.has_value());
        const LocalTime lt = zone->local_time(utc(2090, 7, 1));
        CHECK(std::abs(lt.utc_offset_seconds) <= 14 * 3600);
        ++loaded;
    }
    CHECK(loaded > 300);
}
