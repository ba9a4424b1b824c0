// SPDX-License-Identifier: Apache-2.0
// EN 13757-3 variable data records: DIF/DIFE, VIF/VIFE and data, decoded to quantities in SenML
// units.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gateway/core/reading.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::mbus {

/// DIF bits 4-5.
enum class Function : std::uint8_t { Instantaneous, Maximum, Minimum, Error };

/// DIFE chains longer than this are refused (EN 13757-3 allows 10 DIFEs and 10 VIFEs).
inline constexpr std::size_t kMaxExtensions = 10;

struct DataRecord {
    std::size_t offset = 0;     // position of the DIF in the frame
    std::uint64_t storage = 0;  // DIF bit 6, then 4 bits per DIFE
    std::uint32_t tariff = 0;   // 2 bits per DIFE
    std::uint32_t subunit = 0;  // 1 bit per DIFE
    Function function = Function::Instantaneous;
    std::string quantity;        // "volume", "volume_backward", "manufacturer_specific", "vif_6f"
    std::string unit;            // SenML symbol; empty when dimensionless, textual or unknown
    std::optional<Value> value;  // a double after scaling, or text (dates, identifiers, raw hex)
    std::string header_hex;      // DIF..VIFE bytes as sent, for provenance: "0C13", "8C1006"
    std::string note;            // why the value is missing or not a measurement; empty if none
    std::string error;           // the error a VIFE reports (E00x xxxx codes); empty if none
    bool more_records_follow = false;  // DIF 0x1F
};

/// Decodes the records of `data` (the bytes after the transport header); `base_offset` is the
/// position of data[0] in the frame, so positions in messages count from the frame's first byte.
/// Idle fillers (0x2F) are skipped. DIF 0x0F/0x1F keep the rest of the data as one record of raw
/// hex. Unknown VIF/VIFE codes give a record with a note ("unknown VIF 0x6F"), never a guessed
/// value. Errors (code mbus.bad-record):
/// - "truncated record at byte N: <what is missing>"
/// - "too many DIFEs in record at byte N (more than 10)", same for VIFEs
/// - "reserved DIF 0x.. at byte N", "reserved LVAR 0x.. in record at byte N"
Result<std::vector<DataRecord>> parse_records(std::span<const std::uint8_t> data,
                                              std::size_t base_offset);

}  // namespace passerelle::connectors::mbus
