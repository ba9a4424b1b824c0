// SPDX-License-Identifier: Apache-2.0
// Telegrams/s through the meter decoders: wired M-Bus, wireless M-Bus in clear, mode 5 AES-CBC and
// Kamstrup ELL AES-CTR, against a baseline that only copies the bytes and checks one CRC.
//
// Usage: meter_bench [telegrams per case and round, default 1000000] [case name]. Each case runs
// three rounds and keeps the fastest. Figures in docs/performance.md. Given a case name, only
// that case is timed: a run for a profiler.
//
// What is timed: decode_wired_frame / decode_wireless_telegram (link layer, ELL, decryption,
// transport header, records with their names' parts, units and values), the same telegram over
// and over, read from the golden vectors in tests/data before the clock starts. What is not: hex
// parsing, to_readings, JSON, MQTT. One thread. The baseline copies the telegram into a vector and
// computes its CRC-16 (EN 13757), the least a decoder must do; ratios to it compare machines.
//
// Allocations: this binary counts operator new calls per telegram (bench/allocation_count.h).

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "bench/allocation_count.h"
#include "connectors/mbus/mbus_decoder.h"
#include "connectors/wmbus/crc16.h"
#include "connectors/wmbus/telegram_text.h"
#include "connectors/wmbus/wmbus_decoder.h"

namespace {

namespace mbus = passerelle::connectors::mbus;
namespace wmbus = passerelle::connectors::wmbus;
using Clock = std::chrono::steady_clock;
using Bytes = std::vector<std::uint8_t>;

enum class Decoder { Baseline, Wired, Wireless };

struct Case {
    const char* name;
    const char* vector;  // tests/data/<vector>.hex
    Decoder decoder;
    double target_per_second;  // the target, 0 for none
};

constexpr Case kCases[] = {
    {"baseline: copy + CRC-16", "wmbus/itron-water", Decoder::Baseline, 0},
    {"wired M-Bus, CI 0x72, 6 real records", "mbus/aquametro-amtron-real32", Decoder::Wired, 1e6},
    {"wireless, in clear, 7 records", "wmbus/itron-water", Decoder::Wireless, 1e6},
    {"wireless, mode 5 AES-CBC, 5 blocks", "wmbus/diehl-sharky775-mode5", Decoder::Wireless, 2e5},
    {"wireless, Kamstrup ELL AES-CTR", "wmbus/kamstrup-multical21-ctr", Decoder::Wireless, 2e5},
};

struct Telegram {
    Bytes bytes;
    wmbus::DecodeOptions options;
};

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "meter_bench: %s\n", message.c_str());
    std::exit(2);
}

// A golden vector's bytes and key ('#' lines are its source and options).
Telegram load_vector(const std::string& name) {
    const std::string path = std::string(PASSERELLE_SOURCE_DIR) + "/tests/data/" + name + ".hex";
    std::ifstream file(path);
    if (!file) {
        fail("cannot read " + path);
    }
    Telegram telegram;
    std::string hex;
    const std::string key_prefix = "# key: ";
    for (std::string line; std::getline(file, line);) {
        if (line.rfind(key_prefix, 0) == 0) {
            auto key = wmbus::parse_aes_key(line.substr(key_prefix.size()));
            if (!key) {
                fail(path + ": " + key.error().message);
            }
            telegram.options.key = *key;
        } else if (!line.empty() && line[0] != '#') {
            hex += line + " ";
        }
    }
    auto bytes = wmbus::parse_telegram_text(hex);
    if (!bytes) {
        fail(path + ": " + bytes.error().message);
    }
    telegram.bytes = std::move(*bytes);
    return telegram;
}

// The number of records decoded (bytes for the baseline), so that nothing is optimised away;
// 0 when the telegram does not decode.
std::size_t decode_once(Decoder decoder, const Telegram& telegram) {
    switch (decoder) {
        case Decoder::Baseline: {
            const Bytes copy(telegram.bytes.begin(), telegram.bytes.end());
            return copy.size() + wmbus::crc16_en13757(copy);
        }
        case Decoder::Wired: {
            auto decoded = mbus::decode_wired_frame(telegram.bytes);
            return decoded ? decoded->records.size() : 0;
        }
        case Decoder::Wireless: {
            auto decoded = wmbus::decode_wireless_telegram(telegram.bytes, telegram.options);
            return decoded ? decoded->records.size() : 0;
        }
    }
    return 0;
}

struct Row {
    double ns_per_telegram = 0;
    double allocations_per_telegram = 0;
};

Row time_case(const Case& bench_case, std::size_t count) {
    const Telegram telegram = load_vector(bench_case.vector);
    if (decode_once(bench_case.decoder, telegram) == 0) {
        fail(std::string(bench_case.vector) + " does not decode");
    }
    // The fastest of a few rounds: the others were slowed by whatever else ran on the machine.
    constexpr int kRounds = 3;
    Row best{std::numeric_limits<double>::max(), 0};
    for (int round = 0; round < kRounds; ++round) {
        std::size_t sink = 0;
        const std::size_t allocations_before = passerelle::bench::allocation_count();
        const auto start = Clock::now();
        for (std::size_t i = 0; i < count; ++i) {
            sink += decode_once(bench_case.decoder, telegram);
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        if (sink == 0) {
            fail("nothing decoded");
        }
        const auto n = static_cast<double>(count);
        const Row row{
            seconds * 1e9 / n,
            static_cast<double>(passerelle::bench::allocation_count() - allocations_before) / n};
        best = row.ns_per_telegram < best.ns_per_telegram ? row : best;
    }
    return best;
}

std::size_t telegram_size(const Case& bench_case) {
    return load_vector(bench_case.vector).bytes.size();
}

}  // namespace

int main(int argc, char** argv) {
    const long requested = argc > 1 ? std::atol(argv[1]) : 1000000;
    if (requested <= 0) {
        std::fprintf(stderr, "usage: meter_bench [telegrams per case, > 0] [case name]\n");
        return 2;
    }
    const auto count = static_cast<std::size_t>(requested);
    if (argc > 2) {
        for (const Case& bench_case : kCases) {
            if (std::string(bench_case.name).find(argv[2]) != std::string::npos) {
                const Row row = time_case(bench_case, count);
                std::printf("%s: %.1f ns/telegram\n", bench_case.name, row.ns_per_telegram);
            }
        }
        return 0;
    }
    std::printf("Meter decoders, %zu telegrams per case, fastest of 3 rounds, one thread\n\n",
                count);
    std::printf(
        "| case | vector | bytes | telegrams/s | ns/telegram | × baseline | allocs/telegram "
        "| target |\n");
    std::printf("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    double baseline_ns = 0;
    bool all_met = true;
    for (const Case& bench_case : kCases) {
        const Row row = time_case(bench_case, count);
        baseline_ns = baseline_ns == 0 ? row.ns_per_telegram : baseline_ns;
        const double rate = 1e9 / row.ns_per_telegram;
        const bool met = rate >= bench_case.target_per_second;
        all_met = all_met && met;
        const std::string target =
            bench_case.target_per_second == 0
                ? std::string()
                : (met ? "met" : "NOT met") + std::string(bench_case.target_per_second >= 1e6
                                                              ? " (≥ 1 000 000/s)"
                                                              : " (≥ 200 000/s)");
        std::printf("| %s | %s | %zu | %.0f | %.1f | %.1f× | %.1f | %s |\n", bench_case.name,
                    bench_case.vector, telegram_size(bench_case), rate, row.ns_per_telegram,
                    row.ns_per_telegram / baseline_ns, row.allocations_per_telegram,
                    target.c_str());
    }
    std::printf("\nTargets: %s.\n", all_met ? "all met" : "NOT all met");
    return 0;
}
