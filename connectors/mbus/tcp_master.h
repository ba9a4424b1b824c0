// SPDX-License-Identifier: Apache-2.0
// A wired M-Bus master on a transparent serial-to-TCP server: reads meters at primary addresses
// with SND_NKE then REQ_UD2, with timeouts, retries, multi-telegram answers and reconnection.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "connectors/mbus/mbus_decoder.h"
#include "connectors/mbus/tcp_connection.h"
#include "gateway/core/result.h"

namespace passerelle::connectors::mbus {

struct MasterSettings {
    /// From sending a request to the last byte of its answer, and for connecting. A 255-byte
    /// telegram takes 1.1 s at 2400 baud; at 300 baud, raise this to 10 s.
    std::chrono::milliseconds timeout{2000};
    /// Tries per request (first try included) before giving up on the meter.
    int attempts = 3;
    /// Quiet time before a retry; the bytes that arrive meanwhile are discarded.
    std::chrono::milliseconds retry_pause{200};
    /// REQ_UD2 rounds for one meter while its telegrams end with DIF 0x1F (more records follow).
    std::size_t max_telegrams = 16;
};

/// Raw RSP_UD long frames, in the order the meter sent them.
using Frames = std::vector<std::vector<std::uint8_t>>;

/// Talks to every meter behind one host:port. A serial bus is half-duplex, so requests to one
/// endpoint are sequential by construction: one TcpMaster per endpoint, used by one thread.
/// Not thread-safe, except cancel(). Connects lazily and reconnects on the next attempt after the
/// connection dropped.
class TcpMaster {
public:
    TcpMaster(std::string host, std::uint16_t port, MasterSettings settings = {});

    /// Reads the meter at primary `address` (0..250, or 0xFE for the single meter of a
    /// point-to-point line): SND_NKE, expecting E5; then REQ_UD2, one long frame read by its L
    /// field and checked, again with FCB toggled while the telegram ends with DIF 0x1F. Each
    /// request is tried settings.attempts times; a retry repeats the same FCB, so the meter
    /// repeats its telegram. At worst this takes about (1 + max_telegrams) x attempts x
    /// (timeout + retry_pause), never longer. Errors (code: message), the last attempt's:
    /// - mbus.timeout: "no answer from primary address 5 at 127.0.0.1:10001 within 2s after 3
    ///   attempts"
    /// - mbus.bad-answer: "bad answer from primary address 5 at 127.0.0.1:10001 after 3
    ///   attempts: <the decoder's message>", also for an answer from another address or not an
    ///   RSP_UD
    /// - mbus.connect: "cannot connect to host:port: Connection refused", or "connection to
    ///   host:port lost: closed by the peer" when it dropped during the last attempt
    /// - mbus.too-many-telegrams: "primary address 5 at ... still has more records after 16
    ///   telegrams"
    /// - mbus.bad-address: "primary address 253 cannot be read (0..250 or 254)"
    /// - mbus.cancelled: "stopped", once cancel() was called
    Result<Frames> read_frames(std::uint8_t address);

    /// read_frames(), each frame decoded by decode_wired_frame().
    Result<std::vector<DecodedTelegram>> read_meter(std::uint8_t address);

    /// Ends the current wait at once and makes every later call fail with mbus.cancelled. Any
    /// thread may call it; it is permanent.
    void cancel() { connection_.cancel(); }

    /// "host:port", as in messages.
    const std::string& endpoint() const { return endpoint_; }

private:
    struct Answer {
        std::vector<std::uint8_t> frame;
        DecodedTelegram telegram;
    };
    enum class Expect : std::uint8_t { Ack, LongFrame };
    /// The SND_NKE / REQ_UD2 sequence, frames and their decoding together.
    Result<std::vector<Answer>> read(std::uint8_t address);
    /// One request, tried up to settings_.attempts times; errors carry their final message.
    Status exchange(std::uint8_t address, std::span<const std::uint8_t> request, Expect expect,
                    Answer& answer);
    /// One try: connect if needed, discard stale bytes, send, read the answer. Errors carry only
    /// their code and, for a bad answer or a connection failure, what went wrong.
    Status attempt(std::uint8_t address, std::span<const std::uint8_t> request, Expect expect,
                   Answer& answer);
    Status read_long_frame(std::uint8_t address, SteadyTime deadline, Answer& answer);
    Error io_error(IoStatus status) const;

    std::string host_;
    std::uint16_t port_;
    std::string endpoint_;
    MasterSettings settings_;
    TcpConnection connection_;
};

}  // namespace passerelle::connectors::mbus
