// SPDX-License-Identifier: Apache-2.0
#include "connectors/lorawan/device_adapter.h"

#include <iterator>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "connectors/json/field_extraction.h"
#include "connectors/lorawan/codecs/codec_registry.h"
#include "connectors/lorawan/envelopes/envelope.h"
#include "connectors/lorawan/envelopes/radio_readings.h"

namespace passerelle::connectors::lorawan {

namespace {

// The device's `fields` read from the server's decoded object. The whole uplink is refused on a
// bad field, as on a payload a codec cannot read: an uplink is one measurement.
Status add_decoded_fields(const LorawanBinding& device, const Uplink& uplink,
                          DeviceReport& report) {
    if (!uplink.decoded) {
        if (uplink.payload.empty()) {
            return Ok{};  // MAC commands only: the radio readings alone
        }
        return make_error("lorawan.no-decoded-object",
                          fmt::format("device {} ({}): codec network-server reads the server's "
                                      "decoded object (ChirpStack 'object', The Things Stack "
                                      "'decoded_payload'), and this uplink has none: is the "
                                      "device's payload decoder set on the server?",
                                      report.id, report.entity));
    }
    for (const FieldSpec& field : device.fields) {
        auto value = json::extract_value(field, *uplink.decoded, {});
        if (!value) {
            return make_error(value.error().code,
                              fmt::format("device {} ({}): decoded object: {}", report.id,
                                          report.entity, value.error().message));
        }
        if (*value) {
            report.readings.push_back(
                Reading{report.provider, report.entity, std::move((*value)->quantity),
                        std::move((*value)->value), std::move((*value)->unit), report.time});
        }
    }
    return Ok{};
}

}  // namespace

DeviceAdapter::DeviceAdapter(const Territory& territory) : territory_(territory) {}

Result<std::optional<DeviceReport>> DeviceAdapter::adapt(std::string_view topic,
                                                         std::string_view payload,
                                                         Timestamp received) {
    auto uplink = parse_uplink(topic, payload);
    if (!uplink) {
        return uplink.error();
    }
    const LorawanBinding* device = territory_.lorawan.find(uplink->dev_eui);
    if (device == nullptr) {
        const std::string who = uplink->dev_eui.empty() ? uplink->device_name : uplink->dev_eui;
        return make_error("device.unknown",
                          fmt::format("unknown LoRaWAN device {} (application '{}'): declare it in "
                                      "the entity registry with lorawan: {{dev_eui: ..., codec: "
                                      "...}} on its entity",
                                      who,
                                      uplink->application_name.empty() ? uplink->application_id
                                                                       : uplink->application_name));
    }
    if (!deduplicator_.accept(*uplink, received)) {
        ++duplicates_;
        return std::optional<DeviceReport>();
    }
    const Entity* entity = territory_.entities.find(device->entity);
    DeviceReport report;
    report.provider = entity->provider;
    report.entity = entity->id;
    report.protocol = std::string(network_server_name(uplink->network_server));
    report.id = uplink->dev_eui;
    report.rssi_dbm = uplink->best_rssi;
    report.driver = device->codec;
    report.source = std::string(topic);
    report.time = uplink->received.value_or(received);
    if (device->codec == kNetworkServerCodec) {
        auto status = add_decoded_fields(*device, *uplink, report);
        if (!status) {
            return status.error();
        }
    } else if (!uplink->payload.empty()) {
        const PayloadCodec* codec = find_codec(device->codec);
        if (codec == nullptr) {  // the loader accepts only registered codecs
            return make_error("device.unknown-codec",
                              fmt::format("device {}: no codec '{}'", report.id, device->codec));
        }
        std::optional<int> f_port;
        if (uplink->f_port) {
            f_port = *uplink->f_port;
        }
        auto decoded = decode_payload(*codec, PayloadInput{uplink->payload, f_port});
        if (!decoded) {
            Error error = decoded.error();
            error.message =
                fmt::format("device {} ({}): {}", report.id, report.entity, error.message);
            return error;
        }
        report.readings.reserve(decoded->readings.size() + 4);  // and the radio's, at most 4
        for (const CodecReading& reading : decoded->readings) {
            report.readings.push_back(Reading{report.provider, report.entity, reading.quantity,
                                              reading.value, reading.unit, report.time});
        }
    }
    std::vector<Reading> radio =
        radio_readings(*uplink, report.provider, report.entity, report.time);
    if (report.readings.empty()) {
        report.readings = std::move(radio);
    } else {
        std::move(radio.begin(), radio.end(), std::back_inserter(report.readings));
    }
    return std::optional<DeviceReport>(std::move(report));
}

}  // namespace passerelle::connectors::lorawan
