#include <poolscope/py_random.h>

#include <algorithm>

// The algorithms of CPython's Modules/_randommodule.c (itself the reference MT19937 by Matsumoto
// and Nishimura): init_genrand, init_by_array, genrand_uint32 and random_random.

namespace poolscope::py {

namespace {
constexpr int n = 624;
constexpr int m = 397;
constexpr std::uint32_t matrix_a = 0x9908b0dfU;
constexpr std::uint32_t upper_mask = 0x80000000U;
constexpr std::uint32_t lower_mask = 0x7fffffffU;
} // namespace

Random::Random(long long seed)
{
    // |seed| without overflow for the most negative value.
    const unsigned long long magnitude
        = seed < 0 ? 0ULL - static_cast<unsigned long long>(seed) : static_cast<unsigned long long>(seed);
    const std::array<std::uint32_t, 2> words { static_cast<std::uint32_t>(magnitude),
        static_cast<std::uint32_t>(magnitude >> 32) };
    init_by_array(std::span(words.data(), words[1] == 0 ? 1 : 2));
}

Random::Random(std::span<const std::uint32_t> magnitude)
{
    // CPython uses as many words as the int has bits: no leading zero words, and [0] for zero.
    std::size_t used = magnitude.size();
    while (used > 1 && magnitude[used - 1] == 0)
        --used;
    if (used == 0) {
        const std::uint32_t zero = 0;
        init_by_array(std::span(&zero, 1));
        return;
    }
    init_by_array(magnitude.first(used));
}

void Random::init_genrand(std::uint32_t seed)
{
    state_[0] = seed;
    for (int i = 1; i < n; ++i)
        state_[i] = 1812433253U * (state_[i - 1] ^ (state_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
    index_ = n;
}

void Random::init_by_array(std::span<const std::uint32_t> key)
{
    init_genrand(19650218U);
    const int length = static_cast<int>(key.size());
    int i = 1;
    int j = 0;
    for (int k = std::max(n, length); k > 0; --k) {
        state_[i] = (state_[i] ^ ((state_[i - 1] ^ (state_[i - 1] >> 30)) * 1664525U)) + key[j]
            + static_cast<std::uint32_t>(j);
        ++i;
        ++j;
        if (i >= n) {
            state_[0] = state_[n - 1];
            i = 1;
        }
        if (j >= length)
            j = 0;
    }
    for (int k = n - 1; k > 0; --k) {
        state_[i]
            = (state_[i] ^ ((state_[i - 1] ^ (state_[i - 1] >> 30)) * 1566083941U)) - static_cast<std::uint32_t>(i);
        ++i;
        if (i >= n) {
            state_[0] = state_[n - 1];
            i = 1;
        }
    }
    state_[0] = 0x80000000U; // MSB is 1, assuring a non-zero initial array
}

std::uint32_t Random::next_uint32()
{
    if (index_ >= n) {
        const auto twist = [this](int at, int next, int far) {
            const std::uint32_t y = (state_[at] & upper_mask) | (state_[next] & lower_mask);
            state_[at] = state_[far] ^ (y >> 1) ^ ((y & 1U) != 0 ? matrix_a : 0U);
        };
        int k = 0;
        for (; k < n - m; ++k)
            twist(k, k + 1, k + m);
        for (; k < n - 1; ++k)
            twist(k, k + 1, k + (m - n));
        twist(n - 1, 0, m - 1);
        index_ = 0;
    }
    std::uint32_t y = state_[index_++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= y >> 18;
    return y;
}

double Random::random()
{
    const std::uint32_t a = next_uint32() >> 5;
    const std::uint32_t b = next_uint32() >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

double Random::uniform(double a, double b)
{
    return a + (b - a) * random();
}

} // namespace poolscope::py
