#pragma once

// Private to the core: the framing of messages between a process pool and its worker processes,
// over one Unix stream socket per worker. A frame is a 4-byte little-endian length, a 1-byte
// message type and a payload written with poolscope::codec.

#include <poolscope/codec.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace poolscope::detail::wire {

enum class Message : std::uint8_t {
    // parent → worker
    task = 1, ///< u64 task id, i64 attempt, bytes function, u64 n; n == 0: bytes args; else n × bytes args
    stop = 2, ///< finish and exit
    // worker → parent
    ready = 10, ///< i64 pid, i64 steady-clock ns
    started = 11, ///< u64 task id, i64 attempt, i64 ns
    result = 12, ///< u64 task id, i64 attempt, i64 ns, bytes value (a chunk: encoded vector of values)
    error = 13, ///< u64 task id, i64 attempt, i64 ns, bytes type name, bytes message, bytes traceback
    exiting = 14, ///< i64 ns, bytes reason; the worker exits on purpose right after
};

/// Frames larger than this are refused as damaged rather than allocated.
inline constexpr std::uint32_t max_frame = 1u << 30;

struct Frame {
    Message type;
    std::string payload;
};

/// Sends one frame, blocking until written. Returns false if the peer is gone (no SIGPIPE).
bool send_frame(int fd, Message type, std::string_view payload);

/// Blocking read of one frame; nothing on end of file. Throws SerializationError on a damaged frame.
std::optional<Frame> read_frame(int fd);

/// Takes one complete frame off the front of `buffer`, if it holds one. Throws SerializationError
/// on a damaged frame.
std::optional<Frame> take_frame(std::string& buffer);

/// Steady-clock now in nanoseconds since the clock's epoch: the same clock in every process.
std::int64_t steady_now_ns() noexcept;

} // namespace poolscope::detail::wire
