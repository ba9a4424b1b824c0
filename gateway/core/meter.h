// SPDX-License-Identifier: Apache-2.0
// Which registry entity each meter's telegrams belong to, and the key that opens them.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gateway/core/diagnostic.h"

namespace passerelle {

/// One meter declared in the registry with `meter: {id: "76348799", manufacturer: KAM, key_env:
/// …}`.
struct MeterBinding {
    std::string id;            // the identification number as telegrams print it: 8 digits
    std::string manufacturer;  // three letters ("KAM"); empty when any manufacturer's id matches
    std::string entity;        // the registry entity its readings belong to
    /// The AES-128 key in hex, read from `key`, `key_env` or `key_file`; empty for a meter that
    /// sends in clear. Never printed: no log line, error or JSON output carries it.
    std::string key_hex;
    SourceSpan span;  // where the meter is declared
};

/// Meters by identification number. Two manufacturers may issue the same number, so a binding
/// may name its manufacturer; a lookup prefers the binding of the same manufacturer.
class MeterDirectory {
public:
    /// false when a meter with the same id and manufacturer (or the same id, one of them saying
    /// any manufacturer) is already declared.
    bool add(MeterBinding meter);
    /// The meter `id` of `manufacturer` (three letters), or nullptr. With `manufacturer` empty
    /// (a source that does not say, such as wmbusmeters' JSON), the one meter of that id.
    const MeterBinding* find(std::string_view id, std::string_view manufacturer) const;
    const std::vector<MeterBinding>& all() const { return meters_; }
    bool empty() const { return meters_.empty(); }

private:
    std::vector<MeterBinding> meters_;
    std::unordered_multimap<std::string, std::size_t> by_id_;
};

}  // namespace passerelle
