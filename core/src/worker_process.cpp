#include "worker_process.h"

#include "worker_loop.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace poolscope::detail {

namespace {
// multiprocessing numbers its processes across the whole program: SpawnProcess-1, -2, ...
std::atomic<int> process_counter { 0 };
} // namespace

int high_fd(int fd)
{
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
    const int err = errno;
    ::close(fd);
    errno = err;
    return moved;
}

WorkerProcess WorkerProcess::with_socket()
{
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        throw std::system_error(errno, std::generic_category(), "socketpair");
    const int child_end = high_fd(sv[1]);
    if (child_end < 0) {
        const int err = errno;
        ::close(sv[0]);
        throw std::system_error(err, std::generic_category(), "fcntl");
    }
    WorkerProcess process;
    process.fd_ = sv[0];
    process.child_fd_ = child_end;
    return process;
}

void WorkerProcess::start(StartMethod method, const std::string& executable, int call_queue_fd, int lane,
    const std::string& name, int max_tasks)
{
    pid_t pid = -1;
    if (method == StartMethod::spawn) {
        const std::string lane_arg = std::to_string(lane);
        const std::string parent = std::to_string(::getpid());
        const std::string max_tasks_arg = std::to_string(max_tasks);
        std::string exe = executable;
        std::string name_arg = name;
        std::vector<char*> argv { exe.data(), const_cast<char*>(worker_flag), const_cast<char*>("3"),
            const_cast<char*>("4"), const_cast<char*>(lane_arg.c_str()), name_arg.data(),
            const_cast<char*>(parent.c_str()), const_cast<char*>(max_tasks_arg.c_str()), nullptr };
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        // dup2 onto 3 and 4 clears close-on-exec there; every other descriptor of ours is CLOEXEC.
        posix_spawn_file_actions_adddup2(&actions, child_fd_, 3);
        posix_spawn_file_actions_adddup2(&actions, call_queue_fd, 4);
        const int rc = ::posix_spawn(&pid, executable.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) {
            ::close(fd_);
            ::close(child_fd_);
            fd_ = child_fd_ = -1;
            throw std::system_error(rc, std::generic_category(), "cannot start worker process " + executable);
        }
    } else {
        pid = ::fork();
        if (pid < 0) {
            const int err = errno;
            ::close(fd_);
            ::close(child_fd_);
            fd_ = child_fd_ = -1;
            throw std::system_error(err, std::generic_category(), "fork");
        }
        if (pid == 0) {
            // The child: only this thread exists now. Keep its two sockets as descriptors 3 and
            // 4 and nothing else of the parent's, so other workers' end-of-file stays theirs.
            ::dup2(child_fd_, 3);
            ::dup2(call_queue_fd, 4);
            ::close_range(5, ~0U, 0);
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            std::_Exit(worker_loop(3, 4, lane, name, 0, false));
        }
    }
    ::close(child_fd_);
    child_fd_ = -1;
    pid_ = pid;
}

std::string WorkerProcess::next_name(StartMethod method, std::atomic<int>* counter)
{
    return std::string(method == StartMethod::spawn ? "SpawnProcess-" : "ForkProcess-")
        + std::to_string(++(counter ? *counter : process_counter));
}

std::string WorkerProcess::describe_status(int status)
{
    if (WIFSIGNALED(status))
        return "killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
    if (WIFEXITED(status))
        return "exited with code " + std::to_string(WEXITSTATUS(status));
    return "ended";
}

void WorkerProcess::signal(int signal) const
{
    if (pid_ > 0)
        ::kill(pid_, signal);
}

int WorkerProcess::reap() const
{
    int status = 0;
    for (int i = 0; i < 200; ++i) {
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_ || (r < 0 && errno != EINTR))
            return status;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) { }
    return status;
}

void WorkerProcess::close_socket()
{
    if (fd_ >= 0)
        ::close(fd_);
    fd_ = -1;
}

} // namespace poolscope::detail
