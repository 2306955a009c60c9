#pragma once

// Exceptions that cross from a worker process to the parent. The parent rethrows the same kind of
// error the task threw (std::invalid_argument stays std::invalid_argument, with its message), and
// attaches the worker-side context, as Python attaches the worker's traceback as __cause__.

#include <exception>
#include <functional>
#include <stdexcept>
#include <string>

namespace poolscope {

/// The worker-side context of an exception that came from a worker process. Find it with
/// remote_traceback(e).
class RemoteTraceback {
public:
    explicit RemoteTraceback(std::string text)
        : text_(std::move(text))
    {
    }
    virtual ~RemoteTraceback() = default;
    /// Where it was thrown: worker name and pid, task, and the original type and message.
    const std::string& traceback() const noexcept { return text_; }

private:
    std::string text_;
};

/// A rebuilt exception: the original type E plus the worker-side context.
template <class E> class RemoteException : public E, public RemoteTraceback {
public:
    RemoteException(const std::string& message, std::string traceback)
        : E(message)
        , RemoteTraceback(std::move(traceback))
    {
    }
};

/// An exception whose type the parent cannot rebuild (not a standard one, not registered): keeps
/// the original type's name.
class RemoteError : public std::runtime_error, public RemoteTraceback {
public:
    RemoteError(std::string type_name, const std::string& message, std::string traceback)
        : std::runtime_error(message)
        , RemoteTraceback(std::move(traceback))
        , type_name_(std::move(type_name))
    {
    }
    /// The type the task threw, as the worker named it ("MyError").
    const std::string& type_name() const noexcept { return type_name_; }

private:
    std::string type_name_;
};

/// The worker-side context of e, or null if e did not come from a worker process.
inline const RemoteTraceback* remote_traceback(const std::exception& e) noexcept
{
    return dynamic_cast<const RemoteTraceback*>(&e);
}

namespace detail {
using RemoteFactory = std::function<std::exception_ptr(const std::string& message, std::string traceback)>;
void register_remote_exception(std::string type_name, RemoteFactory factory);
} // namespace detail

/// Lets the parent rebuild E (constructible from a message string) when a worker throws it.
/// The standard exception types and poolscope's own are known already. Any thread.
template <class E> void register_remote_exception(std::string type_name)
{
    detail::register_remote_exception(std::move(type_name), [](const std::string& message, std::string traceback) {
        return std::make_exception_ptr(RemoteException<E>(message, std::move(traceback)));
    });
}

/// The exception to hand to the parent's future for an error a worker reported.
std::exception_ptr make_remote_exception(
    const std::string& type_name, const std::string& message, const std::string& traceback);

} // namespace poolscope
