// Viewport: the range shared by views, its zoom stack and extents, and that changes set from code
// are told apart from the user's so that linked views never feed each other.
#include <poolscope/timeline/viewport.h>

#include <gtest/gtest.h>

#include <utility>
#include <vector>

using poolscope::timeline::Viewport;
using Cause = Viewport::Cause;

namespace {

struct Heard {
    double start;
    double end;
    Cause cause;
};

class ViewportTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        viewport.setExtent(this, 0, 1e9);
        viewport.fit(Cause::Program);
        viewport.addListener([this](double s, double e, Cause c) { heard.push_back({ s, e, c }); });
    }
    Viewport viewport;
    std::vector<Heard> heard;
};

TEST_F(ViewportTest, fitShowsTheExtentWithMargins)
{
    EXPECT_DOUBLE_EQ(viewport.start(), -2e7);
    EXPECT_DOUBLE_EQ(viewport.end(), 1.02e9);
}

TEST_F(ViewportTest, setRangeNotifiesOnceWithItsCause)
{
    viewport.setRange(2e8, 1e8, Cause::User);
    ASSERT_EQ(heard.size(), 1u);
    EXPECT_DOUBLE_EQ(heard[0].start, 1e8);
    EXPECT_DOUBLE_EQ(heard[0].end, 2e8);
    EXPECT_EQ(heard[0].cause, Cause::User);
    viewport.setRange(3e8, 4e8, Cause::Program);
    ASSERT_EQ(heard.size(), 2u);
    EXPECT_EQ(heard[1].cause, Cause::Program);
}

TEST_F(ViewportTest, theSameRangeAgainNotifiesNoOne)
{
    viewport.setRange(1e8, 2e8, Cause::User);
    viewport.setRange(1e8, 2e8, Cause::User);
    viewport.fit(Cause::Program);
    viewport.fit(Cause::Program);
    EXPECT_EQ(heard.size(), 2u);
}

TEST_F(ViewportTest, zoomStackGoesBackInOrder)
{
    viewport.pushZoom();
    viewport.setRange(1e8, 5e8, Cause::User);
    viewport.pushZoom();
    viewport.pushZoom(); // the same range twice is one entry
    viewport.setRange(2e8, 3e8, Cause::User);
    EXPECT_EQ(viewport.zoomStackDepth(), 2u);
    ASSERT_TRUE(viewport.zoomBack(Cause::User));
    EXPECT_DOUBLE_EQ(viewport.start(), 1e8);
    EXPECT_DOUBLE_EQ(viewport.end(), 5e8);
    ASSERT_TRUE(viewport.zoomBack(Cause::User));
    EXPECT_DOUBLE_EQ(viewport.start(), -2e7);
    EXPECT_FALSE(viewport.zoomBack(Cause::User));
    EXPECT_EQ(heard.size(), 4u);
    EXPECT_FALSE(viewport.isFollowing());
}

TEST_F(ViewportTest, zoomStackIsBounded)
{
    for (int i = 0; i < 300; ++i) {
        viewport.pushZoom();
        viewport.setRange(i * 1e6, i * 1e6 + 5e5, Cause::User);
    }
    EXPECT_EQ(viewport.zoomStackDepth(), Viewport::maximumZoomStackDepth);
}

TEST_F(ViewportTest, rangeIsClampedToTheExtent)
{
    viewport.setRange(-5e9, 5e9, Cause::User);
    EXPECT_DOUBLE_EQ(viewport.start(), -2e7);
    EXPECT_DOUBLE_EQ(viewport.end(), 1.02e9);
}

// Runs of different length on one axis: the viewport keeps the union of its owners' extents.
TEST_F(ViewportTest, extentIsTheUnionOfTheRuns)
{
    const int longerRun = 0;
    viewport.setExtent(&longerRun, 0, 3e9);
    viewport.setRange(0, 3e9, Cause::User);
    EXPECT_DOUBLE_EQ(viewport.start(), 0);
    EXPECT_DOUBLE_EQ(viewport.end(), 3e9);
    const auto m = viewport.mapping(0, 300);
    EXPECT_DOUBLE_EQ(m.toPixel(1e9), 100); // where the shorter run ends
    viewport.removeExtent(&longerRun);
    EXPECT_DOUBLE_EQ(viewport.extentEnd(), 1e9);
    viewport.setRange(0, 3e9, Cause::User);
    EXPECT_DOUBLE_EQ(viewport.end(), 1.02e9);
}

TEST_F(ViewportTest, removedListenerHearsNothing)
{
    int calls = 0;
    const int id = viewport.addListener([&calls](double, double, Cause) { ++calls; });
    viewport.setRange(1e8, 2e8, Cause::User);
    viewport.removeListener(id);
    viewport.setRange(3e8, 4e8, Cause::User);
    EXPECT_EQ(calls, 1);
}

// Two views with viewports of their own, linked: a user zoom in one shows in the other once, as a
// Program change, and nothing comes back.
TEST(LinkedViewports, userChangeCrossesOnceAndDoesNotEcho)
{
    Viewport a;
    Viewport b;
    const int owner = 0;
    a.setExtent(&owner, 0, 1e9);
    b.setExtent(&owner, 0, 1e9);
    linkViewports(a, b);
    std::vector<Heard> onA;
    std::vector<Heard> onB;
    a.addListener([&onA](double s, double e, Cause c) { onA.push_back({ s, e, c }); });
    b.addListener([&onB](double s, double e, Cause c) { onB.push_back({ s, e, c }); });

    a.setRange(1e8, 2e8, Cause::User);
    ASSERT_EQ(onA.size(), 1u);
    ASSERT_EQ(onB.size(), 1u);
    EXPECT_EQ(onA[0].cause, Cause::User);
    EXPECT_EQ(onB[0].cause, Cause::Program);
    EXPECT_DOUBLE_EQ(b.start(), 1e8);
    EXPECT_DOUBLE_EQ(b.end(), 2e8);

    b.setRange(3e8, 4e8, Cause::User);
    EXPECT_EQ(onA.size(), 2u);
    EXPECT_EQ(onB.size(), 2u);
    EXPECT_EQ(onA[1].cause, Cause::Program);

    // Fitting new data in one (from code) stays in that one.
    a.fit(Cause::Program);
    EXPECT_EQ(onA.size(), 3u);
    EXPECT_EQ(onB.size(), 2u);
}

} // namespace
