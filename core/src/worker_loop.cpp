#include "worker_loop.h"

#include "wire.h"

#include <poolscope/process_worker.h>
#include <poolscope/task_registry.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <typeinfo>

#include <sys/prctl.h>
#include <unistd.h>

namespace poolscope {

namespace detail {

namespace {
struct Failure {
    std::string type;
    std::string message;
};

// The dynamic type and message of the exception being handled.
Failure describe_current()
{
    try {
        throw;
    } catch (const std::exception& e) {
        return { codec::type_name(typeid(e)), e.what() };
    } catch (...) {
        return { "unknown", "an exception that is not a std::exception" };
    }
}

// Tells the parent this worker leaves on purpose, so its end of file does not break the pool.
void say_goodbye(int fd, std::string_view reason)
{
    std::string bye;
    codec::Writer w(bye);
    w.put_i64(wire::steady_now_ns());
    w.put_bytes(reason);
    wire::send_frame(fd, wire::Message::exiting, bye);
}

std::string call(const std::string& function, std::string_view args)
{
    const TaskInvoker* invoker = find_task(function);
    if (!invoker)
        throw SerializationError("no task function named '" + function + "' is registered in the worker");
    return (*invoker)(args);
}
} // namespace

int worker_loop(int fd, int lane, const std::string& name, int max_tasks)
{
    std::string ready;
    {
        codec::Writer w(ready);
        w.put_i64(::getpid());
        w.put_i64(wire::steady_now_ns());
    }
    if (!wire::send_frame(fd, wire::Message::ready, ready))
        return 0;

    int done = 0;
    for (;;) {
        std::optional<wire::Frame> frame;
        try {
            frame = wire::read_frame(fd);
        } catch (const SerializationError&) {
            return 3;
        }
        if (!frame)
            return 0; // the parent is gone: nothing left to do for it
        if (frame->type == wire::Message::stop) {
            say_goodbye(fd, "shutdown");
            return 0;
        }
        if (frame->type != wire::Message::task)
            return 3;

        codec::Reader r(frame->payload);
        std::uint64_t task_id = 0;
        std::int64_t attempt = 0;
        std::string function;
        std::string reply;
        wire::Message reply_type = wire::Message::result;
        try {
            task_id = r.get_u64();
            attempt = r.get_i64();
            function = std::string(r.get_bytes());
            const std::size_t chunk = r.get_count();

            std::string started;
            codec::Writer sw(started);
            sw.put_u64(task_id);
            sw.put_i64(attempt);
            sw.put_i64(wire::steady_now_ns());
            if (!wire::send_frame(fd, wire::Message::started, started))
                return 0;

            std::string value;
            if (chunk == 0) {
                value = call(function, r.get_bytes());
            } else {
                // Python's _process_chunk: the whole chunk is one call that fails as one.
                std::vector<std::string> values;
                values.reserve(chunk);
                for (std::size_t i = 0; i < chunk; ++i)
                    values.push_back(call(function, r.get_bytes()));
                value = codec::encode(values);
            }
            codec::Writer w(reply);
            w.put_u64(task_id);
            w.put_i64(attempt);
            w.put_i64(wire::steady_now_ns());
            w.put_bytes(value);
        } catch (...) {
            const Failure failure = describe_current();
            reply.clear();
            reply_type = wire::Message::error;
            codec::Writer w(reply);
            w.put_u64(task_id);
            w.put_i64(attempt);
            w.put_i64(wire::steady_now_ns());
            w.put_bytes(failure.type);
            w.put_bytes(failure.message);
            w.put_bytes("Traceback (in worker process " + name + ", pid " + std::to_string(::getpid()) + ", lane "
                + std::to_string(lane) + "):\n  task " + std::to_string(task_id) + " attempt " + std::to_string(attempt)
                + ", calling " + (function.empty() ? std::string("?") : function) + "\n" + failure.type + ": "
                + failure.message);
        }
        if (!wire::send_frame(fd, reply_type, reply))
            return 0;

        if (max_tasks > 0 && ++done >= max_tasks) {
            say_goodbye(fd, "max_tasks_per_child");
            return 0;
        }
    }
}

} // namespace detail

void run_worker_if_spawned(int argc, char** argv)
{
    if (argc < 7 || std::strcmp(argv[1], detail::worker_flag) != 0)
        return;
    const int fd = std::atoi(argv[2]);
    const int lane = std::atoi(argv[3]);
    const std::string name = argv[4];
    const pid_t parent = static_cast<pid_t>(std::atol(argv[5]));
    const int max_tasks = std::atoi(argv[6]);
    // Never outlive the parent, even if it is killed before it can stop us; the getppid() check
    // closes the window in which the parent died before prctl() took effect.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
        std::_Exit(1);
    const int status = detail::worker_loop(fd, lane, name, max_tasks);
    // No static destructors or atexit handlers: they belong to the parent's program, not to us.
    std::_Exit(status);
}

} // namespace poolscope
