#include "worker_loop.h"

#include "start_herald.h"
#include "wire.h"

#include <poolscope/process_worker.h>
#include <poolscope/task_registry.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
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

// How long an idle worker polls the call queue before it sleeps in recv(). Long enough to cover a
// hand-off from the submitting thread (a few microseconds) and the parent's turn-around between
// two calls; short enough that an idle pool stops burning its cores almost at once.
constexpr std::chrono::microseconds call_spin { 100 };

// A call that runs longer than this has its start sent ahead of its answer (see StartHerald).
constexpr std::chrono::milliseconds herald_after { 1 };

std::string call(const std::string& function, std::string_view args)
{
    const TaskInvoker* invoker = find_task(function);
    if (!invoker)
        throw SerializationError("no task function named '" + function + "' is registered in the worker");
    return (*invoker)(args);
}
} // namespace

int worker_loop(int fd, int call_fd, int lane, const std::string& name, int max_tasks, bool herald_thread)
{
    std::string ready;
    {
        codec::Writer w(ready);
        w.put_i64(::getpid());
        w.put_i64(wire::steady_now_ns());
    }
    if (!wire::send_frame(fd, wire::Message::ready, ready))
        return 0;

    // Sends a long call's start ahead of its answer; see StartHerald. Not in a forked worker: a
    // copy of a multi-threaded process may not start threads, so there every start goes ahead.
    const auto send_started = [fd](std::uint64_t seq, std::int64_t start_ns) {
        std::string started;
        codec::Writer w(started);
        w.put_u64(seq);
        w.put_i64(start_ns);
        return wire::send_frame(fd, wire::Message::started, started); // a parent that is gone shows later
    };
    std::optional<StartHerald> herald;
    if (herald_thread)
        herald.emplace([&](std::uint64_t seq, std::int64_t start_ns) { send_started(seq, start_ns); }, herald_after);

    int done = 0;
    for (;;) {
        std::optional<wire::Frame> frame;
        try {
            frame = wire::receive_call(call_fd, call_spin);
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
        std::uint64_t seq = 0;
        std::uint64_t task_id = 0;
        std::int64_t attempt = 0;
        std::string function;
        std::string value;
        std::optional<Failure> failure;
        std::int64_t start_ns = wire::steady_now_ns();
        bool begun = false;
        try {
            seq = r.get_u64();
            task_id = r.get_u64();
            attempt = r.get_i64();
            function = std::string(r.get_bytes());
            const std::size_t chunk = r.get_count();
            start_ns = wire::steady_now_ns();
            if (herald)
                herald->begin(seq, start_ns);
            else if (!send_started(seq, start_ns))
                return 0;
            begun = true;
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
        } catch (...) {
            failure = describe_current();
        }
        const bool start_sent = begun && (!herald || herald->end());

        std::string reply;
        codec::Writer w(reply);
        w.put_u64(seq);
        w.put_i64(start_sent ? 0 : start_ns);
        w.put_i64(wire::steady_now_ns());
        if (!failure) {
            w.put_bytes(value);
        } else {
            w.put_bytes(failure->type);
            w.put_bytes(failure->message);
            w.put_bytes("Traceback (in worker process " + name + ", pid " + std::to_string(::getpid()) + ", lane "
                + std::to_string(lane) + "):\n  task " + std::to_string(task_id) + " attempt " + std::to_string(attempt)
                + ", calling " + (function.empty() ? std::string("?") : function) + "\n" + failure->type + ": "
                + failure->message);
        }
        if (!wire::send_frame(fd, failure ? wire::Message::error : wire::Message::result, reply))
            return 0;

        // Leaves before taking another call from the shared queue, so no call is stranded here.
        if (max_tasks > 0 && ++done >= max_tasks) {
            say_goodbye(fd, "max_tasks_per_child");
            return 0;
        }
    }
}

} // namespace detail

void run_worker_if_spawned(int argc, char** argv)
{
    if (argc < 8 || std::strcmp(argv[1], detail::worker_flag) != 0)
        return;
    const int fd = std::atoi(argv[2]);
    const int call_fd = std::atoi(argv[3]);
    const int lane = std::atoi(argv[4]);
    const std::string name = argv[5];
    const pid_t parent = static_cast<pid_t>(std::atol(argv[6]));
    const int max_tasks = std::atoi(argv[7]);
    // Never outlive the parent, even if it is killed before it can stop us; the getppid() check
    // closes the window in which the parent died before prctl() took effect.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
        std::_Exit(1);
    const int status = detail::worker_loop(fd, call_fd, lane, name, max_tasks, true);
    // No static destructors or atexit handlers: they belong to the parent's program, not to us.
    std::_Exit(status);
}

} // namespace poolscope
