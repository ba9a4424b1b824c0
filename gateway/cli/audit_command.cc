// SPDX-License-Identifier: Apache-2.0
// `passerelle audit`: who received which notification, from whose data, by which rule: the audit
// log of the store, as a table, CSV or JSON lines; or the verification of its hash chain.
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gateway/cli/commands.h"
#include "gateway/core/local_date.h"
#include "gateway/core/spelling.h"
#include "gateway/store/audit_log.h"
#include "gateway/store/store.h"
#include "rules/template/text_format.h"

namespace passerelle::cli {
namespace {

struct AuditOptions {
    std::string config;
    std::string data_dir;
    std::string recipient;
    std::string provider;
    std::string rule;
    std::string since;
    std::string format = "table";
    bool verify = false;
};

/// "7d" (that long ago), "2026-07-14" (midnight in the territory's time zone) or an RFC 3339 time.
std::optional<Timestamp> parse_since(const std::string& text, const TimeZone& zone) {
    if (auto ago = parse_duration(text)) {
        return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now()) - *ago;
    }
    if (auto midnight = local_midnight(text, zone)) {
        return midnight;
    }
    return parse_utc(text);
}

std::string providers_text(const std::vector<std::string>& providers) {
    return fmt::format("{}", fmt::join(providers, " "));
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        return text;
    }
    std::string quoted = "\"";
    for (const char c : text) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

void print_table(const std::vector<store::AuditRecord>& records, const TimeZone& zone) {
    const std::vector<std::string> header{"sent (" + zone.name() + ")",
                                          "recipient",
                                          "rule",
                                          "alert",
                                          "notice",
                                          "providers",
                                          "agreement"};
    std::vector<std::vector<std::string>> rows;
    for (const auto& record : records) {
        rows.push_back({rules::format_local(record.sent, zone, "%Y-%m-%d %H:%M:%S"),
                        record.what.recipient, record.what.rule, record.what.alert_id,
                        record.what.notice, providers_text(record.what.providers),
                        record.agreement.value_or("-")});
    }
    std::vector<std::size_t> widths(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) {
        widths[i] = header[i].size();
        for (const auto& row : rows) {
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    const auto print_row = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            line += i + 1 < cells.size() ? fmt::format("{:<{}}  ", cells[i], widths[i]) : cells[i];
        }
        std::puts(line.c_str());
    };
    print_row(header);
    for (const auto& row : rows) {
        print_row(row);
    }
}

void print_csv(const std::vector<store::AuditRecord>& records) {
    std::puts("seq,sent,recipient,rule,alert_id,notice,providers,agreement,topic,payload_sha256");
    for (const auto& record : records) {
        const std::vector<std::string> cells{std::to_string(record.seq),
                                             format_utc(record.sent),
                                             record.what.recipient,
                                             record.what.rule,
                                             record.what.alert_id,
                                             record.what.notice,
                                             providers_text(record.what.providers),
                                             record.agreement.value_or(""),
                                             record.what.topic,
                                             record.payload_sha256};
        std::string line;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            line += (i == 0 ? "" : ",") + csv_field(cells[i]);
        }
        std::puts(line.c_str());
    }
}

void print_jsonl(const std::vector<store::AuditRecord>& records) {
    for (const auto& record : records) {
        const nlohmann::json line{
            {"seq", record.seq},
            {"sent", format_utc(record.sent)},
            {"recipient", record.what.recipient},
            {"rule", record.what.rule},
            {"alert_id", record.what.alert_id},
            {"notice", record.what.notice},
            {"providers", record.what.providers},
            {"agreement", record.agreement ? nlohmann::json(*record.agreement) : nullptr},
            {"topic", record.what.topic},
            {"payload_sha256", record.payload_sha256},
            {"hash", record.hash}};
        std::puts(line.dump().c_str());
    }
}

/// A party no longer in the configuration may still be in the log: a warning, not a refusal.
void warn_unknown_party(const std::string& option, const std::string& id,
                        const Territory& territory) {
    if (id.empty() || territory.find_stakeholder(id) != nullptr) {
        return;
    }
    std::vector<std::string> ids;
    for (const auto& party : territory.stakeholders) {
        ids.push_back(party.id);
    }
    std::fprintf(stderr, "audit: warning: %s '%s' is not a stakeholder of the configuration%s\n",
                 option.c_str(), id.c_str(), did_you_mean(id, ids).c_str());
}

int audit(const AuditOptions& options) {
    auto settings = load_settings_or_report(options.config);
    if (!settings) {
        return kExitConfig;
    }
    warn_unknown_party("--recipient", options.recipient, settings->territory);
    warn_unknown_party("--provider", options.provider, settings->territory);
    store::AuditQuery query{options.recipient, options.provider, options.rule, std::nullopt};
    if (!options.since.empty()) {
        query.since = parse_since(options.since, settings->time_zone);
        if (!query.since) {
            std::fprintf(stderr,
                         "audit: --since '%s' is neither a duration (7d), a date (2026-07-14) nor "
                         "a time (2026-07-14T08:00:00Z)\n",
                         options.since.c_str());
            return kExitUsage;
        }
    }
    const std::string data_dir = options.data_dir.empty() ? settings->data_dir : options.data_dir;
    // Read beside a running gateway: no lock, nothing written.
    auto database = store::open_store_for_reading(data_dir);
    if (!database) {
        std::fprintf(stderr, "audit: %s\n", database.error().message.c_str());
        return kExitStore;
    }
    auto log = store::AuditLog::open(*database);
    if (!log) {
        std::fprintf(stderr, "audit: %s\n", log.error().message.c_str());
        return kExitStore;
    }
    if (options.verify) {
        const auto verification = log->verify();
        if (!verification) {
            std::fprintf(stderr, "audit: %s\n", verification.error().message.c_str());
            return kExitStore;
        }
        if (verification->broken_at) {
            std::printf("audit log: the chain breaks at row %lld: %s\n",
                        static_cast<long long>(*verification->broken_at),
                        verification->reason.c_str());
            return kExitProblems;
        }
        std::printf("audit log: %lld rows, chain intact\n",
                    static_cast<long long>(verification->rows));
        return kExitOk;
    }
    const auto records = log->query(query);
    if (!records) {
        std::fprintf(stderr, "audit: %s\n", records.error().message.c_str());
        return kExitStore;
    }
    if (options.format == "csv") {
        print_csv(*records);
    } else if (options.format == "jsonl") {
        print_jsonl(*records);
    } else {
        print_table(*records, settings->time_zone);
        std::fprintf(stderr, "%zu notification(s)\n", records->size());
    }
    return kExitOk;
}

}  // namespace

void add_audit_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<AuditOptions>();
    auto* command = app.add_subcommand(
        "audit", "Who received which notification, from whose data, by which rule");
    command->add_option("-c,--config", options->config, "passerelle.yaml")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--data", options->data_dir, "Data directory (default: storage.data_dir)");
    command->add_option("--recipient", options->recipient, "Only what this stakeholder received");
    command->add_option("--provider", options->provider,
                        "Only notifications that carried this stakeholder's data");
    command->add_option("--rule", options->rule, "Only this rule's notifications");
    command->add_option("--since", options->since,
                        "From this time on: 7d (ago), 2026-07-14 (local midnight) or RFC 3339");
    command->add_option("--format", options->format, "table (default), csv or jsonl")
        ->check(CLI::IsMember({"table", "csv", "jsonl"}));
    command->add_flag("--verify", options->verify,
                      "Check the log's hash chain instead (exit 1 when a row was changed)");
    command->callback([options, &exit_code] { exit_code = audit(*options); });
}

}  // namespace passerelle::cli
