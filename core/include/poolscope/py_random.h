#pragma once

// CPython's random.Random, bit for bit, for the seeds the practice page uses (ints), so a scenario
// sleeps exactly what the Python program sleeps: random.Random(n).uniform(0.05, 0.25) is
// py::Random(n).uniform(0.05, 0.25) here.

#include <array>
#include <cstdint>
#include <span>

namespace poolscope::py {

/// A Mersenne Twister (MT19937) seeded and read as CPython's _random module does. Not
/// thread-safe: one generator per thread, as the exercises create one per task.
class Random {
public:
    /// random.Random(seed) for an int: MT19937's init_by_array over the 32-bit words of |seed|,
    /// least significant first ([0] for 0), so n and -n give the same sequence, as in CPython.
    explicit Random(long long seed);
    /// The same for an int of any size, given as the 32-bit words of its absolute value, least
    /// significant first (no words, or only zero words, is the seed 0).
    explicit Random(std::span<const std::uint32_t> magnitude);

    /// random(): a double in [0, 1) from two draws, (a·2²⁶ + b) / 2⁵³ with a = draw >> 5, b = draw >> 6.
    double random();
    /// uniform(a, b): a + (b - a) · random(), as Python computes it (b may be below a).
    double uniform(double a, double b);
    /// getrandbits(32): the generator's next raw 32-bit output.
    std::uint32_t next_uint32();

private:
    void init_genrand(std::uint32_t seed);
    void init_by_array(std::span<const std::uint32_t> key);

    static constexpr int state_size = 624;
    std::array<std::uint32_t, state_size> state_ {};
    int index_ = state_size + 1;
};

} // namespace poolscope::py
