#include "test_support.h"

TEST(Placeholder, Builds) { SUCCEED(); }
