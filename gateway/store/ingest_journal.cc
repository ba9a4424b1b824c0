// SPDX-License-Identifier: Apache-2.0
#include "gateway/store/ingest_journal.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

namespace passerelle::store {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMagic = "PSJRNL1\n";
constexpr std::size_t kHeaderBytes = 8;             // body size, checksum
constexpr std::size_t kBodyFixedBytes = 12;         // sequence, topic size
constexpr std::uint32_t kMaxBodyBytes = 1U << 30U;  // beyond: a damaged size field

std::uint32_t fnv1a(std::string_view bytes) {
    std::uint32_t hash = 2166136261U;
    for (const char c : bytes) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 16777619U;
    }
    return hash;
}

void put_u32(std::string& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) {
        out.push_back(static_cast<char>((value >> static_cast<unsigned>(shift)) & 0xFFU));
    }
}

void put_u64(std::string& out, std::uint64_t value) {
    for (int shift = 0; shift < 64; shift += 8) {
        out.push_back(static_cast<char>((value >> static_cast<unsigned>(shift)) & 0xFFU));
    }
}

std::uint64_t get_le(std::string_view bytes, std::size_t at, std::size_t width) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    }
    return value;
}

std::string segment_name(std::uint64_t first) {
    return fmt::format("{:020}.seg", first);
}

Error io_error(std::string_view what, const fs::path& path, int error) {
    return make_error("store.io", fmt::format("journal: cannot {} {}: {}", what, path.string(),
                                              std::strerror(error)));
}

/// The whole records of one segment; stops at the first damaged one and says how many bytes
/// were left unread.
struct SegmentContents {
    std::vector<IngestJournal::Entry> entries;
    std::size_t damaged_bytes = 0;
};

Result<SegmentContents> read_segment(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return io_error("read", path, errno);
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SegmentContents contents;
    const std::string_view view(bytes);
    if (!view.starts_with(kMagic)) {
        contents.damaged_bytes = bytes.size();
        return contents;
    }
    std::size_t at = kMagic.size();
    while (at < view.size()) {
        if (view.size() - at < kHeaderBytes) {
            break;
        }
        const auto body_size = static_cast<std::uint32_t>(get_le(view, at, 4));
        const auto checksum = static_cast<std::uint32_t>(get_le(view, at + 4, 4));
        if (body_size < kBodyFixedBytes || body_size > kMaxBodyBytes ||
            view.size() - at - kHeaderBytes < body_size) {
            break;
        }
        const std::string_view body = view.substr(at + kHeaderBytes, body_size);
        const auto topic_size = get_le(body, 8, 4);
        if (fnv1a(body) != checksum || topic_size > body_size - kBodyFixedBytes) {
            break;
        }
        contents.entries.push_back(IngestJournal::Entry{
            get_le(body, 0, 8), std::string(body.substr(kBodyFixedBytes, topic_size)),
            std::string(body.substr(kBodyFixedBytes + topic_size))});
        at += kHeaderBytes + body_size;
    }
    contents.damaged_bytes = view.size() - at;
    return contents;
}

/// "<20 digits>.seg", as segment_name() writes: any other file is left alone.
bool is_segment_name(const std::string& name) {
    return name.size() == 24 && name.ends_with(".seg") &&
           std::all_of(name.begin(), name.begin() + 20,
                       [](char c) { return c >= '0' && c <= '9'; });
}

/// The segments in `directory`, oldest first.
Result<std::vector<fs::path>> list_segments(const fs::path& directory) {
    std::error_code error;
    std::vector<fs::path> segments;
    for (fs::directory_iterator it(directory, error), end; !error && it != end;
         it.increment(error)) {
        if (is_segment_name(it->path().filename().string())) {
            segments.push_back(it->path());
        }
    }
    if (error) {
        return make_error("store.io", fmt::format("journal: cannot list {}: {}", directory.string(),
                                                  error.message()));
    }
    std::sort(segments.begin(), segments.end());  // fixed-width names sort by first sequence
    return segments;
}

}  // namespace

Result<std::unique_ptr<IngestJournal>> IngestJournal::open(const fs::path& directory,
                                                           std::uint64_t evaluated_through,
                                                           Recovery& recovery,
                                                           std::size_t segment_bytes) {
    std::error_code error;
    fs::create_directories(directory, error);
    if (error) {
        return make_error("store.io", fmt::format("journal: cannot create {}: {}",
                                                  directory.string(), error.message()));
    }
    auto paths = list_segments(directory);
    if (!paths) {
        return paths.error();
    }
    recovery = Recovery{};
    std::uint64_t last_seen = evaluated_through;
    std::vector<fs::path> kept;
    for (const fs::path& path : *paths) {
        auto contents = read_segment(path);
        if (!contents) {
            return contents.error();
        }
        recovery.damaged_bytes += contents->damaged_bytes;
        bool unevaluated = false;
        for (auto& entry : contents->entries) {
            last_seen = std::max(last_seen, entry.sequence);
            if (entry.sequence > evaluated_through) {
                unevaluated = true;
                recovery.unevaluated.push_back(std::move(entry));
            }
        }
        if (unevaluated) {
            kept.push_back(path);
        } else if (!fs::remove(path, error) && error) {
            return make_error("store.io", fmt::format("journal: cannot delete {}: {}",
                                                      path.string(), error.message()));
        }
    }
    recovery.segments_kept = kept.size();
    std::unique_ptr<IngestJournal> journal(
        new IngestJournal(directory, std::max<std::size_t>(segment_bytes, 1), last_seen + 1));
    for (const fs::path& path : kept) {
        journal->segments_.push_back(Segment{std::stoull(path.stem().string()), path});
    }
    const std::lock_guard lock(journal->mutex_);
    if (auto started = journal->start_segment(); !started) {
        return started.error();
    }
    return journal;
}

IngestJournal::IngestJournal(fs::path directory, std::size_t segment_bytes,
                             std::uint64_t next_sequence)
    : directory_(std::move(directory)),
      segment_bytes_(segment_bytes),
      next_sequence_(next_sequence) {}

IngestJournal::~IngestJournal() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

Status IngestJournal::start_segment() {
    const fs::path path = directory_ / segment_name(next_sequence_);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) {
        return io_error("create", path, errno);
    }
    if (::write(fd, kMagic.data(), kMagic.size()) != static_cast<ssize_t>(kMagic.size())) {
        const int failure = errno;
        ::close(fd);
        ::unlink(path.c_str());
        return io_error("write", path, failure);
    }
    if (fd_ >= 0) {
        ::close(fd_);
    }
    fd_ = fd;
    size_ = kMagic.size();
    if (!segments_.empty() && segments_.back().first == next_sequence_) {
        segments_.pop_back();  // the same file, left without a record by a failed append
    }
    segments_.push_back(Segment{next_sequence_, path});
    return Ok{};
}

Result<std::uint64_t> IngestJournal::append(std::string_view topic, std::string_view payload) {
    const std::lock_guard lock(mutex_);
    if (fd_ < 0 || size_ >= segment_bytes_) {
        if (auto started = start_segment(); !started) {
            return started.error();
        }
    }
    const std::uint64_t sequence = next_sequence_;
    record_.clear();
    record_.append(kHeaderBytes, '\0');
    put_u64(record_, sequence);
    put_u32(record_, static_cast<std::uint32_t>(topic.size()));
    record_.append(topic);
    record_.append(payload);
    const std::string_view body = std::string_view(record_).substr(kHeaderBytes);
    std::string header;
    put_u32(header, static_cast<std::uint32_t>(body.size()));
    put_u32(header, fnv1a(body));
    record_.replace(0, kHeaderBytes, header);
    const ssize_t written = ::write(fd_, record_.data(), record_.size());
    if (written != static_cast<ssize_t>(record_.size())) {
        const int failure = written < 0 ? errno : ENOSPC;
        // A partial record would hide every later one from the reader: cut it off.
        if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
            ::close(fd_);
            fd_ = -1;  // the next append starts a new segment
        }
        return io_error("append to", segments_.back().path, failure);
    }
    size_ += record_.size();
    ++next_sequence_;
    return sequence;
}

void IngestJournal::release_through(std::uint64_t sequence) {
    const std::lock_guard lock(mutex_);
    // A segment ends where the next begins; the one written is never deleted.
    while (segments_.size() > 1 && segments_[1].first - 1 <= sequence) {
        std::error_code ignored;  // a segment left behind is deleted at the next start
        fs::remove(segments_.front().path, ignored);
        segments_.pop_front();
    }
}

std::uint64_t IngestJournal::last_sequence() const {
    const std::lock_guard lock(mutex_);
    return next_sequence_ - 1;
}

std::size_t IngestJournal::segment_count() const {
    const std::lock_guard lock(mutex_);
    return segments_.size();
}

}  // namespace passerelle::store
