// repr(): what Python's print() shows, for the values scenarios print.

#include "scenarios/python_repr.h"

#include <gtest/gtest.h>

#include <string>
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

} // namespace
