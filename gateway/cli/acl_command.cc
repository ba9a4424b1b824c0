// SPDX-License-Identifier: Apache-2.0
// `passerelle acl`: writes the broker's ACL and password files from the configuration, so that
// the broker enforces the same boundaries between parties as the rules compiler.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <sys/stat.h>

#include "gateway/broker_access/mosquitto_acl.h"
#include "gateway/broker_access/mosquitto_password.h"
#include "gateway/cli/commands.h"
#include "gateway/config/broker_access_loader.h"

namespace passerelle::cli {
namespace {

namespace fs = std::filesystem;

struct AclOptions {
    std::string config;
    std::string out;
};

/// Writes `text` to `file` through a temporary file renamed over it: a broker reading the file
/// meanwhile sees the old one or the new one, never half of it.
Status write_file(const fs::path& file, const std::string& text, fs::perms perms) {
    const fs::path temporary = file.string() + ".new";
    {
        std::ofstream out(temporary, std::ios::trunc | std::ios::binary);
        out << text;
        if (!out) {
            return make_error("acl.io", fmt::format("cannot write {}", temporary.string()));
        }
    }
    std::error_code error;
    fs::permissions(temporary, perms, error);
    if (!error) {
        fs::rename(temporary, file, error);
    }
    if (error) {
        return make_error("acl.io",
                          fmt::format("cannot write {}: {}", file.string(), error.message()));
    }
    return Ok{};
}

/// One password line per account that has a secret; accounts without one are reported.
Result<std::string> password_lines(const config::Settings& settings,
                                   std::vector<std::string>& without_password) {
    std::vector<std::pair<std::string, std::string>> secrets;  // user, password
    if (!settings.broker.password.empty()) {
        secrets.emplace_back(config::gateway_broker_user(settings), settings.broker.password);
    } else {
        without_password.push_back(
            fmt::format("the gateway ('{}': no broker password_env or password_file)",
                        config::gateway_broker_user(settings)));
    }
    const auto add_from_file = [&](const std::string& user, const std::string& file) -> Status {
        auto secret = config::read_secret(file);
        if (!secret) {
            return make_error(secret.error().code,
                              fmt::format("{}: {}", user, secret.error().message));
        }
        secrets.emplace_back(user, std::move(*secret));
        return Ok{};
    };
    for (const auto& party : settings.territory.stakeholders) {
        const auto file = settings.stakeholder_password_files.find(party.id);
        if (file == settings.stakeholder_password_files.end()) {
            without_password.push_back(
                fmt::format("stakeholder '{}' (no password_file)", party.id));
        } else if (auto added = add_from_file(party.id, file->second); !added) {
            return added.error();
        }
    }
    for (const auto& user : settings.broker_users) {
        if (auto added = add_from_file(user.name, user.password_file); !added) {
            return added.error();
        }
    }
    std::string text;
    for (const auto& [user, password] : secrets) {
        auto line = broker_access::password_line(user, password);
        if (!line) {
            return line.error();
        }
        text += *line + "\n";
    }
    return text;
}

int write_acl(const AclOptions& options) {
    auto settings = load_settings_or_report(options.config);
    if (!settings) {
        return kExitConfig;
    }
    std::vector<std::string> without_password;
    auto passwords = password_lines(*settings, without_password);
    if (!passwords) {
        std::fprintf(stderr, "acl: %s\n", passwords.error().message.c_str());
        return kExitProblems;
    }
    const auto accounts = broker_access::account_rights(*settings);
    const fs::path out(options.out);
    std::error_code error;
    fs::create_directories(out, error);
    if (error) {
        std::fprintf(stderr, "acl: cannot create %s: %s\n", out.c_str(), error.message().c_str());
        return kExitProblems;
    }
    const std::string source = fs::path(options.config).filename().string();
    for (const auto& [file, text, perms] :
         {std::tuple{out / "acl", broker_access::render_acl(accounts, source),
                     fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                         fs::perms::others_read},
          // Hashes only, yet no one else needs to read them.
          std::tuple{out / "passwd", *passwords,
                     fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read}}) {
        if (auto written = write_file(file, text, perms); !written) {
            std::fprintf(stderr, "acl: %s\n", written.error().message.c_str());
            return kExitProblems;
        }
    }
    for (const auto& warning : broker_access::rights_warnings(*settings)) {
        std::fprintf(stderr, "warning: %s\n", warning.c_str());
    }
    for (const auto& account : without_password) {
        std::fprintf(stderr, "warning: no broker account for %s: it cannot connect\n",
                     account.c_str());
    }
    std::printf("wrote %s (%zu accounts) and %s (%zu passwords)\n", (out / "acl").c_str(),
                accounts.size(), (out / "passwd").c_str(),
                accounts.size() - without_password.size());
    return kExitOk;
}

}  // namespace

void add_acl_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<AclOptions>();
    auto* command = app.add_subcommand(
        "acl", "Write the broker's ACL and password files (Mosquitto) from the configuration");
    command->add_option("-c,--config", options->config, "passerelle.yaml")
        ->required()
        ->check(CLI::ExistingFile);
    command->add_option("--out", options->out, "Folder to write 'acl' and 'passwd' in")->required();
    command->callback([options, &exit_code] { exit_code = write_acl(*options); });
}

}  // namespace passerelle::cli
