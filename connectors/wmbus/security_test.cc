// SPDX-License-Identifier: Apache-2.0
#include "connectors/wmbus/security.h"

#include <catch2/catch.hpp>

#include "connectors/wmbus/test_bytes.h"

namespace passerelle::connectors::wmbus {
namespace {

AesKey key_of(std::string_view hex) {
    auto key = parse_aes_key(hex);
    REQUIRE(key);
    return *key;
}

// A Sontex Supercom 587, mode 5 with 10 encrypted blocks, and its key, from wmbusmeters'
// simulations/simulation_aes.msg and tests/test_aes.sh: its link address, and below the data
// after its short TPL header (ACC 0x44, configuration word 0x25A0).
constexpr std::array<std::uint8_t, 8> kSontexAddress{0xEE, 0x4D, 0x77, 0x77,
                                                     0x77, 0x77, 0x3C, 0x07};

TEST_CASE("mode 5 IV: address then the access number 8 times") {
    const AesBlock iv = mode5_iv(kSontexAddress, 0x44);
    const AesBlock expected{0xEE, 0x4D, 0x77, 0x77, 0x77, 0x77, 0x3C, 0x07,
                            0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44};
    CHECK(iv == expected);
    CHECK(security_mode(0x25A0) == 5);
    CHECK(security_mode(0x0710) == 7);
    CHECK(security_mode(0x0000) == 0);
}

TEST_CASE("mode 5: the right key gives 2F 2F, a wrong one an error and no data") {
    const auto cipher = bytes_of(
        "E78F4A01F9DCA029EDA03BA452686E8FA917507B29E5358B52D77C111EA4C411"
        "40290523F3F6B9F9261705E041C0CA41305004605F42D6C9464E5A04EEE22751"
        "0BD0DC0983C665C3A5E4739C2082975476AC637BCDD39766AEF030502B6A7697"
        "BE9E1C49AF535C15470FCF8ADA36CAB9D0B2A1A8690F8DDCF70859F18B3414D8"
        "315B311A0AFA57325531587CB7E9CC110E807F24C190D7E635BEDAF4CAE8A161");
    const AesBlock iv = mode5_iv(kSontexAddress, 0x44);
    const auto plain =
        decrypt_mode5(key_of("5065747220486F6C79737A6577736B69"), iv, 0x25A0, cipher, "77777777");
    REQUIRE(plain);
    CHECK(plain->size() == cipher.size());
    CHECK(starts_with_fillers(*plain));
    const auto wrong =
        decrypt_mode5(key_of("00000000000000000000000000000000"), iv, 0x25A0, cipher, "77777777");
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == "wmbus.wrong-key");
    CHECK(wrong.error().message ==
          "wrong or missing key for meter 77777777: decrypted data does not start with 2F 2F");
    const auto short_data = decrypt_mode5(key_of("5065747220486F6C79737A6577736B69"), iv, 0x25A0,
                                          std::span(cipher).first(64), "77777777");
    REQUIRE_FALSE(short_data);
    CHECK(short_data.error().message ==
          "configuration word 0x25A0 announces 10 encrypted blocks (160 bytes), 64 bytes follow "
          "the header");
}

TEST_CASE("ELL AES-CTR: payload CRC decides between right and wrong key") {
    // Multical 21 from wmbusmeters simulation_aes.msg, key from tests/test_aes.sh.
    const std::array<std::uint8_t, 8> address{0x2D, 0x2C, 0x99, 0x87, 0x34, 0x76, 0x1B, 0x16};
    ExtendedLinkLayer ell;
    ell.ci = kCiEllSession;
    ell.communication_control = 0x20;
    ell.access_number = 0x91;
    ell.session_number = 0x21AC7CD3U;
    const AesBlock counter = ell_counter_block(address, ell);
    const auto cipher = bytes_of("E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24");
    const auto payload =
        decrypt_ell_ctr(key_of("28F64A24988064A079AA2C807D6102AE"), counter, cipher, "76348799");
    REQUIRE(payload);
    CHECK(*payload == bytes_of("7802FF207100041308190000441308190000615B7F616713"));
    const auto wrong =
        decrypt_ell_ctr(key_of("28F64A24988064A079AA2C807D6102AF"), counter, cipher, "76348799");
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == "wmbus.wrong-key");
    CHECK(wrong.error().message.rfind("wrong or missing key for meter 76348799: payload CRC", 0) ==
          0);
    CHECK_FALSE(check_ell_payload(bytes_of("5770"), "76348799"));
}

}  // namespace
}  // namespace passerelle::connectors::wmbus
