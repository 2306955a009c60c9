// py::Random against CPython's random.Random: every expected value below was printed by Debian's
// python3 (3.11.2), bit for bit (repr() of a float round-trips), with
//
//   /usr/bin/python3 -c "
//   import random
//   for seed in [0, 1, 8, 42, -42, 2**32, 2**40 + 7, -(2**63), 2**64 + 1, 12345678901234567890123]:
//       r = random.Random(seed)
//       print(seed, [repr(r.random()) for _ in range(3)], repr(random.Random(seed).uniform(0.05, 0.25)))
//   r = random.Random(5); [r.random() for _ in range(1000)]; print(repr(r.random()))
//   r = random.Random(2**64 + 1); print(r.getrandbits(32), r.getrandbits(32))
//   print(random.Random(0).getrandbits(32))"

#include <poolscope/py_random.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace {

struct SeedRow {
    std::string name;
    std::vector<std::uint32_t> magnitude; // |seed| in 32-bit words, least significant first
    long long seed; // the same seed as a long long, where it fits
    bool fits;
    std::array<double, 3> randoms;
    double uniform; // random.Random(seed).uniform(0.05, 0.25)
};

void PrintTo(const SeedRow& row, std::ostream* os)
{
    *os << row.name;
}

class PyRandom : public ::testing::TestWithParam<SeedRow> { };

TEST_P(PyRandom, RandomAndUniformAreCPythonsToTheBit)
{
    const SeedRow& row = GetParam();
    poolscope::py::Random from_words(row.magnitude);
    for (double expected : row.randoms)
        EXPECT_EQ(from_words.random(), expected);
    EXPECT_EQ(poolscope::py::Random(row.magnitude).uniform(0.05, 0.25), row.uniform);
    if (row.fits) {
        poolscope::py::Random from_int(row.seed);
        for (double expected : row.randoms)
            EXPECT_EQ(from_int.random(), expected);
        EXPECT_EQ(poolscope::py::Random(row.seed).uniform(0.05, 0.25), row.uniform);
    }
}

INSTANTIATE_TEST_SUITE_P(Seeds, PyRandom,
    ::testing::Values(SeedRow { "zero", { 0 }, 0, true, { 0.8444218515250481, 0.7579544029403025, 0.420571580830845 },
                          0.21888437030500962 },
        SeedRow { "one", { 1 }, 1, true, { 0.13436424411240122, 0.8474337369372327, 0.763774618976614 },
            0.07687284882248024 },
        SeedRow { "eight", { 8 }, 8, true, { 0.2267058593810488, 0.9622950358343828, 0.12633089865085956 },
            0.09534117187620977 },
        SeedRow { "fortyTwo", { 42 }, 42, true, { 0.6394267984578837, 0.025010755222666936, 0.27502931836911926 },
            0.17788535969157676 },
        // CPython seeds with |n|: -42 is 42.
        SeedRow { "minusFortyTwo", { 42 }, -42, true, { 0.6394267984578837, 0.025010755222666936, 0.27502931836911926 },
            0.17788535969157676 },
        SeedRow { "twoToThe32_twoWords", { 0, 1 }, 4294967296LL, true,
            { 0.11299430095636409, 0.41782886486292836, 0.0166763664992291 }, 0.07259886019127282 },
        SeedRow { "twoToThe40Plus7", { 7, 256 }, 1099511627783LL, true,
            { 0.6137037779936511, 0.8149162973309487, 0.9450115087592873 }, 0.1727407555987302 },
        SeedRow { "mostNegativeLongLong", { 0, 0x80000000U }, -9223372036854775807LL - 1, true,
            { 0.5534639983914199, 0.9406144709090462, 0.24199432111690833 }, 0.16069279967828398 },
        SeedRow { "twoToThe64Plus1_threeWords", { 1, 0, 1 }, 0, false,
            { 0.10175875467846374, 0.7248101788369984, 0.2507269822084962 }, 0.07035175093569275 },
        SeedRow { "seventyFourBits", { 0x714244cbU, 0x42b64e76U, 0x29dU }, 0, false,
            { 0.15803717805068784, 0.9863365111874665, 0.13242015726274725 }, 0.08160743561013757 }),
    [](const ::testing::TestParamInfo<SeedRow>& p) { return p.param.name; });

TEST(PyRandomState, TheThousandAndFirstDrawCrossesSeveralTwists)
{
    poolscope::py::Random r(5);
    for (int i = 0; i < 1000; ++i)
        (void)r.random();
    EXPECT_EQ(r.random(), 0.8713187027692235);
}

TEST(PyRandomState, RawDrawsAreGetrandbits32)
{
    const std::array<std::uint32_t, 3> words { 1, 0, 1 };
    poolscope::py::Random r(words);
    EXPECT_EQ(r.next_uint32(), 437050517U);
    EXPECT_EQ(r.next_uint32(), 3681013637U);
    EXPECT_EQ(poolscope::py::Random(0).next_uint32(), 3626764237U);
}

TEST(PyRandomState, LeadingZeroWordsAndNoWordsDoNotChangeTheSeed)
{
    const std::array<std::uint32_t, 3> padded { 8, 0, 0 };
    EXPECT_EQ(poolscope::py::Random(padded).random(), 0.2267058593810488);
    EXPECT_EQ(poolscope::py::Random(std::span<const std::uint32_t> {}).random(), 0.8444218515250481);
}

TEST(PyRandomState, UniformWithBBelowAIsStillAPlusSpanTimesRandom)
{
    // random.Random(1).uniform(0.25, 0.05) == 0.25 + (0.05 - 0.25) * 0.13436424411240122
    EXPECT_EQ(poolscope::py::Random(1).uniform(0.25, 0.05), 0.25 + (0.05 - 0.25) * 0.13436424411240122);
}

} // namespace
