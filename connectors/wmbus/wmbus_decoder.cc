// SPDX-License-Identifier: Apache-2.0
// The layers put together: link frame, ELL, transport header, decryption, compact frames, records.
#include "connectors/wmbus/wmbus_decoder.h"

#include <utility>

#include <fmt/format.h>

#include "connectors/mbus/mbus_decoder.h"
#include "connectors/wmbus/security.h"

namespace passerelle::connectors::wmbus {
namespace {

constexpr std::size_t kCiOffset = 10;  // after L C M(2) A(6)
constexpr std::uint8_t kCiLongHeader = 0x72;
constexpr std::uint8_t kCiAfl = 0x90;
constexpr unsigned kEllAesCtr = 1;
constexpr unsigned kModeNone = 0;
constexpr unsigned kModeAesCbc = 5;

using Bytes = std::vector<std::uint8_t>;

// The application data after the link layer and any ELL, in clear, with its offset in the
// telegram.
struct Payload {
    Bytes bytes;  // from the transport layer CI
    std::size_t offset = 0;
};

Error no_key(std::string_view scheme, std::string_view meter) {
    return make_error("wmbus.no-key",
                      fmt::format("encrypted ({}), no key for meter {}", scheme, meter));
}

std::string_view unsupported_tpl_ci(std::uint8_t ci) {
    if (ci == kCiAfl) {
        return "AFL, authentication and fragmentation";
    }
    if (ci == 0x73 || ci == 0x7B) {
        return "compact frame with a transport header";
    }
    if (ci >= 0xA0 && ci <= 0xB7) {
        return "manufacturer specific";
    }
    return {};
}

std::optional<AesKey> key_of(const DecodeOptions& options, std::string_view id,
                             std::string_view manufacturer) {
    if (options.key || !options.key_for) {
        return options.key;
    }
    return options.key_for(id, manufacturer);
}

Result<Payload> open_ell(const LinkFrame& link, const ExtendedLinkLayer& ell,
                         const DecodeOptions& options, WirelessTelegram& telegram) {
    const std::size_t after = kCiOffset + 1 + ell.size;
    const std::span<const std::uint8_t> rest = std::span(link.telegram).subspan(after);
    if (ell.ci != kCiEllSession) {
        return Payload{Bytes(rest.begin(), rest.end()), after};
    }
    const std::string& meter = link.header.id;
    const unsigned encryption = ell.encryption();
    Result<Bytes> payload = Bytes{};
    if (encryption == 0) {
        payload = check_ell_payload(rest, meter);
    } else if (encryption != kEllAesCtr) {
        return make_error(
            "wmbus.unsupported-security",
            fmt::format("ELL encryption {} is not supported (meter {})", encryption, meter));
    } else {
        telegram.encryption = Encryption::EllAesCtr;
        if (const auto key = key_of(options, meter, link.header.manufacturer)) {
            payload = decrypt_ell_ctr(*key, ell_counter_block(link.header.address, ell), rest,
                                      meter);
            telegram.plaintext = Plaintext::DecryptedWithKey;
        } else if (options.accept_plaintext && check_ell_payload(rest, meter)) {
            payload = check_ell_payload(rest, meter);
            telegram.plaintext = Plaintext::ReceivedDecrypted;
        } else {
            return no_key("ELL AES-CTR", meter);
        }
    }
    if (!payload) {
        return payload.error();
    }
    return Payload{std::move(*payload), after + 2};
}

// M(2) ID(4) version type of a long TPL header, which sends ID(4) M(2) version type.
std::array<std::uint8_t, 8> long_header_address(std::span<const std::uint8_t> header) {
    return {header[4], header[5], header[0], header[1], header[2], header[3], header[6], header[7]};
}

Result<Bytes> open_tpl(const WirelessTelegram& telegram, std::span<const std::uint8_t> header,
                       std::span<const std::uint8_t> data, const DecodeOptions& options,
                       Plaintext& plaintext) {
    const unsigned mode = telegram.tpl.kind == mbus::HeaderKind::None
                              ? kModeNone
                              : security_mode(telegram.tpl.signature);
    if (mode == kModeNone) {
        return Bytes(data.begin(), data.end());
    }
    if (mode != kModeAesCbc) {
        return make_error(
            "wmbus.unsupported-security",
            fmt::format("security mode {} is not supported (meter {})", mode, telegram.id()));
    }
    const std::string& manufacturer = telegram.tpl.kind == mbus::HeaderKind::Long
                                          ? telegram.tpl.manufacturer
                                          : telegram.link.manufacturer;
    if (const auto key = key_of(options, telegram.id(), manufacturer)) {
        const auto address =
            telegram.ci == kCiLongHeader ? long_header_address(header) : telegram.link.address;
        plaintext = Plaintext::DecryptedWithKey;
        return decrypt_mode5(*key, mode5_iv(address, telegram.tpl.access_number),
                             telegram.tpl.signature, data, telegram.id());
    }
    if (options.accept_plaintext && starts_with_fillers(data)) {
        plaintext = Plaintext::ReceivedDecrypted;
        return Bytes(data.begin(), data.end());
    }
    return no_key("mode 5", telegram.id());
}

Result<std::vector<mbus::DataRecord>> decode_compact(const Payload& payload,
                                                     const DecodeOptions& options,
                                                     WirelessTelegram& telegram) {
    const auto data = std::span(payload.bytes).subspan(1);
    if (data.size() >= 2) {
        telegram.compact_signature = static_cast<std::uint16_t>(data[0] | (data[1] << 8));
    }
    static const CompactFormats kNoneKnown;
    const CompactFormats& formats = options.compact_formats ? *options.compact_formats : kNoneKnown;
    auto full = formats.expand(data);
    if (!full) {
        return full.error();
    }
    // Positions in a rebuilt frame do not exist in the telegram: count from the compact data.
    return mbus::parse_records(*full, payload.offset + 5);
}

std::string_view layout_name(CrcLayout layout) {
    switch (layout) {
        case CrcLayout::Stripped:
            return "crc_stripped";
        case CrcLayout::FormatA:
            return "format_a";
        case CrcLayout::FormatB:
            return "format_b";
    }
    return "unknown";
}

std::string_view encryption_name(Encryption encryption) {
    switch (encryption) {
        case Encryption::None:
            return "none";
        case Encryption::EllAesCtr:
            return "ell_aes_ctr";
        case Encryption::AesCbcMode5:
            return "aes_cbc_mode5";
    }
    return "unknown";
}

std::string_view plaintext_name(Plaintext plaintext) {
    switch (plaintext) {
        case Plaintext::NotEncrypted:
            return "not_encrypted";
        case Plaintext::DecryptedWithKey:
            return "decrypted_with_key";
        case Plaintext::ReceivedDecrypted:
            return "received_decrypted";
    }
    return "unknown";
}

}  // namespace

const std::string& WirelessTelegram::id() const {
    return tpl.kind == mbus::HeaderKind::Long ? tpl.id : link.id;
}

Result<WirelessTelegram> decode_wireless_telegram(std::span<const std::uint8_t> bytes,
                                                  const DecodeOptions& options) {
    auto link = parse_link_frame(bytes, options.format);
    if (!link) {
        return link.error();
    }
    WirelessTelegram telegram;
    telegram.link = link->header;
    telegram.layout = link->layout;
    const std::span<const std::uint8_t> frame(link->telegram);
    Result<Payload> payload = Payload{Bytes(frame.begin() + kCiOffset, frame.end()), kCiOffset};
    if (const std::uint8_t link_ci = frame[kCiOffset]; is_ell_ci(link_ci)) {
        auto ell = parse_ell(link_ci, frame.subspan(kCiOffset + 1), kCiOffset + 1);
        if (!ell) {
            return ell.error();
        }
        telegram.ell = *ell;
        payload = open_ell(*link, *ell, options, telegram);
    }
    if (!payload) {
        return payload.error();
    }
    if (payload->bytes.empty()) {
        return make_error("wmbus.truncated",
                          fmt::format("no CI field after the ELL at byte {}", payload->offset));
    }
    telegram.ci = payload->bytes[0];
    const std::size_t header_at = payload->offset + 1;
    if (telegram.ci == kCiCompactFrame) {
        auto records = decode_compact(*payload, options, telegram);
        if (!records) {
            return records.error();
        }
        telegram.records = std::move(*records);
        return telegram;
    }
    if (const std::string_view what = unsupported_tpl_ci(telegram.ci); !what.empty()) {
        return make_error("wmbus.unsupported-ci",
                          fmt::format("unsupported CI field 0x{:02X} ({}) at byte {}", telegram.ci,
                                      what, payload->offset));
    }
    const auto after_ci = std::span(payload->bytes).subspan(1);
    auto header = mbus::parse_transport_header(telegram.ci, after_ci, header_at);
    if (!header) {
        return header.error();
    }
    telegram.tpl = std::move(*header);
    if (telegram.tpl.kind != mbus::HeaderKind::None &&
        security_mode(telegram.tpl.signature) == kModeAesCbc) {
        telegram.encryption = Encryption::AesCbcMode5;
    }
    Plaintext tpl_plaintext = telegram.plaintext;
    auto data =
        open_tpl(telegram, after_ci, after_ci.subspan(telegram.tpl.size), options, tpl_plaintext);
    if (!data) {
        return data.error();
    }
    telegram.plaintext = tpl_plaintext;
    auto records = mbus::parse_records(*data, header_at + telegram.tpl.size);
    if (!records) {
        return records.error();
    }
    telegram.records = std::move(*records);
    if (options.compact_formats != nullptr) {
        options.compact_formats->learn(telegram.records);
    }
    return telegram;
}

std::vector<Reading> to_readings(const WirelessTelegram& telegram, std::string_view provider,
                                 std::string_view entity, Timestamp time) {
    return mbus::to_readings(telegram.records, provider, entity, time);
}

nlohmann::json to_json(const WirelessTelegram& telegram) {
    const bool long_header = telegram.tpl.kind == mbus::HeaderKind::Long;
    const bool any_header = telegram.tpl.kind != mbus::HeaderKind::None;
    const LinkHeader& link = telegram.link;
    nlohmann::json out = nlohmann::json::object();
    out["codec"] = "wmbus";
    out["id"] = telegram.id();
    out["manufacturer"] = long_header ? telegram.tpl.manufacturer : link.manufacturer;
    out["version"] = long_header ? telegram.tpl.version : link.version;
    out["medium"] =
        std::string(mbus::medium_name(long_header ? telegram.tpl.device_type : link.device_type));
    out["frame"] = std::string(layout_name(telegram.layout));
    out["link"] = {{"c", link.control},
                   {"id", link.id},
                   {"manufacturer", link.manufacturer},
                   {"version", link.version},
                   {"medium", std::string(mbus::medium_name(link.device_type))}};
    if (telegram.ell) {
        const ExtendedLinkLayer& ell = *telegram.ell;
        out["ell"] = {{"ci", ell.ci},
                      {"cc", ell.communication_control},
                      {"access_number", ell.access_number}};
        out["ell"]["session_number"] =
            ell.session_number ? nlohmann::json(*ell.session_number) : nlohmann::json(nullptr);
    } else {
        out["ell"] = nullptr;
    }
    out["ci"] = telegram.ci;
    out["access_number"] =
        any_header ? nlohmann::json(telegram.tpl.access_number) : nlohmann::json(nullptr);
    out["status"] = any_header ? nlohmann::json(telegram.tpl.status) : nlohmann::json(nullptr);
    out["configuration"] =
        any_header ? nlohmann::json(telegram.tpl.signature) : nlohmann::json(nullptr);
    if (telegram.compact_signature) {
        out["compact_signature"] = fmt::format("{:04X}", *telegram.compact_signature);
    }
    out["encryption"] = std::string(encryption_name(telegram.encryption));
    out["plaintext"] = std::string(plaintext_name(telegram.plaintext));
    out["records"] = mbus::records_to_json(telegram.records);
    return out;
}

}  // namespace passerelle::connectors::wmbus
