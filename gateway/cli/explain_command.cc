// SPDX-License-Identifier: Apache-2.0
// `passerelle explain ALERT-ID`: why an alert fired, repeated or ended, from the explain log the
// gateway keeps in its data directory.
#include <cstdio>

#include <fmt/format.h>

#include "gateway/cli/commands.h"
#include "gateway/storage/explain_log.h"
#include "gateway/storage/explain_text.h"

namespace passerelle::cli {
namespace {

struct ExplainOptions {
    std::string config;
    std::string data_dir;
    std::string alert_id;
    std::string format = "text";
};

int explain(const ExplainOptions& options) {
    auto settings = load_settings_or_report(options.config);
    if (!settings) {
        return kExitConfig;
    }
    const std::string data_dir = options.data_dir.empty() ? settings->data_dir : options.data_dir;
    std::size_t unreadable = 0;
    const auto records = storage::find_explanations(std::filesystem::path(data_dir) / "explain",
                                                    options.alert_id, unreadable);
    if (!records) {
        std::fprintf(stderr, "explain: %s\n", records.error().message.c_str());
        return kExitProblems;
    }
    if (unreadable > 0) {
        std::fprintf(stderr, "explain: %zu unreadable line(s) skipped\n", unreadable);
    }
    if (records->empty()) {
        std::fprintf(stderr,
                     "explain: no transition of alert '%s' in %s/explain (kept %lld days; is the "
                     "id one from a notification's \"id\"?)\n",
                     options.alert_id.c_str(), data_dir.c_str(),
                     static_cast<long long>(
                         std::chrono::duration_cast<std::chrono::hours>(settings->explain_retention)
                             .count() /
                         24));
        return kExitProblems;
    }
    for (const auto& record : *records) {
        if (options.format == "json") {
            std::puts(record.dump().c_str());
        } else {
            std::fputs(storage::format_explanation(record).c_str(), stdout);
        }
    }
    return kExitOk;
}

}  // namespace

void add_explain_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ExplainOptions>();
    auto* command = app.add_subcommand(
        "explain", "Print why an alert fired, repeated or ended: its inputs and conditions");
    command->add_option("-c,--config", options->config, "passerelle.yaml")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--data", options->data_dir,
                        "Data directory of the gateway (default: the configuration's)");
    command->add_option("--format", options->format, "text (default) or json (one line each)")
        ->check(CLI::IsMember({"text", "json"}));
    command->add_option("alert-id", options->alert_id, "The \"id\" of a notification")->required();
    command->callback([options, &exit_code] { exit_code = explain(*options); });
}

}  // namespace passerelle::cli
