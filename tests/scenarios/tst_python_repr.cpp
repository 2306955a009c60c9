// repr(): what Python's print() shows, for the values scenarios print.

#include "scenarios/python_repr.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <utility>
#include <vector>

using namespace poolscope::scenarios;

namespace {

TEST(Repr, FormatsLikePythonPrint)
{
    EXPECT_EQ(repr(true), "True");
    EXPECT_EQ(repr(false), "False");
    EXPECT_EQ(repr(-12), "-12");
    EXPECT_EQ(repr(std::string("a")), "'a'");
    EXPECT_EQ(repr(std::string("it's")), "\"it's\"");
    EXPECT_EQ(repr(std::string("say \"hi\" it's")), R"('say "hi" it\'s')");
    EXPECT_EQ(repr(std::vector<int> {}), "[]");
    EXPECT_EQ(repr(std::vector<long long> { 1, 2 }), "[1, 2]");
    EXPECT_EQ(repr(std::pair { true, std::vector<std::string> { "p", "q" } }), "(True, ['p', 'q'])");
}

// Expected values printed by python3: for v in [...]: print(repr(v)); and f"{v:.0f}".
TEST(ReprFloat, ShortestRoundTripInCPythonsLayout)
{
    EXPECT_EQ(repr(0.1), "0.1");
    EXPECT_EQ(repr(2.0), "2.0");
    EXPECT_EQ(repr(60.0), "60.0");
    EXPECT_EQ(repr(0.0), "0.0");
    EXPECT_EQ(repr(-0.25), "-0.25");
    EXPECT_EQ(repr(0.0001), "0.0001");
    EXPECT_EQ(repr(1e-05), "1e-05");
    EXPECT_EQ(repr(1.5e16), "1.5e+16");
    EXPECT_EQ(repr(1e16), "1e+16");
    EXPECT_EQ(repr(9999999999999998.0), "9999999999999998.0");
    EXPECT_EQ(repr(123456789012345678.0), "1.2345678901234568e+17");
    EXPECT_EQ(repr(0.07687284882248024), "0.07687284882248024");
    EXPECT_EQ(repr(std::tuple { 3, 0.5, std::string("x") }), "(3, 0.5, 'x')");
}

TEST(FormatFixed, RoundsHalfToEvenOnTheBinaryValue)
{
    EXPECT_EQ(format_fixed(2.5, 0), "2");
    EXPECT_EQ(format_fixed(3.5, 0), "4");
    EXPECT_EQ(format_fixed(9.4999, 0), "9");
    EXPECT_EQ(format_fixed(952.6, 0), "953");
    EXPECT_EQ(format_fixed(0.125, 2), "0.12");
}

} // namespace
