// Placeholder until the interpreter lock lands.
#include <poolscope/py.h>

#include <thread>

namespace poolscope::py {

void tick() { }
void sleep(Duration d)
{
    std::this_thread::sleep_for(d);
}
bool holds_gil() noexcept
{
    return false;
}
ReleaseGil::ReleaseGil() = default;
ReleaseGil::~ReleaseGil() = default;

} // namespace poolscope::py
