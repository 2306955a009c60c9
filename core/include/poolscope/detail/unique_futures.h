#pragma once

#include <poolscope/future.h>

#include <unordered_set>
#include <vector>

namespace poolscope::detail {

/// The distinct futures of fs, in first-seen order (Python builds a set; we keep a stable order).
template <class T> std::vector<Future<T>> unique_futures(const std::vector<Future<T>>& fs)
{
    std::vector<Future<T>> out;
    out.reserve(fs.size());
    std::unordered_set<Future<T>> seen;
    seen.reserve(fs.size());
    for (const auto& f : fs) {
        if (seen.insert(f).second)
            out.push_back(f);
    }
    return out;
}

template <class T> std::vector<FutureCore*> cores_of(const std::vector<Future<T>>& fs)
{
    std::vector<FutureCore*> out;
    out.reserve(fs.size());
    for (const auto& f : fs)
        out.push_back(state_of(f).get());
    return out;
}

} // namespace poolscope::detail
