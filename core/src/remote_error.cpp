#include <poolscope/errors.h>
#include <poolscope/remote_error.h>

#include <map>
#include <mutex>

namespace poolscope {

namespace {
struct Factories {
    std::mutex mutex;
    std::map<std::string, detail::RemoteFactory, std::less<>> by_name;
};

template <class E> detail::RemoteFactory factory_for()
{
    return [](const std::string& message, std::string traceback) {
        return std::make_exception_ptr(RemoteException<E>(message, std::move(traceback)));
    };
}

Factories& factories()
{
    static Factories instance;
    static const bool filled = [] {
        auto& f = instance;
        f.by_name.emplace("std::runtime_error", factory_for<std::runtime_error>());
        f.by_name.emplace("std::logic_error", factory_for<std::logic_error>());
        f.by_name.emplace("std::invalid_argument", factory_for<std::invalid_argument>());
        f.by_name.emplace("std::domain_error", factory_for<std::domain_error>());
        f.by_name.emplace("std::length_error", factory_for<std::length_error>());
        f.by_name.emplace("std::out_of_range", factory_for<std::out_of_range>());
        f.by_name.emplace("std::range_error", factory_for<std::range_error>());
        f.by_name.emplace("std::overflow_error", factory_for<std::overflow_error>());
        f.by_name.emplace("std::underflow_error", factory_for<std::underflow_error>());
        f.by_name.emplace("poolscope::TimeoutError", factory_for<TimeoutError>());
        f.by_name.emplace("poolscope::CancelledError", factory_for<CancelledError>());
        f.by_name.emplace("poolscope::InvalidStateError", factory_for<InvalidStateError>());
        f.by_name.emplace("poolscope::SerializationError", factory_for<SerializationError>());
        return true;
    }();
    (void)filled;
    return instance;
}
} // namespace

void detail::register_remote_exception(std::string type_name, RemoteFactory factory)
{
    auto& f = factories();
    std::lock_guard lock(f.mutex);
    f.by_name.insert_or_assign(std::move(type_name), std::move(factory));
}

std::exception_ptr make_remote_exception(
    const std::string& type_name, const std::string& message, const std::string& traceback)
{
    auto& f = factories();
    detail::RemoteFactory factory;
    {
        std::lock_guard lock(f.mutex);
        if (auto it = f.by_name.find(type_name); it != f.by_name.end())
            factory = it->second;
    }
    if (factory)
        return factory(message, traceback);
    return std::make_exception_ptr(RemoteError(type_name, message, traceback));
}

} // namespace poolscope
