// SPDX-License-Identifier: Apache-2.0
// What the configuration tests share: a scratch folder for files, and diagnostics as text.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <stdlib.h>

#include "gateway/core/diagnostic.h"

namespace passerelle::testing {

class TempDir {
public:
    TempDir() {
        char pattern[] = "/tmp/passerelle-config-test.XXXXXX";
        path_ = ::mkdtemp(pattern);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string write(const std::string& name, const std::string& text) const {
        const std::filesystem::path file = path_ / name;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file) << text;
        return file.string();
    }

private:
    std::filesystem::path path_;
};

inline std::string errors(const Diagnostics& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics.sorted()) {
        out += format_diagnostic(d);
    }
    return out;
}

}  // namespace passerelle::testing
