#pragma once

#include "scenarios/scenario.h"

#include <vector>

namespace poolscope::scenarios {

/// Exercise 7: counts primes below four limits on a thread pool and on a process pool, and compares the wall times:
/// under the emulated interpreter lock the threads take turns, the processes run in parallel.
class CpuBoundScenario : public Scenario {
public:
    CpuBoundScenario();

    const ScenarioInfo& info() const noexcept override { return info_; }
    std::string_view explanation() const noexcept override;
    const std::vector<Parameter>& parameters() const noexcept override { return parameters_; }
    std::string_view python_listing() const noexcept override;
    std::string_view cpp_listing() const noexcept override;
    void run(RunContext& context) const override;
    std::string check(const ParameterValues& params, const std::vector<std::string>& output) const override;

private:
    const ScenarioInfo& info_;
    std::vector<Parameter> parameters_;
};

} // namespace poolscope::scenarios
