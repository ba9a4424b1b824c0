// SPDX-License-Identifier: Apache-2.0
// The only file that calls OpenSSL: one EVP context per thread, reused by every call.
#include "connectors/wmbus/aes.h"

#include <algorithm>
#include <memory>

#include <fmt/format.h>
#include <openssl/evp.h>

#include "connectors/mbus/mbus_decoder.h"
#include "gateway/core/assert.h"

namespace passerelle::connectors::wmbus {
namespace {

struct ContextDeleter {
    void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};

struct CipherDeleter {
    void operator()(EVP_CIPHER* cipher) const { EVP_CIPHER_free(cipher); }
};

using Cipher = std::unique_ptr<EVP_CIPHER, CipherDeleter>;

// Ciphers are fetched once by their callers: EVP_aes_128_cbc() and its kin make OpenSSL 3 look
// the implementation up again on every initialisation.
const EVP_CIPHER* fetched(const Cipher& cipher) {
    PASSERELLE_ASSERT(cipher != nullptr, "OpenSSL has no AES-128 (default provider missing)");
    return cipher.get();
}

// `encrypt` is 1 to encrypt, 0 to decrypt (EVP_CipherInit_ex's convention).
std::vector<std::uint8_t> run_cipher(const EVP_CIPHER* cipher, const AesKey& key,
                                     const AesBlock& iv, std::span<const std::uint8_t> data,
                                     int encrypt = 0) {
    // One context per thread, initialised again for each telegram: creating one per call cost
    // more than decrypting a telegram (meter_bench).
    thread_local const std::unique_ptr<EVP_CIPHER_CTX, ContextDeleter> context(
        EVP_CIPHER_CTX_new());
    PASSERELLE_ASSERT(context != nullptr, "EVP_CIPHER_CTX_new failed (out of memory)");
    std::vector<std::uint8_t> out(data.size() + 16);
    int written = 0;
    int final_written = 0;
    // With a valid AES-128 cipher, key and IV, and whole blocks for CBC, these calls cannot fail.
    bool ok = EVP_CipherInit_ex(context.get(), cipher, nullptr, key.bytes.data(), iv.data(),
                                encrypt) == 1;
    ok = ok && EVP_CIPHER_CTX_set_padding(context.get(), 0) == 1;
    ok = ok && EVP_CipherUpdate(context.get(), out.data(), &written, data.data(),
                                static_cast<int>(data.size())) == 1;
    ok = ok && EVP_CipherFinal_ex(context.get(), out.data() + written, &final_written) == 1;
    PASSERELLE_ASSERT(ok, "AES failed on well-formed input");
    out.resize(static_cast<std::size_t>(written + final_written));
    return out;
}

}  // namespace

Result<AesKey> parse_aes_key(std::string_view hex) {
    // The hex parser's own errors quote the offending character: replace them, the text is secret.
    auto bytes = mbus::parse_hex(hex);
    if (!bytes) {
        return make_error("wmbus.bad-key", "a key has only hex digits");
    }
    AesKey key;
    if (bytes->size() != key.bytes.size()) {
        return make_error("wmbus.bad-key",
                          fmt::format("a key has 16 bytes (32 hex digits), got {}", bytes->size()));
    }
    std::copy(bytes->begin(), bytes->end(), key.bytes.begin());
    return key;
}

std::vector<std::uint8_t> aes128_cbc_decrypt(const AesKey& key, const AesBlock& iv,
                                             std::span<const std::uint8_t> data) {
    PASSERELLE_ASSERT(data.size() % 16 == 0, "CBC needs whole blocks");
    static const Cipher kCbc(EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr));
    return run_cipher(fetched(kCbc), key, iv, data);
}

std::vector<std::uint8_t> aes128_cbc_encrypt(const AesKey& key, const AesBlock& iv,
                                             std::span<const std::uint8_t> data) {
    PASSERELLE_ASSERT(data.size() % 16 == 0, "CBC needs whole blocks");
    static const Cipher kCbc(EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr));
    return run_cipher(fetched(kCbc), key, iv, data, 1);
}

std::vector<std::uint8_t> aes128_ctr_decrypt(const AesKey& key, const AesBlock& iv,
                                             std::span<const std::uint8_t> data) {
    static const Cipher kCtr(EVP_CIPHER_fetch(nullptr, "AES-128-CTR", nullptr));
    return run_cipher(fetched(kCtr), key, iv, data);
}

}  // namespace passerelle::connectors::wmbus
