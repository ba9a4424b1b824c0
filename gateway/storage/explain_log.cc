// SPDX-License-Identifier: Apache-2.0
#include "gateway/storage/explain_log.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "rules/compiler/rule_set.h"

namespace passerelle::storage {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kSuffix = ".jsonl";

// "2026-07-14" of a UTC time: the name of its day file.
std::string day_of(Timestamp t) {
    return format_utc(t).substr(0, 10);
}

// The day files of `dir`, in date order (their names sort as dates).
std::vector<fs::path> day_files(const fs::path& dir) {
    std::vector<fs::path> files;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && name.size() == 10 + kSuffix.size() &&
            name.ends_with(kSuffix)) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

json explain_record(const rules::AlertEvent& event, const std::vector<std::string>& recipients) {
    const Reading& reading = event.reading;
    json record = {
        {"id", event.alert_id},
        {"rule", event.rule->id},
        {"key", event.key},
        {"status", rules::to_string(event.status)},
        {"ts", format_utc(event.time)},
        {"started_at", format_utc(event.started_at)},
        {"reading",
         {{"entity", reading.entity},
          {"provider", reading.provider},
          {"quantity", reading.quantity},
          {"value", std::visit([](const auto& v) { return json(v); }, reading.value)},
          {"unit", reading.unit},
          {"t", format_utc(reading.time)}}},
        {"recipients", recipients},
    };
    if (event.repeat > 0) {
        record["repeat"] = event.repeat;
    }
    if (event.explanation) {
        record["explanation"] = rules::to_json(*event.explanation);
    }
    return record;
}

ExplainLog::ExplainLog(fs::path dir, Duration retention)
    : dir_(std::move(dir)), retention_(retention) {}

ExplainLog::~ExplainLog() {
    if (file_ != nullptr) {
        std::fclose(file_);
    }
}

Status ExplainLog::open_day(const std::string& day) {
    if (file_ != nullptr) {
        std::fclose(file_);
        file_ = nullptr;
    }
    std::error_code error;
    fs::create_directories(dir_, error);
    if (error) {
        return make_error("explain.io",
                          fmt::format("cannot create '{}': {}", dir_.string(), error.message()));
    }
    const fs::path path = dir_ / (day + std::string(kSuffix));
    file_ = std::fopen(path.c_str(), "a");
    if (file_ == nullptr) {
        return make_error("explain.io",
                          fmt::format("cannot open '{}': {}", path.string(), std::strerror(errno)));
    }
    day_ = day;
    return Ok{};
}

Status ExplainLog::append(const json& record, Timestamp wall_now) {
    if (const std::string day = day_of(wall_now); file_ == nullptr || day != day_) {
        if (auto opened = open_day(day); !opened) {
            return opened;
        }
        prune(wall_now);  // once a day is enough: files are whole days
    }
    const std::string line = record.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
        const int saved = errno;
        std::fclose(file_);  // reopened at the next record: the space may have come back
        file_ = nullptr;
        return make_error("explain.io", fmt::format("cannot write to '{}': {}", dir_.string(),
                                                    std::strerror(saved)));
    }
    return Ok{};
}

std::size_t ExplainLog::prune(Timestamp wall_now) {
    // A day file is removed once its whole day is older than the retention.
    const std::string oldest_kept = day_of(wall_now - retention_);
    std::size_t removed = 0;
    for (const auto& path : day_files(dir_)) {
        if (path.stem().string() < oldest_kept && path.stem().string() != day_) {
            std::error_code error;
            removed += fs::remove(path, error) ? 1 : 0;
        }
    }
    return removed;
}

Result<std::vector<json>> find_explanations(const fs::path& dir, std::string_view alert_id,
                                            std::size_t& unreadable) {
    std::error_code error;
    if (!fs::is_directory(dir, error)) {
        return make_error("explain.no-log",
                          fmt::format("no explain log in '{}': the gateway has not written one "
                                      "there (is --data the one `passerelle run` uses?)",
                                      dir.string()));
    }
    std::vector<json> found;
    for (const auto& path : day_files(dir)) {
        std::ifstream file(path);
        std::string line;
        while (std::getline(file, line)) {
            // Cheap filter first: most lines are other alerts.
            if (line.find(alert_id) == std::string::npos) {
                continue;
            }
            json record = json::parse(line, nullptr, false);
            if (record.is_discarded() || !record.is_object()) {
                ++unreadable;
                continue;
            }
            if (record.value("id", "") == alert_id) {
                found.push_back(std::move(record));
            }
        }
    }
    return found;
}

}  // namespace passerelle::storage
