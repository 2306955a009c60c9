#pragma once

// What the timeline's timing programs share: medians, elapsed milliseconds and `--name N` options.

#include <QElapsedTimer>
#include <QStringList>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace poolscope::timeline_bench {

inline double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

inline double msSince(const QElapsedTimer& t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

/// The number after `name` among `args` ("--tasks 1000"), or `fallback`.
inline long long option(const QStringList& args, const char* name, long long fallback)
{
    const qsizetype i = args.indexOf(QLatin1String(name));
    return i >= 0 && i + 1 < args.size() ? args[i + 1].toLongLong() : fallback;
}

/// The options every timeline timing program takes: --tasks N, --lanes L (16), --repeat R (15, at
/// least 3).
struct RunOptions {
    std::uint64_t tasks = 0;
    int lanes = 16;
    int repeat = 15;
};

inline RunOptions runOptions(const QStringList& args, std::uint64_t defaultTasks)
{
    return RunOptions { static_cast<std::uint64_t>(option(args, "--tasks", static_cast<long long>(defaultTasks))),
        static_cast<int>(option(args, "--lanes", 16)), std::max(3, static_cast<int>(option(args, "--repeat", 15))) };
}

} // namespace poolscope::timeline_bench
