#include "manager_thread.h"

#include <cerrno>
#include <cstdint>
#include <system_error>
#include <utility>

#include <sys/eventfd.h>
#include <unistd.h>

namespace poolscope::detail {

ManagerThread::ManagerThread()
    : wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
    if (wake_fd_ < 0)
        throw std::system_error(errno, std::generic_category(), "process pool: cannot create its descriptors");
}

ManagerThread::~ManagerThread()
{
    if (thread_.joinable())
        thread_.detach();
    ::close(wake_fd_);
}

void ManagerThread::start(std::function<void()> body)
{
    thread_ = std::thread([this, body = std::move(body)] {
        id_.store(std::this_thread::get_id(), std::memory_order_release);
        body();
    });
}

void ManagerThread::join()
{
    std::lock_guard join_lock(join_mutex_);
    if (!thread_.joinable() || thread_.get_id() == std::this_thread::get_id())
        return;
    thread_.join();
}

void ManagerThread::wake() noexcept
{
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
}

void ManagerThread::drain() noexcept
{
    std::uint64_t count;
    [[maybe_unused]] auto r = ::read(wake_fd_, &count, sizeof count);
}

} // namespace poolscope::detail
