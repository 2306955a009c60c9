// Placeholder until the interpreter lock lands: a Hold does nothing yet.
#include <poolscope/interpreter_lock.h>

namespace poolscope {

class InterpreterLock::Impl {
public:
    Duration interval;
};

InterpreterLock::InterpreterLock()
    : InterpreterLock(InterpreterLockOptions {})
{
}
InterpreterLock::InterpreterLock(InterpreterLockOptions options)
    : impl_(std::make_unique<Impl>(Impl { options.switch_interval }))
{
}
InterpreterLock::~InterpreterLock() = default;
void InterpreterLock::set_switch_interval(Duration interval)
{
    impl_->interval = interval;
}
Duration InterpreterLock::switch_interval() const
{
    return impl_->interval;
}
InterpreterLock::Hold::Hold(InterpreterLock&, EventLog*, int, std::uint64_t) { }
InterpreterLock::Hold::~Hold() = default;

} // namespace poolscope
