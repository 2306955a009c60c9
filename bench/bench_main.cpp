// main() of poolscope_bench. Not BENCHMARK_MAIN(): a ProcessPoolExecutor with the spawn start method
// starts its workers by running this program again, so run_worker_if_spawned() must come first,
// before Google Benchmark sees (and rejects) the worker's arguments.

#include "bench_common.h"

#include <poolscope/process_worker.h>

#include <benchmark/benchmark.h>

#include <string>
#include <thread>

int main(int argc, char** argv)
{
    poolscope::run_worker_if_spawned(argc, argv);

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;

    // For summarize.py: exercise 7's target is 0.8 x min(workers, cores), the cores counted here.
    benchmark::AddCustomContext("hardware_concurrency", std::to_string(std::thread::hardware_concurrency()));
    benchmark::AddCustomContext("pool_workers", std::to_string(poolscope_bench::worker_count));
    std::string limits;
    for (int limit : poolscope_bench::prime_limits) {
        if (!limits.empty())
            limits += ',';
        limits += std::to_string(limit);
    }
    benchmark::AddCustomContext("prime_limits", limits);

    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
