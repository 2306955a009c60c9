// Placeholder: replaced by the interpreter lock's tests.
#include <poolscope/interpreter_lock.h>

#include <gtest/gtest.h>

TEST(InterpreterLock, KeepsItsSwitchInterval)
{
    poolscope::InterpreterLock lock({ .switch_interval = poolscope::Duration(0.01) });
    EXPECT_EQ(lock.switch_interval(), poolscope::Duration(0.01));
}
