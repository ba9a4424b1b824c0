// SPDX-License-Identifier: Apache-2.0
// The master's request/answer cycle: each request gets its own deadline and attempts; the link and
// application layers are checked by the decoder, so a damaged telegram is simply asked for again.
#include "connectors/mbus/tcp_master.h"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "connectors/mbus/link_frame.h"
#include "connectors/mbus/request_frames.h"
#include "gateway/core/time.h"

namespace passerelle::connectors::mbus {
namespace {

constexpr std::uint8_t kMaxPrimaryAddress = 250;
constexpr std::size_t kLongHeaderSize = 4;  // 68 L L 68

// RSP_UD is C = 0x08, whatever the ACD (0x20) and DFC (0x10) bits say.
constexpr std::uint8_t kRspUd = 0x08;
constexpr std::uint8_t kAcdDfcMask = 0x30;

Error bad_answer(std::string why) {
    return make_error("mbus.bad-answer", std::move(why));
}

SteadyTime deadline_after(std::chrono::milliseconds timeout) {
    return std::chrono::steady_clock::now() + timeout;
}

}  // namespace

TcpMaster::TcpMaster(std::string host, std::uint16_t port, MasterSettings settings)
    : host_(std::move(host)),
      port_(port),
      endpoint_(fmt::format("{}:{}", host_, port_)),
      settings_(settings) {
    if (settings_.attempts < 1) {
        settings_.attempts = 1;
    }
}

Result<Frames> TcpMaster::read_frames(std::uint8_t address) {
    auto answers = read(address);
    if (!answers) {
        return answers.error();
    }
    Frames frames;
    for (Answer& answer : *answers) {
        frames.push_back(std::move(answer.frame));
    }
    return frames;
}

Result<std::vector<DecodedTelegram>> TcpMaster::read_meter(std::uint8_t address) {
    auto answers = read(address);
    if (!answers) {
        return answers.error();
    }
    std::vector<DecodedTelegram> telegrams;
    for (Answer& answer : *answers) {
        telegrams.push_back(std::move(answer.telegram));
    }
    return telegrams;
}

Result<std::vector<TcpMaster::Answer>> TcpMaster::read(std::uint8_t address) {
    if (address > kMaxPrimaryAddress && address != kPointToPointAddress) {
        return make_error(
            "mbus.bad-address",
            fmt::format("primary address {} cannot be read (0..250 or 254)", address));
    }
    Answer ack;
    const ShortFrame reset = snd_nke(address);
    if (auto status = exchange(address, reset, Expect::Ack, ack); !status) {
        return status.error();
    }
    // After SND_NKE the slave expects FCB = 1 first (EN 13757-2, as IEC 60870-5-2).
    bool fcb = true;
    std::vector<Answer> answers;
    while (answers.size() < settings_.max_telegrams) {
        Answer answer;
        const ShortFrame request = req_ud2(address, fcb);
        if (auto status = exchange(address, request, Expect::LongFrame, answer); !status) {
            return status.error();
        }
        const bool more = answer.telegram.more_records_follow;
        answers.push_back(std::move(answer));
        if (!more) {
            return answers;
        }
        fcb = !fcb;
    }
    return make_error("mbus.too-many-telegrams",
                      fmt::format("primary address {} at {} still has more records after {} "
                                  "telegrams",
                                  address, endpoint_, settings_.max_telegrams));
}

Status TcpMaster::exchange(std::uint8_t address, std::span<const std::uint8_t> request,
                           Expect expect, Answer& answer) {
    Error last;
    for (int tried = 1;; ++tried) {
        auto status = attempt(address, request, expect, answer);
        if (status) {
            return status;
        }
        last = status.error();
        if (last.code == "mbus.cancelled" || tried >= settings_.attempts) {
            break;
        }
        if (connection_.pause_until(deadline_after(settings_.retry_pause)) == IoStatus::Cancelled) {
            return io_error(IoStatus::Cancelled);
        }
    }
    if (last.code == "mbus.timeout") {
        last.message =
            fmt::format("no answer from primary address {} at {} within {} after {} attempts",
                        address, endpoint_, format_duration(settings_.timeout), settings_.attempts);
    } else if (last.code == "mbus.bad-answer") {
        last.message = fmt::format("bad answer from primary address {} at {} after {} attempts: {}",
                                   address, endpoint_, settings_.attempts, last.message);
    }
    return last;
}

Status TcpMaster::attempt(std::uint8_t address, std::span<const std::uint8_t> request,
                          Expect expect, Answer& answer) {
    if (connection_.is_open()) {
        connection_.discard_input();  // may find that the server hung up since the last request
    }
    if (!connection_.is_open()) {
        if (auto opened = connection_.open(host_, port_, deadline_after(settings_.timeout));
            !opened) {
            return opened;
        }
    }
    const SteadyTime deadline = deadline_after(settings_.timeout);
    if (const IoStatus sent = connection_.write_all(request, deadline); sent != IoStatus::Ok) {
        return io_error(sent);
    }
    if (expect == Expect::LongFrame) {
        return read_long_frame(address, deadline, answer);
    }
    std::array<std::uint8_t, 1> ack{};
    if (const IoStatus got = connection_.read_exact(ack, deadline); got != IoStatus::Ok) {
        return io_error(got);
    }
    if (ack[0] != kAckByte) {
        return bad_answer(fmt::format("expected the single character E5, got 0x{:02X}", ack[0]));
    }
    return Ok{};
}

Status TcpMaster::read_long_frame(std::uint8_t address, SteadyTime deadline, Answer& answer) {
    std::vector<std::uint8_t>& frame = answer.frame;
    frame.assign(kLongHeaderSize, 0);
    const std::span<std::uint8_t> header(frame);
    if (const IoStatus got = connection_.read_exact(header.first(1), deadline);
        got != IoStatus::Ok) {
        return io_error(got);
    }
    if (frame[0] != kLongFrameStart) {
        return bad_answer(fmt::format("expected a long frame (0x68), got 0x{:02X}", frame[0]));
    }
    if (const IoStatus got = connection_.read_exact(header.subspan(1), deadline);
        got != IoStatus::Ok) {
        return io_error(got);
    }
    // Only a sound header tells how much to read: L, checksum and stop byte follow it.
    if (frame[1] != frame[2] || frame[3] != kLongFrameStart || frame[1] < 3) {
        auto checked = parse_link_frame(frame);
        return bad_answer(checked ? "bad long frame header" : checked.error().message);
    }
    frame.resize(kLongHeaderSize + frame[1] + 2U);
    const std::span<std::uint8_t> rest = std::span<std::uint8_t>(frame).subspan(kLongHeaderSize);
    if (const IoStatus got = connection_.read_exact(rest, deadline); got != IoStatus::Ok) {
        return io_error(got);
    }
    auto telegram = decode_wired_frame(frame);
    if (!telegram) {
        return bad_answer(telegram.error().message);
    }
    if ((telegram->c & static_cast<std::uint8_t>(~kAcdDfcMask)) != kRspUd) {
        return bad_answer(fmt::format("control field 0x{:02X} is not RSP_UD (0x08)", telegram->c));
    }
    // 0xFE reaches whichever meter is on the line, and it answers with its own address.
    if (address != kPointToPointAddress && telegram->a != address) {
        return bad_answer(fmt::format("the answer comes from primary address {}", telegram->a));
    }
    answer.telegram = std::move(*telegram);
    return Ok{};
}

Error TcpMaster::io_error(IoStatus status) const {
    switch (status) {
        case IoStatus::Timeout:
            return make_error("mbus.timeout", "no answer");
        case IoStatus::Cancelled:
            return make_error("mbus.cancelled", "stopped");
        case IoStatus::Closed:
        case IoStatus::Ok:
            break;
    }
    return make_error("mbus.connect", fmt::format("connection to {} lost: {}", endpoint_,
                                                  connection_.last_error()));
}

}  // namespace passerelle::connectors::mbus
