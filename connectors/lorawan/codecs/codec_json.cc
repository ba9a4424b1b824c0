// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/codecs/codec_json.h"

#include <string>
#include <variant>

namespace passerelle::connectors::lorawan {

nlohmann::json senml_pack(const DecodedPayload& payload) {
    nlohmann::json pack = nlohmann::json::array();
    for (const CodecReading& reading : payload.readings) {
        nlohmann::json record{{"n", reading.quantity}};
        if (!reading.unit.empty()) {
            record["u"] = reading.unit;
        }
        if (const auto* number = std::get_if<double>(&reading.value)) {
            record["v"] = *number;
        } else if (const auto* flag = std::get_if<bool>(&reading.value)) {
            record["vb"] = *flag;
        } else {
            record["vs"] = std::get<std::string>(reading.value);
        }
        pack.push_back(std::move(record));
    }
    return pack;
}

nlohmann::json to_json(std::string_view codec, const DecodedPayload& payload) {
    return nlohmann::json{
        {"codec", codec}, {"readings", senml_pack(payload)}, {"notes", payload.notes}};
}

}  // namespace passerelle::connectors::lorawan
