// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry: arbitrary text as a rules file, loaded and compiled against a small territory;
// it must give rules or diagnostics, never a crash, and every diagnostic names its file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "rules/compiler/rule_compiler.h"
#include "rules/config/rule_loader.h"

namespace {

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

passerelle::Territory make_territory() {
    passerelle::Territory territory;
    territory.stakeholders = {{"ccas", "CCAS", "ccas", {}}, {"hs", "Habitat", "bailleur", {}}};
    territory.entities.add(
        passerelle::Entity{"d-1", "dwelling", "hs", "a", {{"vulnerable", true}}, {}, {}, {}});
    return territory;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const passerelle::Territory territory = make_territory();
    const std::string text(reinterpret_cast<const char*>(data), size);
    passerelle::Diagnostics diagnostics;
    auto file = passerelle::rules::load_rules_text(text, "fuzz.yaml", diagnostics);
    if (file) {
        auto rules = passerelle::rules::compile_rules({*file}, territory, diagnostics);
        require(rules != nullptr || diagnostics.has_errors());
    }
    for (const auto& diagnostic : diagnostics.all()) {
        require(diagnostic.span.file == "fuzz.yaml" && !diagnostic.message.empty());
    }
    return 0;
}
