// The scenario tests' main(): process-pool scenarios start their workers by running this program
// again, so it must first let such a worker take over (Python's `if __name__ == "__main__":`).

#include <poolscope/process_worker.h>

#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    poolscope::run_worker_if_spawned(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
