#pragma once

#include <cstddef>
#include <iterator>
#include <optional>

namespace poolscope::detail {

/// The input iterator of a range that hands out its elements one at a time through
/// `std::optional<V> Owner::next()`, nothing meaning the end: MapResult and AsCompleted. The
/// iterator holds the current element; what next() throws comes out of begin() and of ++.
template <class Owner, class V> class NextIterator {
public:
    using value_type = V;
    using difference_type = std::ptrdiff_t;
    using iterator_concept = std::input_iterator_tag;

    NextIterator() = default;
    const V& operator*() const { return *current_; }
    const V* operator->() const { return &*current_; }
    NextIterator& operator++()
    {
        current_ = owner_->next();
        return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const NextIterator& it, std::default_sentinel_t) { return !it.current_; }

private:
    friend Owner; // begin() makes the first one
    explicit NextIterator(Owner* owner)
        : owner_(owner)
        , current_(owner->next())
    {
    }
    Owner* owner_ = nullptr;
    std::optional<V> current_;
};

} // namespace poolscope::detail
