#include "wire.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace poolscope::detail::wire {

namespace {
std::string header(Message type, std::size_t payload_size)
{
    const auto length = static_cast<std::uint32_t>(payload_size + 1);
    std::string h(5, '\0');
    for (int i = 0; i < 4; ++i)
        h[i] = static_cast<char>((length >> (8 * i)) & 0xff);
    h[4] = static_cast<char>(type);
    return h;
}

bool send_all(int fd, std::string_view bytes)
{
    while (!bytes.empty()) {
        const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Reads exactly n bytes; false on end of file before the first byte, throws if cut short.
bool read_all(int fd, char* out, std::size_t n)
{
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::read(fd, out + got, n - got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if (got == 0)
                return false;
            throw SerializationError("damaged frame: read failed");
        }
        if (r == 0) {
            if (got == 0)
                return false;
            throw SerializationError("damaged frame: cut short");
        }
        got += static_cast<std::size_t>(r);
    }
    return true;
}

std::uint32_t length_of(const char* bytes)
{
    std::uint32_t length = 0;
    for (int i = 0; i < 4; ++i)
        length |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
    if (length == 0 || length > max_frame)
        throw SerializationError("damaged frame: length " + std::to_string(length));
    return length;
}
} // namespace

bool send_frame(int fd, Message type, std::string_view payload)
{
    // One buffer, one send for small frames: keeps a frame's bytes together on the wire.
    std::string frame = header(type, payload.size());
    frame.append(payload);
    return send_all(fd, frame);
}

std::optional<Frame> read_frame(int fd)
{
    char h[4];
    if (!read_all(fd, h, 4))
        return std::nullopt;
    const std::uint32_t length = length_of(h);
    std::string body(length, '\0');
    if (!read_all(fd, body.data(), length))
        throw SerializationError("damaged frame: cut short");
    Frame f { static_cast<Message>(body[0]), body.substr(1) };
    return f;
}

std::optional<Frame> take_frame(std::string& buffer)
{
    if (buffer.size() < 4)
        return std::nullopt;
    const std::uint32_t length = length_of(buffer.data());
    if (buffer.size() < 4 + static_cast<std::size_t>(length))
        return std::nullopt;
    Frame f { static_cast<Message>(buffer[4]), buffer.substr(5, length - 1) };
    buffer.erase(0, 4 + static_cast<std::size_t>(length));
    return f;
}

namespace {
// A memfd holding `bytes`, or -1.
int memfd_with(std::string_view bytes)
{
    const int fd = ::memfd_create("poolscope-call", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : ENOSPC;
            ::close(fd);
            errno = err;
            return -1;
        }
        done += static_cast<std::size_t>(n);
    }
    return fd;
}

std::string read_memfd(int fd)
{
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_size < 0 || static_cast<std::uint64_t>(st.st_size) > max_frame)
        throw SerializationError("damaged call: unreadable payload");
    std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw SerializationError("damaged call: payload cut short");
        done += static_cast<std::size_t>(n);
    }
    return bytes;
}
} // namespace

SendResult send_call(int fd, Message type, std::string_view payload)
{
    char kind = static_cast<char>(type);
    iovec iov[2] { { &kind, 1 }, { const_cast<char*>(payload.data()), payload.size() } };
    msghdr msg {};
    msg.msg_iov = iov;
    msg.msg_iovlen = 2;
    int attached = -1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] {};
    if (payload.size() > call_inline_max) {
        attached = memfd_with(payload);
        if (attached < 0)
            return SendResult::failed;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        std::memcpy(CMSG_DATA(c), &attached, sizeof(int));
    }
    ssize_t n = 0;
    do {
        n = ::sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    const int err = errno;
    if (attached >= 0)
        ::close(attached); // the message in flight holds its own reference
    if (n >= 0)
        return SendResult::sent;
    errno = err; // for the caller's message
    return err == EAGAIN || err == EWOULDBLOCK ? SendResult::would_block : SendResult::failed;
}

std::optional<Frame> receive_call(int fd, std::chrono::nanoseconds spin)
{
    // One more byte than the largest inline message, so that a longer one shows as truncated.
    thread_local std::vector<char> buffer(call_inline_max + 2);
    iovec iov { buffer.data(), buffer.size() };
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] {};
    msghdr msg {};
    ssize_t n = 0;
    const auto until = std::chrono::steady_clock::now() + spin;
    bool blocking = spin <= std::chrono::nanoseconds::zero();
    for (;;) {
        msg = {};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        n = ::recvmsg(fd, &msg, MSG_CMSG_CLOEXEC | (blocking ? 0 : MSG_DONTWAIT));
        if (n >= 0)
            break;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return std::nullopt;
        if (std::chrono::steady_clock::now() >= until)
            blocking = true;
        else
            std::this_thread::yield();
    }
    int attached = -1;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len >= CMSG_LEN(sizeof(int)))
            std::memcpy(&attached, CMSG_DATA(c), sizeof(int));
    }
    if (n == 0)
        return std::nullopt; // end of file: the writing end is closed
    if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0) {
        if (attached >= 0)
            ::close(attached);
        throw SerializationError("damaged call: message truncated");
    }
    Frame f { static_cast<Message>(buffer[0]), {} };
    if (attached >= 0) {
        try {
            f.payload = read_memfd(attached);
        } catch (...) {
            ::close(attached);
            throw;
        }
        ::close(attached);
    } else {
        f.payload.assign(buffer.data() + 1, static_cast<std::size_t>(n) - 1);
    }
    return f;
}

std::int64_t steady_now_ns() noexcept
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace poolscope::detail::wire
