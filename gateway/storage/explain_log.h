// SPDX-License-Identifier: Apache-2.0
// The explain log: one JSON line per alert transition with what caused it, kept in day files under
// the data directory for a configured time, read by `passerelle explain ALERT-ID`. It is for the
// operators of the gateway: the inputs it holds may belong to other parties than the recipients.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/core/result.h"
#include "gateway/core/time.h"
#include "rules/engine/alert_event.h"

namespace passerelle::storage {

/// What the log keeps of one transition: the alert, the reading it reports, who was told, and
/// the engine's explanation.
nlohmann::json explain_record(const rules::AlertEvent& event,
                              const std::vector<std::string>& recipients);

class ExplainLog {
public:
    /// Day files `YYYY-MM-DD.jsonl` (UTC, by the wall clock when written) in `dir`, created when
    /// first needed; files older than `retention` are removed by prune(), called at each new day.
    ExplainLog(std::filesystem::path dir, Duration retention);
    ~ExplainLog();
    ExplainLog(const ExplainLog&) = delete;
    ExplainLog& operator=(const ExplainLog&) = delete;

    /// Appends one record, flushed: a crash loses nothing written before it.
    Status append(const nlohmann::json& record, Timestamp wall_now);
    /// Removes the day files wholly older than the retention at `wall_now`; returns how many.
    std::size_t prune(Timestamp wall_now);

    const std::filesystem::path& dir() const { return dir_; }

private:
    Status open_day(const std::string& day);

    std::filesystem::path dir_;
    Duration retention_;
    std::string day_;  // of the open file
    std::FILE* file_ = nullptr;
};

/// The records of `alert_id` in the day files of `dir`, oldest first. Lines that are not JSON (a
/// line cut by a full disk) are skipped and counted in `unreadable`.
Result<std::vector<nlohmann::json>> find_explanations(const std::filesystem::path& dir,
                                                      std::string_view alert_id,
                                                      std::size_t& unreadable);

}  // namespace passerelle::storage
