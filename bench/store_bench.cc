// SPDX-License-Identifier: Apache-2.0
// Rows/s the store writes: the reading history in its transactions, and the notification cycle
// (outbox row written, then moved to the audit log on its acknowledgement), against a baseline of
// plain SQLite inserts into a table without indexes, in transactions of the same size; and the
// ingest journal's appends, in messages/s.
//
// Usage: store_bench [rows per case and round, default 200000]. Each case runs three rounds on a
// new store file in the temporary directory and keeps the fastest. Figures in docs/performance.md.
// What is timed: binding and stepping the prepared statements, the indexes, the commits (WAL,
// synchronous=NORMAL as the gateway opens it). Not timed: making the readings.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <stdlib.h>

#include "gateway/daemon/persistence.h"
#include "gateway/store/store.h"

namespace {

namespace fs = std::filesystem;
namespace store = passerelle::store;
using Clock = std::chrono::steady_clock;
using passerelle::Reading;
using passerelle::Timestamp;

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "store_bench: %s\n", message.c_str());
    std::exit(2);
}

template <typename T>
T check(passerelle::Result<T> result) {
    if (!result) {
        fail(result.error().message);
    }
    return std::move(*result);
}

std::vector<Reading> make_readings(std::size_t count) {
    std::vector<Reading> readings;
    readings.reserve(count);
    const Timestamp start(std::chrono::seconds(1'780'000'000));
    for (std::size_t i = 0; i < count; ++i) {
        readings.push_back(Reading{"habitat-sud", fmt::format("logt-{}", i % 500), "temperature",
                                   20.0 + static_cast<double>(i % 97) / 10.0, "Cel",
                                   start + std::chrono::seconds(i)});
    }
    return readings;
}

struct TempDir {
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "store-bench.XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            fail("cannot create a temporary directory");
        }
        path = pattern;
    }
    ~TempDir() { fs::remove_all(path); }
    fs::path path;
};

/// Seconds the fastest of three rounds took; each round gets a new store.
double best_of_three(const std::function<double(const fs::path&)>& round) {
    double best = 1e300;
    for (int i = 0; i < 3; ++i) {
        const TempDir dir;
        best = std::min(best, round(dir.path));
    }
    return best;
}

double plain_inserts(const fs::path& dir, const std::vector<Reading>& readings, std::size_t batch) {
    auto database = check(store::Database::open(dir / "plain.db"));
    if (!database.execute("CREATE TABLE t (time_us INTEGER, entity TEXT, value REAL)")) {
        fail("cannot create the table");
    }
    auto insert = check(database.prepare("INSERT INTO t VALUES (?1, ?2, ?3)"));
    const auto start = Clock::now();
    for (std::size_t i = 0; i < readings.size(); i += batch) {
        auto transaction = check(store::Transaction::begin(database));
        for (std::size_t j = i; j < std::min(readings.size(), i + batch); ++j) {
            insert.bind(1, readings[j].time.time_since_epoch().count())
                .bind(2, readings[j].entity)
                .bind(3, std::get<double>(readings[j].value));
            if (!insert.run()) {
                fail("insert failed");
            }
        }
        if (!transaction.commit()) {
            fail("commit failed");
        }
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double history(const fs::path& dir, const std::vector<Reading>& readings, std::size_t batch) {
    auto opened = check(store::Store::open(dir));
    auto& history = opened->history();
    const std::string topic = "telemetry/habitat-sud/logt/temperature";
    const auto start = Clock::now();
    for (std::size_t i = 0; i < readings.size(); ++i) {
        history.add(topic, readings[i]);
        if (history.buffered() >= batch && !history.flush()) {
            fail("flush failed");
        }
    }
    if (!history.flush()) {
        fail("flush failed");
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double notification_cycle(const fs::path& dir, std::size_t count) {
    passerelle::daemon::Persistence persistence(check(store::Store::open(dir)), {});
    const Timestamp now(std::chrono::seconds(1'780'000'000));
    const std::string payload(400, 'x');  // a notification's JSON is a few hundred bytes
    const auto start = Clock::now();
    for (std::size_t i = 0; i < count; ++i) {
        const std::string alert = std::to_string(i);
        persistence.stage({"ccas",
                           "canicule-logement",
                           alert,
                           "firing",
                           {"habitat-sud"},
                           "notify/ccas/canicule-logement/" + alert},
                          payload);
        for (const auto& ready : persistence.commit(now)) {
            persistence.delivered(ready.id, now);
        }
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The ingest journal as the bus's thread feeds it: one append per message received, and the
/// segments released as the rules' transactions commit (every 1000 messages here).
double journal(const fs::path& dir, std::size_t count) {
    store::IngestJournal::Recovery recovery;
    auto opened = check(store::IngestJournal::open(dir / "journal", 0, recovery));
    const std::string topic = "application/9a3c/device/a84041000181c61e/event/up";
    const std::string payload(600, 'x');  // a ChirpStack uplink event is about that long
    const auto start = Clock::now();
    for (std::size_t i = 0; i < count; ++i) {
        auto sequence = opened->append(topic, payload);
        if (!sequence) {
            fail(sequence.error().message);
        }
        if (*sequence % 1000 == 0) {
            opened->release_through(*sequence);
        }
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t rows = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200'000;
    if (rows == 0) {
        fail("rows must be a positive number");
    }
    const auto readings = make_readings(rows);
    const double baseline =
        best_of_three([&](const fs::path& dir) { return plain_inserts(dir, readings, 1000); });
    std::printf("%-62s %12s %8s\n", "case", "rows/s", "x base");
    const auto report = [&](const char* name, double seconds, std::size_t count) {
        const double per_second = static_cast<double>(count) / seconds;
        std::printf("%-62s %12.0f %8.2f\n", name, per_second,
                    per_second / (static_cast<double>(rows) / baseline));
    };
    report("baseline: plain inserts, no index, 1000 a transaction", baseline, rows);
    report("reading history, 1000 a transaction",
           best_of_three([&](const fs::path& dir) { return history(dir, readings, 1000); }), rows);
    report("reading history, 100 a transaction",
           best_of_three([&](const fs::path& dir) { return history(dir, readings, 100); }), rows);
    const std::size_t notifications = std::max<std::size_t>(1, rows / 20);
    report(
        "notification: outbox row, then audit row on its PUBACK",
        best_of_three([&](const fs::path& dir) { return notification_cycle(dir, notifications); }),
        notifications);
    report("ingest journal: one 600-byte message appended (a write() each)",
           best_of_three([&](const fs::path& dir) { return journal(dir, rows); }), rows);
    return 0;
}
