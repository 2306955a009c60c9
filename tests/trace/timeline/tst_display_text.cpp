// rounded_for_display(): bar labels round long decimals for the eye and leave everything else alone.
#include <poolscope/timeline/display_text.h>

#include "case_name.h"

#include <gtest/gtest.h>

using namespace poolscope::timeline;

namespace {

struct TextCase {
    const char* name;
    const char* text;
    const char* shown;
};

class DisplayText : public ::testing::TestWithParam<TextCase> { };

TEST_P(DisplayText, roundsOnlyLongDecimals)
{
    EXPECT_EQ(rounded_for_display(GetParam().text), GetParam().shown);
}

INSTANTIATE_TEST_SUITE_P(RoundedForDisplay, DisplayText,
    ::testing::Values(TextCase { "floatNoise", "(0.15000000000000002,)", "(0.15,)" },
        TextCase { "roundsUp", "(0.30000000000000004, 2)", "(0.3, 2)" },
        TextCase { "fourDecimalsKept", "(0.1234,)", "(0.1234,)" },
        TextCase { "fiveDecimalsRounded", "(0.43047157, 1.000049)", "(0.4305, 1.0)" },
        TextCase { "negative", "(-2.718281828,)", "(-2.7183,)" },
        TextCase { "tinyKeepsThreeDigits", "(0.0000123456,)", "(0.0000123,)" },
        TextCase { "integersUntouched", "(123456789, 7)", "(123456789, 7)" },
        TextCase { "exponentUntouched", "(1.234567e-05,)", "(1.234567e-05,)" },
        TextCase { "namesUntouched", "ThreadPoolExecutor-0_1 v2.123456", "ThreadPoolExecutor-0_1 v2.123456" },
        TextCase { "versionLikeUntouched", "3.11.123456", "3.11.123456" },
        TextCase { "empty", "", "" }),
    poolscope::timeline_test::caseName<TextCase>);

} // namespace
