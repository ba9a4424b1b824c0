// SPDX-License-Identifier: Apache-2.0
// Which registry entity each LoRaWAN device's uplinks belong to, and how its payload is read.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gateway/core/diagnostic.h"
#include "gateway/core/field_mapping.h"

namespace passerelle {

/// One device declared with `lorawan: {dev_eui: a84041000181c061, codec: elsys}`.
struct LorawanBinding {
    std::string dev_eui;  // 16 hex digits, lower case
    // The payload codec's name (lpp, elsys, milesight, dragino-lht65), or network-server.
    std::string codec;
    std::string entity;
    SourceSpan span;
    /// For codec network-server: the readings taken from the server's decoded object.
    std::vector<FieldSpec> fields;
};

class LorawanDirectory {
public:
    /// false when the device EUI is already declared.
    bool add(LorawanBinding device);
    /// The device of `dev_eui` (any case), or nullptr.
    const LorawanBinding* find(std::string_view dev_eui) const;
    const std::vector<LorawanBinding>& all() const { return devices_; }
    bool empty() const { return devices_.empty(); }

private:
    std::vector<LorawanBinding> devices_;
    std::unordered_map<std::string, std::size_t> by_eui_;
};

}  // namespace passerelle
