#pragma once

// The small binary codec that carries task arguments and results between the parent and worker
// processes: the counterpart of pickle for the plain types a teaching example passes around.
// Supported: bool, every integer and floating-point type, std::string, and std::vector, std::pair,
// std::tuple and std::optional of supported types. Both ends are the same program, so values carry
// no type tags; every read is bounds-checked, so damaged bytes give SerializationError, not a crash.
// Any other type compiles but fails at run time with SerializationError when it is sent, which
// fails that one future (as an unpicklable argument does in Python).

#include <poolscope/errors.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

namespace poolscope::codec {

/// The readable name of a type ("std::vector<int, ...>"), for error messages.
std::string type_name(const std::type_info& type);

/// Appends encoded values to a byte string.
class Writer {
public:
    explicit Writer(std::string& out) noexcept
        : out_(out)
    {
    }
    void put_u64(std::uint64_t v)
    {
        char bytes[8];
        for (int i = 0; i < 8; ++i)
            bytes[i] = static_cast<char>((v >> (8 * i)) & 0xff);
        out_.append(bytes, 8);
    }
    void put_i64(std::int64_t v) { put_u64(static_cast<std::uint64_t>(v)); }
    void put_f64(double v) { put_u64(std::bit_cast<std::uint64_t>(v)); }
    void put_bytes(std::string_view bytes)
    {
        put_u64(bytes.size());
        out_.append(bytes);
    }

private:
    std::string& out_;
};

/// Reads encoded values back; throws SerializationError when the bytes run out or lie.
class Reader {
public:
    explicit Reader(std::string_view in) noexcept
        : in_(in)
    {
    }
    std::uint64_t get_u64()
    {
        need(8);
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
        pos_ += 8;
        return v;
    }
    std::int64_t get_i64() { return static_cast<std::int64_t>(get_u64()); }
    double get_f64() { return std::bit_cast<double>(get_u64()); }
    std::string_view get_bytes()
    {
        const std::uint64_t n = get_u64();
        need(n);
        auto bytes = in_.substr(pos_, n);
        pos_ += n;
        return bytes;
    }
    /// A count of elements still to come, each taking at least one byte: refuses absurd counts
    /// before anything is allocated for them.
    std::size_t get_count()
    {
        const std::uint64_t n = get_u64();
        if (n > remaining())
            throw SerializationError("damaged data: a count of " + std::to_string(n) + " with "
                + std::to_string(remaining()) + " bytes left");
        return static_cast<std::size_t>(n);
    }
    std::size_t remaining() const noexcept { return in_.size() - pos_; }
    bool at_end() const noexcept { return pos_ == in_.size(); }

private:
    void need(std::uint64_t n) const
    {
        if (n > remaining())
            throw SerializationError("damaged data: needed " + std::to_string(n) + " bytes, "
                + std::to_string(remaining()) + " left");
    }
    std::string_view in_;
    std::size_t pos_ = 0;
};

/// Codec<T>::encode / decode. The primary template is the "cannot send" case.
template <class T, class Enable = void> struct Codec {
    static constexpr bool supported = false;
    [[noreturn]] static void encode(Writer&, const T&)
    {
        throw SerializationError("cannot send a value of type " + type_name(typeid(T)) + " to a worker process");
    }
    [[noreturn]] static T decode(Reader&)
    {
        throw SerializationError("cannot receive a value of type " + type_name(typeid(T)) + " from a worker process");
    }
};

template <> struct Codec<bool> {
    static constexpr bool supported = true;
    static void encode(Writer& w, bool v) { w.put_u64(v ? 1 : 0); }
    static bool decode(Reader& r) { return r.get_u64() != 0; }
};

template <class T> struct Codec<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
    static constexpr bool supported = true;
    static void encode(Writer& w, T v)
    {
        if constexpr (std::is_signed_v<T>)
            w.put_i64(v);
        else
            w.put_u64(v);
    }
    static T decode(Reader& r)
    {
        if constexpr (std::is_signed_v<T>)
            return static_cast<T>(r.get_i64());
        else
            return static_cast<T>(r.get_u64());
    }
};

template <class T> struct Codec<T, std::enable_if_t<std::is_floating_point_v<T>>> {
    static constexpr bool supported = true;
    static void encode(Writer& w, T v) { w.put_f64(static_cast<double>(v)); }
    static T decode(Reader& r) { return static_cast<T>(r.get_f64()); }
};

template <> struct Codec<std::string> {
    static constexpr bool supported = true;
    static void encode(Writer& w, const std::string& v) { w.put_bytes(v); }
    static std::string decode(Reader& r) { return std::string(r.get_bytes()); }
};

template <class T> struct Codec<std::vector<T>> {
    static constexpr bool supported = Codec<T>::supported;
    static void encode(Writer& w, const std::vector<T>& v)
    {
        w.put_u64(v.size());
        for (const auto& item : v)
            Codec<T>::encode(w, item);
    }
    static std::vector<T> decode(Reader& r)
    {
        const std::size_t n = r.get_count();
        std::vector<T> v;
        v.reserve(n);
        for (std::size_t i = 0; i < n; ++i)
            v.push_back(Codec<T>::decode(r));
        return v;
    }
};

template <class A, class B> struct Codec<std::pair<A, B>> {
    static constexpr bool supported = Codec<A>::supported && Codec<B>::supported;
    static void encode(Writer& w, const std::pair<A, B>& v)
    {
        Codec<A>::encode(w, v.first);
        Codec<B>::encode(w, v.second);
    }
    static std::pair<A, B> decode(Reader& r)
    {
        A a = Codec<A>::decode(r);
        B b = Codec<B>::decode(r);
        return { std::move(a), std::move(b) };
    }
};

template <class... T> struct Codec<std::tuple<T...>> {
    static constexpr bool supported = (Codec<T>::supported && ...);
    static void encode(Writer& w, const std::tuple<T...>& v)
    {
        std::apply([&](const auto&... item) { (Codec<std::remove_cvref_t<decltype(item)>>::encode(w, item), ...); }, v);
    }
    static std::tuple<T...> decode(Reader& r)
    {
        // Braced initialisation evaluates left to right, matching the encoding order.
        return std::tuple<T...> { Codec<T>::decode(r)... };
    }
};

template <class T> struct Codec<std::optional<T>> {
    static constexpr bool supported = Codec<T>::supported;
    static void encode(Writer& w, const std::optional<T>& v)
    {
        w.put_u64(v ? 1 : 0);
        if (v)
            Codec<T>::encode(w, *v);
    }
    static std::optional<T> decode(Reader& r)
    {
        if (r.get_u64() == 0)
            return std::nullopt;
        return Codec<T>::decode(r);
    }
};

/// Encodes one value into a fresh byte string.
template <class T> std::string encode(const T& value)
{
    std::string out;
    Writer w(out);
    Codec<T>::encode(w, value);
    return out;
}

/// Decodes one value that must fill `bytes` exactly.
template <class T> T decode(std::string_view bytes)
{
    Reader r(bytes);
    T value = Codec<T>::decode(r);
    if (!r.at_end())
        throw SerializationError("damaged data: " + std::to_string(r.remaining()) + " bytes left over");
    return value;
}

} // namespace poolscope::codec
