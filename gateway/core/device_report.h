// SPDX-License-Identifier: Apache-2.0
// What a connector learnt from one message of one device: the device's identity and its readings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gateway/core/reading.h"
#include "gateway/core/time.h"

namespace passerelle {

/// The provenance of a set of readings: which device sent them, through which protocol. Published
/// retained on device/<provider>/<entity>, so that each party sees its own devices' last word.
struct DeviceReport {
    std::string provider;      // the entity's owner
    std::string entity;        // the registry entity the device is bound to
    std::string protocol;      // "wmbus", "mbus", "wmbusmeters", "chirpstack", "ttn", "modbus",
                               // "json"
    std::string id;            // the device's own identification ("76348799")
    std::string manufacturer;  // three letters for meters ("KAM"); empty when unknown
    std::string medium;        // "water", "heat"...; empty when unknown
    std::optional<int> version;
    std::optional<int> access_number;  // counts telegrams: a gap means lost ones
    std::optional<double> rssi_dbm;    // the receiver's signal strength, when it says
    std::string driver;                // the decoder that named the readings, when not ours
    std::string source;                // where it came from: an MQTT topic, host:port/address
    Timestamp time;                    // the readings' time
    std::vector<Reading> readings;
};

/// device/<provider>/<entity>.
std::string device_topic(const DeviceReport& report);

/// {"entity","provider","protocol","id","manufacturer","medium","version","access_number",
///  "rssi_dbm","driver","source","ts","quantities":[...]}, absent fields left out.
std::string encode_device_report(const DeviceReport& report);

}  // namespace passerelle
