#pragma once

#include <gtest/gtest.h>

#include <string>

namespace poolscope::timeline_test {

/// Names a GoogleTest parameterised row after its case's `name` member, so that a failure says which
/// row (`TimelineMapping/ZoomAt.keepsTheCursorTime/zoomOutPastEverything_clampsToFit`).
template <class Case> std::string caseName(const ::testing::TestParamInfo<Case>& row)
{
    return row.param.name;
}

} // namespace poolscope::timeline_test
