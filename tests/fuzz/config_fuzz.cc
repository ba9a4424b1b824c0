// SPDX-License-Identifier: Apache-2.0
// libFuzzer entry: arbitrary text as the configuration (first byte even) or as its entity registry
// (odd), the other file fixed; loading must give settings or diagnostics, never a crash, and every
// diagnostic names a file. Reaches the loaders of stakeholders, limits, storage, connectors
// (JSON mappings included), meters, LoRaWAN devices and their field mappings.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <stdlib.h>

#include "gateway/config/settings_loader.h"

namespace {

namespace fs = std::filesystem;

void require(bool ok) {
    if (!ok) {
        std::abort();
    }
}

constexpr const char* kConfig = R"(instance: fuzz
stakeholders:
  - {id: hs, name: Habitat, kind: bailleur}
  - {id: ccas, name: CCAS, kind: ccas}
entities: entities.yaml
rules: rules/*.yaml
connectors:
  json:
    - topics: [capteurs/+/mesure]
      entity: {topic_segment: 1}
      values: [{quantity: temperature, pointer: /t, unit: Cel}]
)";

constexpr const char* kEntities = R"(entities:
  - {id: d-1, type: dwelling, provider: hs, attributes: {vulnerable: true}}
  - {id: d-2, type: dwelling, provider: hs, lorawan: {dev_eui: a84041000181c061, codec: elsys}}
)";

const fs::path& scratch() {
    static const fs::path dir = [] {
        std::string pattern = (fs::temp_directory_path() / "config-fuzz.XXXXXX").string();
        require(::mkdtemp(pattern.data()) != nullptr);
        fs::create_directories(fs::path(pattern) / "rules");
        std::ofstream(fs::path(pattern) / "rules" / "r.yaml") << "version: 1\nrules: []\n";
        return fs::path(pattern);
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const bool registry = (data[0] & 1) != 0;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    const fs::path& dir = scratch();
    std::ofstream(dir / "passerelle.yaml", std::ios::trunc) << (registry ? kConfig : text);
    std::ofstream(dir / "entities.yaml", std::ios::trunc) << (registry ? text : kEntities);
    passerelle::Diagnostics diagnostics;
    const auto settings =
        passerelle::config::load_settings((dir / "passerelle.yaml").string(), diagnostics);
    require(settings.has_value() || diagnostics.has_errors());
    for (const auto& diagnostic : diagnostics.all()) {
        require(!diagnostic.message.empty() && !diagnostic.span.file.empty());
    }
    return 0;
}
