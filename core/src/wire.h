#pragma once

// Private to the core: the messages between a process pool and its worker processes. Payloads are
// written with poolscope::codec.
//
// Parent → workers: the call queue, one SOCK_SEQPACKET socket pair per pool. The parent writes one
// end; every worker reads the other, and the kernel hands each message to exactly one reader. That is
// Python's call queue, shared by the workers: whichever worker is free takes the next call, and a
// call waits behind no particular worker. A message is a 1-byte type and its payload; a payload
// larger than call_inline_max travels in a memfd attached to the message (SCM_RIGHTS), because a
// seqpacket message must fit the socket buffer whole.
//
// Worker → parent: one Unix stream socket per worker. A frame is a 4-byte little-endian length, a
// 1-byte message type and the payload.

#include <poolscope/codec.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace poolscope::detail::wire {

enum class Message : std::uint8_t {
    // parent → workers, on the call queue. `seq` numbers the pool's calls; replies name it.
    task = 1, ///< u64 seq, u64 task id, i64 attempt, bytes function, u64 n; n == 0: bytes args; else n × bytes args
    stop = 2, ///< finish and exit (one per worker, after every call, like Python's None sentinels)
    // worker → parent
    ready = 10, ///< i64 pid, i64 steady-clock ns
    started = 11, ///< u64 seq, i64 ns; only for a call that runs long (see worker_loop.cpp)
    result = 12, ///< u64 seq, i64 start ns (0: a started message went ahead), i64 ns, bytes value
                 ///< (a chunk: encoded vector of values)
    error = 13, ///< u64 seq, i64 start ns (as in result), i64 ns, bytes type name, bytes message, bytes traceback
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

/// Call-queue payloads up to this size travel inside the message; larger ones in a memfd.
inline constexpr std::size_t call_inline_max = 16 * 1024;

enum class SendResult { sent, would_block, failed };

/// Writes one call-queue message without blocking: would_block when the queue is full (wait for
/// POLLOUT and send it again), failed (errno says why) when the socket or a memfd could not be
/// used. Parent side.
SendResult send_call(int fd, Message type, std::string_view payload);

/// Takes the next call-queue message, polling for up to `spin` (yielding the core between tries)
/// before it blocks: a worker that has just finished a task usually finds the next one within
/// microseconds, and a process woken from sleep costs tens of them on a virtual machine. Nothing on
/// end of file (the parent is gone); throws SerializationError on a damaged message. Worker side.
std::optional<Frame> receive_call(int fd, std::chrono::nanoseconds spin);

/// Steady-clock now in nanoseconds since the clock's epoch: the same clock in every process.
std::int64_t steady_now_ns() noexcept;

} // namespace poolscope::detail::wire
