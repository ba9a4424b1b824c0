// SPDX-License-Identifier: Apache-2.0
#include "rules/engine/series_store.h"

#include <catch2/catch.hpp>

using namespace passerelle;         // NOLINT(google-build-using-namespace)
using namespace passerelle::rules;  // NOLINT(google-build-using-namespace)
using namespace std::chrono_literals;

namespace {

const Timestamp kT0 = Timestamp{} + 1'800'000'000s;

Sample at(std::chrono::minutes offset, double value) {
    const Timestamp time = kT0 + offset;
    const auto minutes = std::chrono::floor<std::chrono::minutes>(time.time_since_epoch()).count();
    return Sample{time, value, static_cast<std::int16_t>(minutes % 1440)};
}

WindowSpec window(WindowKind kind, Duration span) {
    WindowSpec spec;
    spec.kind = kind;
    spec.span = span;
    return spec;
}

}  // namespace

TEST_CASE("a window is unknown until the history covers it", "[series]") {
    SeriesStore store;
    for (int i = 0; i <= 4; ++i) {
        store.record("t", at(std::chrono::minutes(15 * i), 20 + i), 1h);
    }
    const Series* series = store.find("t");
    REQUIRE(series != nullptr);
    CHECK_FALSE(evaluate_window(window(WindowKind::Avg, 2h), series, kT0 + 60min).has_value());
    // At 60 min, the sample of 0 min is at the window's start: the hour is covered; the window
    // itself is (0, 60]: 15, 30, 45 and 60 min.
    CHECK(evaluate_window(window(WindowKind::Avg, 1h), series, kT0 + 60min) == Approx(22.5));
    CHECK(evaluate_window(window(WindowKind::Min, 1h), series, kT0 + 60min) == 21);
    CHECK(evaluate_window(window(WindowKind::Max, 1h), series, kT0 + 60min) == 24);
    CHECK(evaluate_window(window(WindowKind::Sum, 1h), series, kT0 + 60min) == 90);
    CHECK(evaluate_window(window(WindowKind::Count, 1h), series, kT0 + 60min) == 4);
    CHECK(evaluate_window(window(WindowKind::Delta, 1h), series, kT0 + 60min) == 3);
    CHECK(evaluate_window(window(WindowKind::Rate, 1h), series, kT0 + 60min) ==
          Approx(3.0 / 2700.0));
    CHECK(evaluate_window(window(WindowKind::Age, 0s), series, kT0 + 70min) == 600);
}

TEST_CASE("retention keeps one sample before the longest window, no more", "[series]") {
    SeriesStore store;
    for (int i = 0; i < 100; ++i) {
        store.record("t", at(std::chrono::minutes(10 * i), i), 1h);
    }
    // Samples at 930..990 min are inside the hour before 990; 930 itself proves the coverage.
    CHECK(store.find("t")->samples.size() == 7);
    CHECK(store.find("t")->samples.front().time == kT0 + 930min);
}

TEST_CASE("hours of the day select the samples of a window", "[series]") {
    SeriesStore store;
    // One sample per hour for three days, 1 from 02:00 to 05:00 (excluded) and 0 otherwise.
    const auto day_start = std::chrono::floor<std::chrono::days>(kT0);
    const auto offset = std::chrono::duration_cast<std::chrono::minutes>(day_start - kT0);
    for (int hour = 0; hour <= 72; ++hour) {
        const int hour_of_day = hour % 24;
        const double value = hour_of_day >= 2 && hour_of_day < 5 ? 1 : 0;
        store.record("flow", at(offset + std::chrono::hours(hour), value), 72h);
    }
    WindowSpec night = window(WindowKind::Min, 72h);
    night.during = DayRange{120, 300};
    const Timestamp end = day_start + 72h;
    CHECK(evaluate_window(night, store.find("flow"), end) == 1);
    night.kind = WindowKind::Count;
    CHECK(evaluate_window(night, store.find("flow"), end) == 9);
    CHECK(evaluate_window(window(WindowKind::Min, 72h), store.find("flow"), end) == 0);
}

TEST_CASE("out-of-order samples are ignored and the store stays bounded", "[series]") {
    SeriesStore store;
    store.record("t", at(10min, 1), 1h);
    store.record("t", at(5min, 2), 1h);
    CHECK(store.out_of_order() == 1);
    CHECK(store.find("t")->samples.size() == 1);
    SeriesStore bounded;
    for (std::size_t i = 0; i < SeriesStore::kMaxSamples + 10; ++i) {
        bounded.record("t", Sample{kT0 + std::chrono::milliseconds(i), 1.0, 0}, 1h);
    }
    CHECK(bounded.find("t")->samples.size() == SeriesStore::kMaxSamples);
    CHECK(bounded.overflowed() == 10);
    CHECK_FALSE(evaluate_window(window(WindowKind::Avg, 1h), store.find("missing"), kT0));
}

TEST_CASE("hours of the day parse and wrap past midnight", "[series]") {
    CHECK(parse_day_range("02:00-05:00") == DayRange{120, 300});
    CHECK(parse_day_range("22:00-06:00") == DayRange{1320, 360});
    CHECK(parse_day_range("20:00-24:00") == DayRange{1200, 0});
    CHECK(parse_day_range("22:00-06:00")->contains(23 * 60));
    CHECK(parse_day_range("22:00-06:00")->contains(0));
    CHECK_FALSE(parse_day_range("22:00-06:00")->contains(6 * 60));
    CHECK_FALSE(parse_day_range("2:00-05:00"));
    CHECK_FALSE(parse_day_range("02:00-02:00"));
    CHECK_FALSE(parse_day_range("25:00-02:00"));
    CHECK_FALSE(parse_day_range("02:60-03:00"));
    CHECK_FALSE(parse_day_range("02:00"));
}
