#include <poolscope/task_registry.h>

#include <map>
#include <mutex>
#include <unordered_map>

namespace poolscope {

namespace {
struct Registry {
    std::mutex mutex;
    std::map<std::string, detail::TaskInvoker, std::less<>> by_name;
    std::unordered_map<std::uintptr_t, std::string> by_function;
};

// A function-local static, so registrations from other files' static initialisers find it built.
Registry& registry()
{
    static Registry instance;
    return instance;
}
} // namespace

bool detail::register_invoker(std::string name, std::uintptr_t key, TaskInvoker invoker)
{
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    if (r.by_name.contains(name))
        return false;
    r.by_function.emplace(key, name);
    r.by_name.emplace(std::move(name), std::move(invoker));
    return true;
}

std::optional<std::string> registered_task_name(std::uintptr_t key)
{
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.by_function.find(key);
    if (it == r.by_function.end())
        return std::nullopt;
    return it->second;
}

const detail::TaskInvoker* find_task(std::string_view name)
{
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.by_name.find(name);
    // Entries are never removed, so the pointer stays valid after the lock is gone.
    return it == r.by_name.end() ? nullptr : &it->second;
}

} // namespace poolscope
