#pragma once

#include <poolscope/codec.h>
#include <poolscope/detail/format_args.h>
#include <poolscope/detail/submission.h>
#include <poolscope/duration.h>
#include <poolscope/errors.h>
#include <poolscope/future.h>
#include <poolscope/map_result.h>
#include <poolscope/task_identity.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <ranges>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace poolscope::detail {

/// ProcessPoolExecutor::map(): peels the optional chunksize() and timeout() tags off the end of the
/// arguments, then submits one call per item, or with chunksize(n) one Submission per n items whose
/// answer completes the items' futures. A friend of the pool (Pool is always ProcessPoolExecutor;
/// a template only so that this header needs no definition of it).
struct ProcessMap {
    template <class Pool, class R, class... P, class... Args> static auto map(Pool& pool, R (*fn)(P...), Args&&... args)
    {
        auto all = std::forward_as_tuple(std::forward<Args>(args)...);
        return parse_timeout(pool, fn, all, std::make_index_sequence<sizeof...(Args)> {});
    }

private:
    template <class Pool, class R, class... P, class Tuple, std::size_t... I>
    static auto parse_timeout(Pool& pool, R (*fn)(P...), Tuple& all, std::index_sequence<I...>)
    {
        constexpr std::size_t n = sizeof...(I);
        if constexpr (n > 0) {
            using Last = std::remove_cvref_t<std::tuple_element_t<n - 1, Tuple>>;
            if constexpr (std::is_same_v<Last, Timeout>) {
                auto rest = std::forward_as_tuple(std::get<I>(all)...);
                return parse_chunksize(pool, fn, rest, std::optional<Duration>(std::get<n - 1>(all).value),
                    std::make_index_sequence<n - 1> {});
            } else {
                return parse_chunksize(pool, fn, all, std::optional<Duration> {}, std::make_index_sequence<n> {});
            }
        } else {
            static_assert(n > 0, "map() needs at least one range");
        }
    }

    template <class Pool, class R, class... P, class Tuple, std::size_t... I>
    static auto parse_chunksize(
        Pool& pool, R (*fn)(P...), Tuple& all, std::optional<Duration> timeout, std::index_sequence<I...>)
    {
        constexpr std::size_t n = sizeof...(I);
        if constexpr (n > 0 && std::is_same_v<std::remove_cvref_t<std::tuple_element_t<n - 1, Tuple>>, Chunksize>) {
            return map_ranges(pool, fn, all, std::get<n - 1>(all).value, timeout, std::make_index_sequence<n - 1> {});
        } else {
            return map_ranges(pool, fn, all, 1, timeout, std::make_index_sequence<n> {});
        }
    }

    template <class Pool, class R, class... P, class Tuple, std::size_t... I>
    static MapResult<R> map_ranges(
        Pool& pool, R (*fn)(P...), Tuple& ranges, int chunk, std::optional<Duration> timeout, std::index_sequence<I...>)
    {
        static_assert(sizeof...(I) > 0, "map() needs at least one range");
        static_assert(sizeof...(I) == sizeof...(P), "map() needs one range per parameter of the task function");
        if (chunk < 1)
            throw std::invalid_argument("chunksize must be >= 1");
        const Deadline deadline = deadline_after(timeout);
        std::vector<Future<R>> futures;
        auto its = std::make_tuple(std::ranges::begin(std::get<I>(ranges))...);
        const auto ends = std::make_tuple(std::ranges::end(std::get<I>(ranges))...);
        if (chunk == 1) {
            while (((std::get<I>(its) != std::get<I>(ends)) && ...)) {
                futures.push_back(pool.submit(fn, *std::get<I>(its)...));
                (++std::get<I>(its), ...);
            }
            return MapResult<R>(std::move(futures), deadline);
        }
        while (((std::get<I>(its) != std::get<I>(ends)) && ...)) {
            std::vector<Future<R>> items;
            Submission s;
            s.identity = TaskIdentity { pool.next_task_id(), 0 };
            s.chunk = true;
            std::string label;
            while (static_cast<int>(items.size()) < chunk && ((std::get<I>(its) != std::get<I>(ends)) && ...)) {
                items.emplace_back();
                if (pool.events()) {
                    if (!label.empty())
                        label += ' ';
                    label += format_args(*std::get<I>(its)...);
                }
                try {
                    s.chunk_args.push_back(codec::encode(std::tuple<std::remove_cvref_t<P>...>(*std::get<I>(its)...)));
                } catch (const SerializationError&) {
                    s.error = std::current_exception();
                }
                (++std::get<I>(its), ...);
            }
            s.label = "chunk of " + std::to_string(items.size()) + ": " + label;
            try {
                s.function = task_function_name(fn);
            } catch (const SerializationError&) {
                s.error = std::current_exception();
            }
            auto chunk_state = std::make_shared<SharedState<void>>(pool.events(), s.identity.task_id, 0);
            s.core = chunk_state;
            s.complete = [chunk_state, items](std::string_view bytes) mutable {
                std::vector<R> values;
                try {
                    auto blobs = codec::decode<std::vector<std::string>>(bytes);
                    if (blobs.size() != items.size())
                        throw SerializationError("damaged data: a chunk came back with the wrong number of results");
                    for (const auto& blob : blobs)
                        values.push_back(codec::decode<R>(blob));
                } catch (const SerializationError&) {
                    chunk_state->set_exception(std::current_exception());
                    return;
                }
                chunk_state->set_value_with([] {});
                for (std::size_t k = 0; k < items.size(); ++k) {
                    try {
                        items[k].set_result(std::move(values[k]));
                    } catch (const InvalidStateError&) {
                        // cancelled by its reader meanwhile: nobody wants this value
                    }
                }
            };
            // A chunk that fails or is cancelled takes every item with it; an item whose result is
            // no longer wanted cancels the chunk while that is still possible.
            Future<void>(chunk_state).add_done_callback([items](Future<void> f) mutable {
                if (f.cancelled()) {
                    for (auto& item : items)
                        item.cancel_for_cleanup();
                } else if (auto error = f.exception(); error) {
                    for (auto& item : items) {
                        try {
                            item.set_exception(error);
                        } catch (const InvalidStateError&) {
                            // cancelled by its reader meanwhile
                        }
                    }
                }
            }, untraced);
            for (auto& item : items) {
                item.add_done_callback(
                    [chunk_future = Future<void>(chunk_state)](Future<R> f) mutable {
                        if (f.cancelled())
                            chunk_future.cancel_for_cleanup();
                    },
                    untraced);
                futures.push_back(item);
            }
            pool.enqueue(std::move(s));
        }
        return MapResult<R>(std::move(futures), deadline);
    }
};

} // namespace poolscope::detail
