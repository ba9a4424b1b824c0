// SPDX-License-Identifier: Apache-2.0
// Uplinks/s through the LoRaWAN path: a network server's JSON envelope, then the device's payload
// codec, then the whole device adapter (envelope, duplicate check, codec, radio readings), against
// a baseline that only parses the same JSON with nlohmann::json. A row times the envelope scanner
// alone, validating the event without reading a field: the floor of the envelope's cost.
//
// Usage: lorawan_bench [uplinks per case and round, default 200000] [text]. Each case runs three
// rounds and keeps the fastest; one thread. With a text, only the baseline and the cases whose
// name contains it run: the run to give a profiler, e.g. `perf record -g lorawan_bench 500000
// adapter`. Allocations: this binary counts operator new calls (bench/allocation_count.h).
// Figures in docs/performance.md. The uplinks are a ChirpStack v4 `up` event of an Elsys ERS
// (temperature, humidity, light, motion, CO2, VDD) heard by two gateways, and The Things Stack v3
// message of the same payload in Cayenne LPP. The adapter case gives each uplink its own fCnt, so
// that none is taken for a repeat.

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/allocation_count.h"
#include "connectors/lorawan/codecs/codec_registry.h"
#include "connectors/lorawan/device_adapter.h"
#include "connectors/lorawan/envelopes/envelope.h"
#include "connectors/lorawan/envelopes/json_scanner.h"

namespace {

namespace lorawan = passerelle::connectors::lorawan;
using Clock = std::chrono::steady_clock;

// 01 00E2 02 29 04 0027 05 06 06 0308 07 0E4C: 22.6 °C, 41 %RH, 39 lx, 6 motions, 776 ppm, 3.66 V.
constexpr const char* kElsys = "AQDiAikEACcFBgYDCAcOTA==";
// 01 67 00E2 02 68 52: 22.6 °C on channel 1, 41 %RH on channel 2 (Cayenne LPP).
constexpr const char* kLpp = "AWcA4gJoUg==";

std::string chirpstack(std::uint32_t f_cnt) {
    return fmt::format(
        R"({{"deduplicationId":"3ac7e3c4-4401-4b8d-9386-a5c902f9202d",)"
        R"("time":"2026-07-14T10:00:00.123456789+00:00","deviceInfo":{{"tenantId":"52f14cd4",)"
        R"("tenantName":"Villeneuve","applicationId":"ca739e26","applicationName":"capteurs",)"
        R"("deviceProfileId":"605d08d4","deviceProfileName":"Elsys ERS","deviceName":"ers-101",)"
        R"("devEui":"a81758fffe040001","tags":{{"batiment":"hs-bat-a"}}}},"devAddr":"00189440",)"
        R"("adr":true,"dr":5,"fCnt":{},"fPort":5,"confirmed":false,"data":"{}",)"
        R"("rxInfo":[{{"gatewayId":"0016c001f0000001","uplinkId":4217,"rssi":-91,"snr":7.5,)"
        R"("context":"EFwMtA==","metadata":{{"region_name":"eu868"}}}},)"
        R"({{"gatewayId":"0016c001f0000002","uplinkId":5310,"rssi":-104,"snr":-2.25,)"
        R"("context":"EFwMtB==","metadata":{{"region_name":"eu868"}}}}],)"
        R"("txInfo":{{"frequency":868100000,"modulation":{{"lora":{{"bandwidth":125000,)"
        R"("spreadingFactor":7,"codeRate":"CR_4_5"}}}}}}}})",
        f_cnt, kElsys);
}

std::string tts() {
    return fmt::format(
        R"({{"end_device_ids":{{"device_id":"ers-102","application_ids":{{"application_id":)"
        R"("capteurs"}},"dev_eui":"70B3D57ED0050002","dev_addr":"260B1234"}},)"
        R"("received_at":"2026-07-14T10:00:00.223Z","uplink_message":{{"f_port":1,"f_cnt":42,)"
        R"("frm_payload":"{}","rx_metadata":[{{"gateway_ids":{{"gateway_id":"gw-mairie",)"
        R"("eui":"B827EBFFFE000001"}},"rssi":-97,"channel_rssi":-97,"snr":5.5}}],)"
        R"("settings":{{"data_rate":{{"lora":{{"bandwidth":125000,"spreading_factor":9}}}},)"
        R"("frequency":"868300000"}},"received_at":"2026-07-14T10:00:00.201Z"}}}})",
        kLpp);
}

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "lorawan_bench: %s\n", message.c_str());
    std::exit(2);
}

struct Timing {
    double ns = 0;      // per uplink
    double allocs = 0;  // operator new calls per uplink
    /// The same round's processor time per uplink: on a machine shared with other work, the wall
    /// clock also counts the time this process waited for a core.
    double cpu_ns = 0;
};

double cpu_now() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Runs `once` `count` times, three rounds, and gives the fastest round's figures.
template <typename F>
Timing time_case(std::size_t count, F&& once) {
    Timing best{std::numeric_limits<double>::max(), 0, 0};
    for (int round = 0; round < 3; ++round) {
        std::size_t sink = 0;
        const std::size_t allocations_before = passerelle::bench::allocation_count();
        const double cpu_start = cpu_now();
        const auto start = Clock::now();
        for (std::size_t i = 0; i < count; ++i) {
            sink += once(i);
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        const double cpu_seconds = cpu_now() - cpu_start;
        if (sink == 0) {
            fail("nothing decoded");
        }
        const auto n = static_cast<double>(count);
        const Timing timing{
            seconds * 1e9 / n,
            static_cast<double>(passerelle::bench::allocation_count() - allocations_before) / n,
            cpu_seconds * 1e9 / n};
        best = timing.ns < best.ns ? timing : best;
    }
    return best;
}

std::size_t decode_with(const lorawan::Uplink& uplink, const char* codec_name) {
    const lorawan::PayloadCodec* codec = lorawan::find_codec(codec_name);
    auto decoded = lorawan::decode_payload(*codec, lorawan::PayloadInput{uplink.payload, 1});
    return decoded ? decoded->readings.size() : 0;
}

}  // namespace

int main(int argc, char** argv) {
    const long requested = argc > 1 ? std::atol(argv[1]) : 200000;
    if (requested <= 0) {
        std::fprintf(stderr, "usage: lorawan_bench [uplinks per case, > 0]\n");
        return 2;
    }
    const auto count = static_cast<std::size_t>(requested);
    const std::string only = argc > 2 ? argv[2] : "";
    const std::string up = chirpstack(7);
    const std::string tts_up = tts();
    // The adapter's uplinks differ by fCnt only, made before the clock starts.
    std::vector<std::string> distinct;
    distinct.reserve(1024);
    for (std::uint32_t i = 0; i < 1024; ++i) {
        distinct.push_back(chirpstack(i));
    }
    passerelle::Territory territory;
    passerelle::Entity entity;
    entity.id = "hs-a-101";
    entity.provider = "habitat-sud";
    territory.entities.add(entity);
    territory.lorawan.add({"a81758fffe040001", "elsys", "hs-a-101", {}, {}});

    struct Row {
        const char* name;
        Timing timing;
    };
    std::vector<Row> rows;
    // Times the case unless a text given on the command line leaves it out.
    const auto run = [&](const char* name, auto&& once) {
        if (rows.empty() || std::string_view(name).find(only) != std::string_view::npos) {
            rows.push_back({name, time_case(count, once)});
        }
    };
    run("baseline: nlohmann::json::parse of the ChirpStack event",
        [&](std::size_t) { return nlohmann::json::parse(up).size(); });
    run("scanner: validating the ChirpStack event, no field read", [&](std::size_t) {
        return static_cast<std::size_t>(lorawan::detail::is_valid_json(up, 32));
    });
    run("ChirpStack envelope", [&](std::size_t) {
        auto uplink = lorawan::parse_chirpstack_uplink(up);
        return uplink ? uplink->payload.size() : 0;
    });
    run("ChirpStack envelope + Elsys codec", [&](std::size_t) {
        auto uplink = lorawan::parse_chirpstack_uplink(up);
        return uplink ? decode_with(*uplink, "elsys") : 0;
    });
    run("The Things Stack envelope + Cayenne LPP codec", [&](std::size_t) {
        auto uplink = lorawan::parse_tts_uplink(tts_up);
        return uplink ? decode_with(*uplink, "lpp") : 0;
    });
    std::unique_ptr<lorawan::DeviceAdapter> adapter;
    run("device adapter: envelope, duplicates, Elsys, radio readings",
        [&](std::size_t i) -> std::size_t {
            // A fresh adapter per 1024 uplinks: their fCnts are new to it.
            if (i % distinct.size() == 0) {
                adapter = std::make_unique<lorawan::DeviceAdapter>(territory);
            }
            auto report = adapter->adapt("application/ca739e26/device/a81758fffe040001/event/up",
                                         distinct[i % distinct.size()], passerelle::Timestamp{});
            return report && report->has_value() ? (*report)->readings.size() : 0;
        });

    std::printf("LoRaWAN uplinks, %zu per case, fastest of 3 rounds, one thread\n\n", count);
    std::printf(
        "| case | uplinks/s | ns/uplink | × baseline | allocs/uplink | processor ns/uplink |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (const Row& row : rows) {
        const double ns = row.timing.ns;
        std::printf("| %s | %.0f | %.0f | %.2f | %.1f | %.0f |\n", row.name, 1e9 / ns, ns,
                    ns / rows.front().timing.ns, row.timing.allocs, row.timing.cpu_ns);
    }
    std::printf("\ntarget: 500 000 uplinks/s through envelope + codec\n");
    return 0;
}
