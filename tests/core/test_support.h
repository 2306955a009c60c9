#pragma once

// Shared by the core tests: GoogleTest, the core, and a few synchronisation helpers. Tests never
// sleep to wait for a thread; they block on latches and futures with generous timeouts, and check
// order, counts and states, never durations.

#include <poolscope/futures.h>

#include <gtest/gtest.h>

#include <chrono>
#include <latch>
#include <mutex>
#include <string>
#include <vector>

namespace poolscope::testing {

using namespace std::chrono_literals;

/// Long enough that a healthy run never hits it on a loaded 2-core machine; a hang fails instead.
inline constexpr Duration generous = 60s;

/// A gate tasks block on until the test opens it.
class Gate {
public:
    void open() { latch_.count_down(); }
    void pass() const { latch_.wait(); }

private:
    mutable std::latch latch_ { 1 };
};

/// Captures what the core reports through the error handler while it lives.
class CapturedErrors {
public:
    CapturedErrors()
    {
        previous_ = set_error_handler([this](std::string_view message) {
            std::lock_guard lock(mutex_);
            messages_.emplace_back(message);
        });
    }
    ~CapturedErrors() { set_error_handler(std::move(previous_)); }
    std::vector<std::string> messages() const
    {
        std::lock_guard lock(mutex_);
        return messages_;
    }

private:
    ErrorHandler previous_;
    mutable std::mutex mutex_;
    std::vector<std::string> messages_;
};

} // namespace poolscope::testing
