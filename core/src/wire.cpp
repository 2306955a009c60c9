#include "wire.h"

#include <cerrno>
#include <chrono>

#include <sys/socket.h>
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

std::int64_t steady_now_ns() noexcept
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace poolscope::detail::wire
