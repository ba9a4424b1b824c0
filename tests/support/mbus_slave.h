// SPDX-License-Identifier: Apache-2.0
// Wired M-Bus meters behind a pretend serial-to-TCP server on 127.0.0.1, for the master's tests:
// real EN 13757-2 frames, and faults on request (silence, bad checksum, drop, delay, fragments).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gateway/core/result.h"

namespace passerelle::testing {

using MbusBytes = std::vector<std::uint8_t>;

/// Sets both L fields of a long frame (68 L L 68 C A CI ... CS 16) from its size and recomputes
/// its checksum, after a test edited it.
MbusBytes finish_long_frame(MbusBytes frame);

/// Serves one TCP client at a time, as a serial server does: a new connection replaces the old
/// one. Answers SND_NKE with E5 and REQ_UD2 with the meter's telegram, for the addresses it has
/// meters at; stays silent for any other address, and for anything that is not a valid short
/// frame. Every setter may be called while a master is talking to it.
class MbusSlave {
public:
    /// Listens on 127.0.0.1 on a port the kernel chooses, answering from its own thread.
    /// @return "mbus-slave.setup" with the system's message if a socket call fails.
    static Result<std::unique_ptr<MbusSlave>> start();
    /// Closes every socket and joins the thread.
    ~MbusSlave();
    MbusSlave(const MbusSlave&) = delete;
    MbusSlave& operator=(const MbusSlave&) = delete;

    std::string host() const { return "127.0.0.1"; }
    std::uint16_t port() const { return port_; }

    /// A meter at primary `address` whose RSP_UD answers are `telegrams` (long frames; their A
    /// field and checksum are rewritten to `address`). After SND_NKE it starts again from the
    /// first; a REQ_UD2 whose FCB differs from the previous one moves to the next (the last one
    /// stays), the same FCB repeats the telegram, as EN 13757-2 has it.
    void add_meter(std::uint8_t address, std::vector<MbusBytes> telegrams);
    /// The next long-frame answer but `skip` goes out with its checksum off by one.
    void corrupt_next_answer(std::size_t skip = 0);
    /// The next request that reaches a meter closes the connection instead of being answered.
    void drop_connection_on_next_request();
    /// Closes the current connection now, as a serial server does after an idle timeout.
    void disconnect();
    /// Waits this long before each answer (the master may time out meanwhile).
    void set_answer_delay(std::chrono::milliseconds delay);
    /// Writes answers `size` bytes at a time, a millisecond apart, so that they arrive in many
    /// TCP segments; 0 writes each answer at once.
    void set_chunk_size(std::size_t size);

    /// The short frames received so far, in order, for every address.
    std::vector<MbusBytes> requests() const;
    /// Connections accepted so far.
    int connections() const;

private:
    struct Meter {
        std::vector<MbusBytes> telegrams;
        std::size_t next = 0;
        std::optional<bool> last_fcb;  // empty after SND_NKE
    };
    MbusSlave(int listen_fd, int wake_fd, std::uint16_t port);
    void loop();
    /// Takes the complete frames out of `input_`, answering them.
    void serve_input();
    /// The answer to one short frame; empty for silence.
    MbusBytes answer(std::uint8_t c, std::uint8_t a, bool& drop);
    void send(const MbusBytes& bytes);
    /// Sleeps unless woken (destructor, disconnect()); false then.
    bool pause(std::chrono::milliseconds duration) const;
    void close_client();
    void wake() const;

    int listen_fd_;
    int wake_fd_;  // an eventfd, written by the destructor and disconnect()
    std::uint16_t port_;
    int client_fd_ = -1;  // only the slave's thread touches it
    MbusBytes input_;
    mutable std::mutex mutex_;  // guards what follows
    std::map<std::uint8_t, Meter> meters_;
    std::optional<std::size_t> corrupt_after_;  // long-frame answers to let through first
    bool stopping_ = false;
    bool disconnect_ = false;
    bool drop_next_ = false;
    std::chrono::milliseconds delay_{0};
    std::size_t chunk_size_ = 0;
    std::vector<MbusBytes> requests_;
    int connections_ = 0;
    std::thread thread_;
};

}  // namespace passerelle::testing
