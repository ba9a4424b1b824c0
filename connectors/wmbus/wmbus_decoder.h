// SPDX-License-Identifier: Apache-2.0
// Wireless M-Bus / OMS telegram decoder: one radio telegram to the meter's identity and records.
//
// Supported (EN 13757-4 link layer, EN 13757-3 application layer, EN 13757-7 / OMS security):
// - frames with format A CRC blocks (verified and removed) or already without CRCs, told apart by
//   the L field and the length; format B when the caller says so;
// - ELL I (CI 0x8C) and ELL II (CI 0x8D) with AES-128-CTR and its payload CRC (Kamstrup);
// - TPL headers CI 0x7A (short), 0x72 (long: the meter behind a radio module has its own
//   identity), 0x78 (none), security mode 0 and mode 5 (AES-128-CBC) with the 2F 2F check;
// - compact frames CI 0x79 once a full frame of the same layout was decoded (CompactFormats);
// - the records, decoded and named by the wired M-Bus application layer (see mbus_decoder.h).
// Not supported: security modes 7 and 13 (OMS v4), the AFL (CI 0x90), ELL III/IV (0x8E/0x8F),
// compact frames with a header (0x73/0x7B), manufacturer CIs (0xA0-0xB7: Techem, Diehl IZAR...).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "connectors/mbus/application_layer.h"
#include "connectors/mbus/transport_header.h"
#include "connectors/wmbus/aes.h"
#include "connectors/wmbus/compact_frame.h"
#include "connectors/wmbus/ell.h"
#include "connectors/wmbus/link_layer.h"
#include "gateway/core/reading.h"
#include "gateway/core/result.h"
#include "gateway/core/time.h"

namespace passerelle::connectors::wmbus {

/// The key of meter `id` made by `manufacturer` (three letters), when one is known.
using KeyLookup =
    std::function<std::optional<AesKey>(std::string_view id, std::string_view manufacturer)>;

struct DecodeOptions {
    std::optional<AesKey> key;  // the meter's key, from the entity registry
    /// Without `key`: asked for the key of the meter whose data is encrypted, once its identity
    /// is read (the long transport header's, for a meter behind a radio module).
    KeyLookup key_for;
    FrameFormat format = FrameFormat::Detect;
    /// Accept telegrams whose header says "encrypted" but whose content is already in clear, as
    /// wmbusmeters logs them after decryption; only when the plaintext check (2F 2F, ELL payload
    /// CRC) passes and no key is given.
    bool accept_plaintext = false;
    /// Learns layouts from full frames and expands compact ones; none: compact frames are refused.
    CompactFormats* compact_formats = nullptr;
};

enum class Encryption : std::uint8_t { None, EllAesCtr, AesCbcMode5 };

/// Who made the records readable: nobody had to (None), our key, or the source that logged them.
enum class Plaintext : std::uint8_t { NotEncrypted, DecryptedWithKey, ReceivedDecrypted };

struct WirelessTelegram {
    LinkHeader link;
    CrcLayout layout = CrcLayout::Stripped;
    std::optional<ExtendedLinkLayer> ell;
    std::uint8_t ci = 0;                             // the transport layer CI (after any ELL)
    mbus::TransportHeader tpl;                       // kind None for CI 0x78 and 0x79
    std::optional<std::uint16_t> compact_signature;  // CI 0x79
    Encryption encryption = Encryption::None;
    Plaintext plaintext = Plaintext::NotEncrypted;
    std::vector<mbus::DataRecord> records;

    /// The meter's identity: the long TPL header's when present, else the link header's.
    const std::string& id() const;
};

/// Decodes one telegram (with or without its link CRCs). Byte positions in messages count in the
/// telegram without CRCs. Errors are those of parse_link_frame, parse_ell, decrypt_mode5,
/// decrypt_ell_ctr, CompactFormats::expand, mbus::parse_transport_header and mbus::parse_records,
/// plus:
/// - wmbus.no-key: "encrypted (mode 5), no key for meter 12345678", "encrypted (ELL AES-CTR), no
///   key for meter 76348799"
/// - wmbus.unsupported-security: "security mode 7 is not supported (meter 12345678)", "ELL
///   encryption 2 is not supported (meter ...)"
/// - wmbus.unsupported-ci: "unsupported CI field 0x90 (AFL, authentication and fragmentation) at
///   byte 10"; manufacturer CIs "... (manufacturer specific) ..."
Result<WirelessTelegram> decode_wireless_telegram(std::span<const std::uint8_t> bytes,
                                                  const DecodeOptions& options = {});

/// One reading per record that has a value, named as the wired decoder names them.
std::vector<Reading> to_readings(const WirelessTelegram& telegram, std::string_view provider,
                                 std::string_view entity, Timestamp time);

/// The `passerelle decode --codec wmbus` output:
/// {"codec":"wmbus","id":"76348799","manufacturer":"KAM","version":27,"medium":"cold_water",
///  "frame":"crc_stripped","link":{"c":68,"id":..,"manufacturer":..,"version":..,"medium":..},
///  "ell":{"ci":141,"cc":32,"access_number":145,"session_number":..} or null,"ci":120,
///  "access_number":..,"status":..,"configuration":..,"encryption":"ell_aes_ctr",
///  "plaintext":"decrypted_with_key","records":[...]}. No key material is ever part of it.
nlohmann::json to_json(const WirelessTelegram& telegram);

}  // namespace passerelle::connectors::wmbus
