// SPDX-License-Identifier: Apache-2.0
// The slave's loop: poll(2) on the listening socket, the client and a wake-up eventfd.
#include "tests/support/mbus_slave.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/loopback_listener.h"

namespace passerelle::testing {
namespace {

constexpr std::uint8_t kShortStart = 0x10;
constexpr std::uint8_t kStop = 0x16;
constexpr std::size_t kShortSize = 5;
constexpr std::uint8_t kSndNke = 0x40;
constexpr std::uint8_t kReqUd2 = 0x5B;
constexpr std::uint8_t kFcb = 0x20;

}  // namespace

MbusBytes finish_long_frame(MbusBytes frame) {
    if (frame.size() < 9 || frame.size() > 261) {
        return frame;  // not a long frame; a test that wants garbage gets it
    }
    const auto length = static_cast<std::uint8_t>(frame.size() - 6);
    frame[1] = length;
    frame[2] = length;
    unsigned sum = 0;
    for (std::size_t i = 4; i + 2 < frame.size(); ++i) {
        sum += frame[i];
    }
    frame[frame.size() - 2] = static_cast<std::uint8_t>(sum & 0xFFU);
    return frame;
}

Result<std::unique_ptr<MbusSlave>> MbusSlave::start() {
    auto listener = listen_on_loopback("mbus-slave", 4);
    if (!listener) {
        return listener.error();
    }
    std::unique_ptr<MbusSlave> slave(
        new MbusSlave(listener->listen_fd, listener->wake_fd, listener->port));
    slave->thread_ = std::thread([raw = slave.get()] { raw->loop(); });
    return slave;
}

MbusSlave::MbusSlave(int listen_fd, int wake_fd, std::uint16_t port)
    : listen_fd_(listen_fd), wake_fd_(wake_fd), port_(port) {}

void MbusSlave::wake() const {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
}

MbusSlave::~MbusSlave() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake();
    if (thread_.joinable()) {
        thread_.join();
    }
    close_client();
    ::close(listen_fd_);
    ::close(wake_fd_);
}

void MbusSlave::add_meter(std::uint8_t address, std::vector<MbusBytes> telegrams) {
    for (MbusBytes& telegram : telegrams) {
        if (telegram.size() >= 9) {
            telegram[5] = address;
            telegram = finish_long_frame(std::move(telegram));
        }
    }
    const std::lock_guard lock(mutex_);
    meters_[address] = Meter{std::move(telegrams), 0, std::nullopt};
}

void MbusSlave::corrupt_next_answer(std::size_t skip) {
    const std::lock_guard lock(mutex_);
    corrupt_after_ = skip;
}

void MbusSlave::disconnect() {
    {
        const std::lock_guard lock(mutex_);
        disconnect_ = true;
    }
    wake();
}

void MbusSlave::drop_connection_on_next_request() {
    const std::lock_guard lock(mutex_);
    drop_next_ = true;
}

void MbusSlave::set_answer_delay(std::chrono::milliseconds delay) {
    const std::lock_guard lock(mutex_);
    delay_ = delay;
}

void MbusSlave::set_chunk_size(std::size_t size) {
    const std::lock_guard lock(mutex_);
    chunk_size_ = size;
}

std::vector<MbusBytes> MbusSlave::requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
}

int MbusSlave::connections() const {
    const std::lock_guard lock(mutex_);
    return connections_;
}

void MbusSlave::close_client() {
    if (client_fd_ >= 0) {
        ::close(client_fd_);
        client_fd_ = -1;
    }
    input_.clear();
}

bool MbusSlave::pause(std::chrono::milliseconds duration) const {
    pollfd wake{wake_fd_, POLLIN, 0};
    return ::poll(&wake, 1, static_cast<int>(duration.count())) == 0;
}

void MbusSlave::loop() {
    for (;;) {
        std::array<pollfd, 3> fds{};
        fds[0] = {wake_fd_, POLLIN, 0};
        fds[1] = {listen_fd_, POLLIN, 0};
        fds[2] = {client_fd_, POLLIN, 0};
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;
        }
        if (fds[0].revents != 0) {
            std::uint64_t count = 0;
            [[maybe_unused]] const ssize_t drained = ::read(wake_fd_, &count, sizeof count);
            const std::lock_guard lock(mutex_);
            if (stopping_) {
                return;
            }
            if (std::exchange(disconnect_, false)) {
                close_client();
                continue;
            }
        }
        if (fds[1].revents != 0) {
            const int accepted = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (accepted >= 0) {
                close_client();  // one client at a time, the newest wins
                client_fd_ = accepted;
                const int on = 1;
                ::setsockopt(client_fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
                const std::lock_guard lock(mutex_);
                ++connections_;
            }
        }
        if (client_fd_ >= 0 && fds[2].revents != 0) {
            std::array<std::uint8_t, 256> buffer{};
            const ssize_t got = ::recv(client_fd_, buffer.data(), buffer.size(), 0);
            if (got <= 0) {
                close_client();
                continue;
            }
            input_.insert(input_.end(), buffer.begin(), buffer.begin() + got);
            serve_input();
        }
    }
}

void MbusSlave::serve_input() {
    while (client_fd_ >= 0 && !input_.empty()) {
        if (input_[0] != kShortStart) {
            input_.erase(input_.begin());  // a serial line's garbage: resynchronise on 0x10
            continue;
        }
        if (input_.size() < kShortSize) {
            return;
        }
        const std::uint8_t c = input_[1];
        const std::uint8_t a = input_[2];
        const bool valid =
            input_[3] == static_cast<std::uint8_t>((c + a) & 0xFFU) && input_[4] == kStop;
        if (!valid) {
            input_.erase(input_.begin());
            continue;
        }
        input_.erase(input_.begin(), input_.begin() + kShortSize);
        bool drop = false;
        const MbusBytes reply = answer(c, a, drop);
        if (drop) {
            close_client();
            return;
        }
        if (!reply.empty()) {
            send(reply);
        }
    }
}

MbusBytes MbusSlave::answer(std::uint8_t c, std::uint8_t a, bool& drop) {
    const std::lock_guard lock(mutex_);
    requests_.push_back({kShortStart, c, a, static_cast<std::uint8_t>((c + a) & 0xFFU), kStop});
    const auto found = meters_.find(a);
    if (found == meters_.end()) {
        return {};
    }
    if (drop_next_) {
        drop_next_ = false;
        drop = true;
        return {};
    }
    Meter& meter = found->second;
    if (c == kSndNke) {
        meter.next = 0;
        meter.last_fcb.reset();
        return {0xE5};
    }
    if ((c & static_cast<std::uint8_t>(~kFcb)) != kReqUd2 || meter.telegrams.empty()) {
        return {};
    }
    const bool fcb = (c & kFcb) != 0;
    if (meter.last_fcb.has_value() && *meter.last_fcb != fcb &&
        meter.next + 1 < meter.telegrams.size()) {
        ++meter.next;
    }
    meter.last_fcb = fcb;
    MbusBytes reply = meter.telegrams[meter.next];
    if (corrupt_after_.has_value()) {
        if (*corrupt_after_ == 0) {
            corrupt_after_.reset();
            ++reply[reply.size() - 2];
        } else {
            --*corrupt_after_;
        }
    }
    return reply;
}

void MbusSlave::send(const MbusBytes& bytes) {
    std::chrono::milliseconds delay{0};
    std::size_t chunk = 0;
    {
        const std::lock_guard lock(mutex_);
        delay = delay_;
        chunk = chunk_size_ == 0 ? bytes.size() : chunk_size_;
    }
    if (delay.count() > 0 && !pause(delay)) {
        return;
    }
    for (std::size_t done = 0; done < bytes.size();) {
        if (done > 0 && !pause(std::chrono::milliseconds(1))) {
            return;
        }
        const std::size_t size = std::min(chunk, bytes.size() - done);
        const ssize_t sent = ::send(client_fd_, bytes.data() + done, size, MSG_NOSIGNAL);
        if (sent <= 0) {
            return;  // the master went away; its next connection starts afresh
        }
        done += static_cast<std::size_t>(sent);
    }
}

}  // namespace passerelle::testing
