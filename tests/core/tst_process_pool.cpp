// Behaviours 33 and 45-51 (ProcessPoolExecutor), the codec, and the fault tests: a worker killed
// mid-task, a worker that exits, and a parent that vanishes without shutting its pool down.
//
// This program is its own worker: main() starts with run_worker_if_spawned(), as every program
// using a process pool must.

#include "test_support.h"

#include <poolscope/codec.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace poolscope;
using namespace poolscope::testing;

namespace {

// ---- task functions, registered by name as Python pickles them by qualified name

int square(int x)
{
    return x * x;
}
POOLSCOPE_TASK(square);

int bad_value_on(int x)
{
    if (x % 3 == 0)
        throw std::invalid_argument("Bad value: " + std::to_string(x));
    return x * 10;
}
POOLSCOPE_TASK(bad_value_on);

struct CustomError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

int throw_custom(int x)
{
    throw CustomError("custom " + std::to_string(x));
}
POOLSCOPE_TASK(throw_custom);

int own_pid(int)
{
    return static_cast<int>(::getpid());
}
POOLSCOPE_TASK(own_pid);

// A gate across processes: the task waits (bounded) until the test creates the file.
int wait_for_file(std::string path, int value)
{
    for (int i = 0; i < 60000 && !std::filesystem::exists(path); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return value;
}
POOLSCOPE_TASK(wait_for_file);

int exit_abruptly(int code)
{
    std::_Exit(code);
}
POOLSCOPE_TASK(exit_abruptly);

std::string greet(std::string name, int times)
{
    std::string out;
    for (int i = 0; i < times; ++i)
        out += "hello " + name + ";";
    return out;
}
POOLSCOPE_TASK(greet);

std::vector<std::pair<int, double>> pairs_up_to(int n, bool halve)
{
    std::vector<std::pair<int, double>> out;
    for (int i = 0; i < n; ++i)
        out.emplace_back(i, halve ? i / 2.0 : i);
    return out;
}
POOLSCOPE_TASK(pairs_up_to);

int read_through(const int* p)
{
    return *p;
}
POOLSCOPE_TASK(read_through);

int not_registered(int x)
{
    return x;
}

void nothing_back(int) { }
POOLSCOPE_TASK(nothing_back);

int size_of(std::string text)
{
    return static_cast<int>(text.size());
}
POOLSCOPE_TASK(size_of);

int sum_of(std::vector<int> values)
{
    int total = 0;
    for (int v : values)
        total += v;
    return total;
}
POOLSCOPE_TASK(sum_of);

// ---- helpers

// A file-backed gate in a fresh temporary directory; opened (created) at the latest on destruction.
class FileGate {
public:
    FileGate()
        : dir_(std::filesystem::temp_directory_path() / ("poolscope-gate-" + std::to_string(::getpid()) + "-"
                   + std::to_string(counter_++)))
    {
        std::filesystem::create_directories(dir_);
    }
    ~FileGate()
    {
        open();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    std::string path() const { return (dir_ / "open").string(); }
    void open() const { std::ofstream(path()) << "open"; }

private:
    static inline int counter_ = 0;
    std::filesystem::path dir_;
};

// Counts down once the log has seen `count` events of `kind`; recorded on whatever thread records.
class EventLatch {
public:
    EventLatch(EventLog& log, EventKind kind, int count)
        : log_(log)
        , kind_(kind)
        , latch_(count)
        , left_(count)
    {
        log_.set_observer([this](const Event& e) {
            if (e.kind == kind_ && left_ > 0) {
                --left_;
                latch_.count_down();
            }
        });
    }
    ~EventLatch() { log_.set_observer({}); }
    void wait() { latch_.wait(); }

private:
    EventLog& log_;
    EventKind kind_;
    std::latch latch_;
    int left_; // only touched by the observer, whose calls are serialised
};

// True once pid no longer runs: gone entirely, or a zombie that is someone else's to reap.
bool process_gone(int pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    if (!stat)
        return true;
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

// Polls for an external process to end; a process is not a thread we could join.
bool wait_until_gone(int pid)
{
    for (int i = 0; i < 6000; ++i) {
        if (process_gone(pid))
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

std::vector<Event> of_kind(const std::vector<Event>& events, EventKind kind)
{
    std::vector<Event> out;
    std::copy_if(events.begin(), events.end(), std::back_inserter(out), [&](const Event& e) { return e.kind == kind; });
    return out;
}

} // namespace

// ---- the codec

TEST(Codec, RoundTripsThePlainTypes)
{
    EXPECT_EQ(codec::decode<int>(codec::encode(-42)), -42);
    EXPECT_EQ(codec::decode<std::uint64_t>(codec::encode(std::uint64_t { 1 } << 63)), std::uint64_t { 1 } << 63);
    EXPECT_EQ(codec::decode<double>(codec::encode(0.1)), 0.1);
    EXPECT_EQ(codec::decode<bool>(codec::encode(true)), true);
    EXPECT_EQ(codec::decode<std::string>(codec::encode(std::string("naïve\0x", 8))), std::string("naïve\0x", 8));
    const std::vector<std::pair<int, std::string>> v { { 1, "a" }, { 2, "" } };
    EXPECT_EQ((codec::decode<std::vector<std::pair<int, std::string>>>(codec::encode(v))), v);
    const std::tuple<int, std::optional<double>, std::vector<bool>> t { 3, std::nullopt, { true, false } };
    EXPECT_EQ((codec::decode<std::tuple<int, std::optional<double>, std::vector<bool>>>(codec::encode(t))), t);
}

TEST(Codec, DamagedBytesThrowInsteadOfReadingPastTheEnd)
{
    std::string bytes = codec::encode(std::vector<int> { 1, 2, 3 });
    EXPECT_THROW(codec::decode<std::vector<int>>(bytes.substr(0, bytes.size() - 1)), SerializationError);
    EXPECT_THROW(codec::decode<int>(bytes), SerializationError); // bytes left over
    std::string absurd = codec::encode(std::uint64_t { 1 } << 60); // a count no buffer could hold
    EXPECT_THROW(codec::decode<std::vector<int>>(absurd), SerializationError);
}

TEST(Codec, AnUnsupportedTypeFailsAtRunTimeWithItsName)
{
    const int x = 1;
    try {
        codec::encode(&x);
        FAIL() << "encoding a pointer must throw";
    } catch (const SerializationError& e) {
        EXPECT_NE(std::string(e.what()).find("int const*"), std::string::npos) << e.what();
    }
}

// ---- behaviours

TEST(ProcessPoolBehaviour, B45_MaxWorkersDefaultsToTheCpuCountAndRejectsBadValues)
{
    ProcessPoolExecutor pool;
    EXPECT_EQ(pool.max_workers(), static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
    try {
        ProcessPoolExecutor bad(0);
        FAIL() << "0 workers must be refused";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "max_workers must be greater than 0");
    }
    EXPECT_THROW(ProcessPoolExecutor(-1), std::invalid_argument);
    EXPECT_THROW(ProcessPoolExecutor({ .max_tasks_per_child = 0 }), std::invalid_argument);
    EXPECT_THROW(ProcessPoolExecutor({ .max_tasks_per_child = 1, .start_method = StartMethod::fork }), std::invalid_argument);
}

TEST(ProcessPoolBehaviour, B45_MaxTasksPerChildReplacesTheWorker)
{
    ProcessPoolExecutor pool({ .max_workers = 1, .max_tasks_per_child = 2 });
    std::vector<int> pids;
    for (int i = 0; i < 6; ++i)
        pids.push_back(pool.submit(own_pid, i).result(generous));
    EXPECT_EQ(pids[0], pids[1]);
    EXPECT_EQ(pids[2], pids[3]);
    EXPECT_EQ(pids[4], pids[5]);
    EXPECT_EQ(std::set<int>(pids.begin(), pids.end()).size(), 3u);
    EXPECT_EQ(pool.process_count(), 3);
}

TEST(ProcessPoolBehaviour, B46_WorkersStartOnDemandAndIdleOnesAreReused)
{
    ProcessPoolExecutor pool(4);
    EXPECT_EQ(pool.process_count(), 0);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(pool.submit(square, i).result(generous), i * i);
    EXPECT_EQ(pool.process_count(), 1);
}

TEST(ProcessPoolBehaviour, B46_ForkStartsEveryWorkerAtTheFirstSubmit)
{
    ProcessPoolExecutor pool({ .max_workers = 3, .start_method = StartMethod::fork });
    EXPECT_EQ(pool.submit(square, 7).result(generous), 49);
    EXPECT_EQ(pool.process_count(), 3);
}

TEST(ProcessPoolBehaviour, B47_UpToMaxWorkersPlusOneFuturesReportRunning)
{
    EventLog log;
    FileGate gate;
    ProcessPoolExecutor pool({ .max_workers = 1, .events = &log });
    EventLatch first_started(log, EventKind::started, 1);
    std::vector<Future<int>> fs;
    for (int i = 0; i < 5; ++i)
        fs.push_back(pool.submit(wait_for_file, gate.path(), i));
    first_started.wait();
    EXPECT_EQ(states_of(fs), (std::vector { FutureState::running, FutureState::running, FutureState::pending,
                                  FutureState::pending, FutureState::pending }));
    std::vector<bool> cancelled;
    for (auto& f : fs)
        cancelled.push_back(f.cancel());
    EXPECT_EQ(cancelled, (std::vector { false, false, true, true, true }));
    gate.open();
    EXPECT_EQ(fs[0].result(generous), 0);
    EXPECT_EQ(fs[1].result(generous), 1);
    pool.shutdown();

    const auto events = log.events();
    const auto dispatched = of_kind(events, EventKind::dispatched);
    ASSERT_EQ(dispatched.size(), 2u);
    EXPECT_EQ(dispatched[0].task_id, fs[0].task_id());
    EXPECT_EQ(dispatched[1].task_id, fs[1].task_id());
    EXPECT_EQ(of_kind(events, EventKind::started).size(), 2u);
    EXPECT_EQ(of_kind(events, EventKind::cancelled).size(), 3u);
    EXPECT_TRUE(find_invariant_violations(events, 1).empty());
}

TEST(ProcessPoolBehaviour, B48_ATaskExceptionArrivesAsTheSameTypeWithTheWorkerContext)
{
    ProcessPoolExecutor pool(2);
    auto f = pool.submit(bad_value_on, 3);
    try {
        f.result(generous);
        FAIL() << "must throw";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "Bad value: 3");
        const RemoteTraceback* tb = remote_traceback(e);
        ASSERT_NE(tb, nullptr);
        EXPECT_NE(tb->traceback().find("SpawnProcess-"), std::string::npos) << tb->traceback();
        EXPECT_NE(tb->traceback().find("bad_value_on"), std::string::npos) << tb->traceback();
        EXPECT_NE(tb->traceback().find("std::invalid_argument: Bad value: 3"), std::string::npos) << tb->traceback();
    }
    // A type the parent does not know keeps its name.
    try {
        pool.submit(throw_custom, 5).result(generous);
        FAIL() << "must throw";
    } catch (const RemoteError& e) {
        EXPECT_STREQ(e.what(), "custom 5");
        EXPECT_NE(e.type_name().find("CustomError"), std::string::npos) << e.type_name();
    }
    // The worker goes on.
    EXPECT_EQ(pool.submit(square, 4).result(generous), 16);
}

TEST(ProcessPoolBehaviour, B49_AKilledWorkerBreaksThePoolWithoutHangingOrLeftovers)
{
    EventLog log;
    FileGate gate;
    std::vector<int> pids;
    ProcessPoolExecutor pool({ .max_workers = 2, .events = &log });
    EventLatch both_started(log, EventKind::started, 2);
    std::vector<Future<int>> fs;
    for (int i = 0; i < 5; ++i)
        fs.push_back(pool.submit(wait_for_file, gate.path(), i));
    both_started.wait();
    pids = pool.worker_pids();
    ASSERT_EQ(pids.size(), 2u);
    ASSERT_EQ(::kill(pids[0], SIGKILL), 0);

    for (auto& f : fs) {
        try {
            f.result(generous);
            ADD_FAILURE() << "a future survived the broken pool";
        } catch (const BrokenProcessPool& e) {
            EXPECT_STREQ(e.what(),
                "A process in the process pool was terminated abruptly while the future was running or pending.");
        }
    }
    try {
        pool.submit(square, 1);
        FAIL() << "submit on a broken pool must throw";
    } catch (const BrokenProcessPool& e) {
        EXPECT_STREQ(e.what(), "A child process terminated abruptly, the process pool is not usable anymore");
    }
    pool.shutdown();
    EXPECT_TRUE(pool.worker_pids().empty());
    for (int pid : pids) {
        EXPECT_TRUE(process_gone(pid)) << pid;
        EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1) << "pid " << pid << " was not reaped";
    }
    const auto stopped = of_kind(log.events(), EventKind::worker_stopped);
    EXPECT_EQ(stopped.size(), 2u);
}

TEST(ProcessPoolBehaviour, B49_AWorkerThatExitsBreaksThePoolToo)
{
    ProcessPoolExecutor pool(1);
    auto f = pool.submit(exit_abruptly, 3);
    EXPECT_THROW(f.result(generous), BrokenProcessPool);
    EXPECT_THROW(pool.submit(square, 1), BrokenProcessPool);
}

TEST(ProcessPoolBehaviour, B50_AnUnsendableArgumentFailsOnlyThatFuture)
{
    ProcessPoolExecutor pool(1);
    const int x = 5;
    auto bad = pool.submit(read_through, &x);
    EXPECT_THROW(bad.result(generous), SerializationError);
    auto unregistered = pool.submit(not_registered, 1);
    EXPECT_THROW(unregistered.result(generous), SerializationError);
    EXPECT_EQ(pool.submit(square, 5).result(generous), 25);
}

TEST(ProcessPoolBehaviour, B51_KillWorkersEndsEveryWorkerAndFailsWhatRuns)
{
    FileGate gate;
    EventLog log;
    ProcessPoolExecutor pool({ .max_workers = 2, .events = &log });
    EventLatch both_started(log, EventKind::started, 2);
    std::vector<Future<int>> fs;
    for (int i = 0; i < 6; ++i)
        fs.push_back(pool.submit(wait_for_file, gate.path(), i));
    both_started.wait();
    const auto pids = pool.worker_pids();
    pool.kill_workers();
    EXPECT_THROW(fs[0].result(generous), BrokenProcessPool);
    EXPECT_THROW(fs[1].result(generous), BrokenProcessPool);
    EXPECT_TRUE(fs[5].cancelled()); // never dispatched
    for (int pid : pids)
        EXPECT_TRUE(process_gone(pid)) << pid;
    EXPECT_THROW(pool.submit(square, 1), std::runtime_error);
}

TEST(ProcessPoolBehaviour, B33_MapSendsItemsInChunksAndAFailureFailsItsChunk)
{
    EventLog log;
    ProcessPoolExecutor pool({ .max_workers = 2, .events = &log });
    EXPECT_THROW(pool.map(square, std::vector { 1, 2 }, chunksize(0)), std::invalid_argument);

    const auto squares = pool.map(square, std::vector { 1, 2, 3, 4, 5, 6, 7 }, chunksize(3)).to_vector();
    EXPECT_EQ(squares, (std::vector { 1, 4, 9, 16, 25, 36, 49 }));
    EXPECT_EQ(of_kind(log.events(), EventKind::submitted).size(), 3u); // chunks of 3, 3 and 1

    // 1 2 | 3 4 | 5 6: the chunk holding 3 fails as a whole, at 3's chunk's first position.
    auto results = pool.map(bad_value_on, std::vector { 1, 2, 4, 3, 5, 7 }, chunksize(2));
    EXPECT_EQ(results.next(), 10);
    EXPECT_EQ(results.next(), 20);
    EXPECT_THROW(results.next(), std::invalid_argument); // 4 fails with its chunk-mate 3
    EXPECT_EQ(results.next(), std::nullopt);
}

TEST(ProcessPoolBehaviour, MapWithATimeoutAndSeveralRanges)
{
    ProcessPoolExecutor pool(2);
    const auto greetings = pool.map(greet, std::vector<std::string> { "a", "b" }, std::vector { 1, 2 }, timeout(60s))
                               .to_vector();
    EXPECT_EQ(greetings, (std::vector<std::string> { "hello a;", "hello b;hello b;" }));
    const auto pairs = pool.submit(pairs_up_to, 3, true).result(generous);
    EXPECT_EQ(pairs, (std::vector<std::pair<int, double>> { { 0, 0.0 }, { 1, 0.5 }, { 2, 1.0 } }));
    pool.submit(nothing_back, 1).result(generous);
}

TEST(ProcessPoolBehaviour, ShutdownWaitsAndThenRefusesWork)
{
    ProcessPoolExecutor pool(2);
    std::vector<Future<int>> fs;
    for (int i = 0; i < 8; ++i)
        fs.push_back(pool.submit(square, i));
    pool.shutdown(true);
    for (int i = 0; i < 8; ++i)
        EXPECT_EQ(fs[i].state(), FutureState::finished);
    EXPECT_TRUE(pool.worker_pids().empty());
    EXPECT_THROW(pool.submit(square, 1), ExecutorShutdownError);
    pool.shutdown(); // harmless
}

TEST(ProcessPoolBehaviour, ShutdownCancelFuturesCancelsWhatWasNotDispatched)
{
    FileGate gate;
    EventLog log;
    ProcessPoolExecutor pool({ .max_workers = 1, .events = &log });
    EventLatch started(log, EventKind::started, 1);
    std::vector<Future<int>> fs;
    for (int i = 0; i < 5; ++i)
        fs.push_back(pool.submit(wait_for_file, gate.path(), i));
    started.wait();
    pool.shutdown(false, true);
    gate.open();
    pool.shutdown(true);
    EXPECT_EQ(states_of(fs), (std::vector { FutureState::finished, FutureState::finished, FutureState::cancelled,
                                  FutureState::cancelled, FutureState::cancelled }));
}

// The call queue is one socket shared by every worker, as Python's is: a call waits for whichever
// worker is free next, never behind a particular busy one.
TEST(ProcessPoolCallQueue, AFreeWorkerTakesTheNextCallWhileAnotherIsBusy)
{
    FileGate gate;
    EventLog log;
    ProcessPoolExecutor pool({ .max_workers = 2, .events = &log });
    auto blocked = pool.submit(wait_for_file, gate.path(), 7);
    std::vector<Future<int>> quick;
    for (int i = 0; i < 6; ++i)
        quick.push_back(pool.submit(square, i));
    for (int i = 0; i < 6; ++i)
        EXPECT_EQ(quick[i].result(generous), i * i); // while the gate is still shut
    EXPECT_EQ(blocked.state(), FutureState::running);
    gate.open();
    EXPECT_EQ(blocked.result(generous), 7);
    pool.shutdown();

    const auto events = log.events();
    std::set<int> quick_lanes;
    int blocked_lane = -1;
    for (const auto& e : of_kind(events, EventKind::started)) {
        if (e.task_id == blocked.task_id())
            blocked_lane = e.worker;
        else
            quick_lanes.insert(e.worker);
    }
    ASSERT_NE(blocked_lane, -1);
    EXPECT_EQ(quick_lanes, std::set<int> { 1 - blocked_lane });
    EXPECT_TRUE(find_invariant_violations(events, 2).empty());
}

// A payload larger than a call-queue message travels beside it (a memfd); a result that large
// comes back over the worker's own socket.
TEST(ProcessPoolCallQueue, LargeArgumentsAndResultsArriveWhole)
{
    ProcessPoolExecutor pool(2);
    std::string big(3'000'000, 'x');
    for (std::size_t i = 0; i < big.size(); i += 997)
        big[i] = static_cast<char>('a' + i % 26);
    auto f = pool.submit(greet, big, 2);
    auto small = pool.submit(greet, std::string("ok"), 1);
    EXPECT_EQ(f.result(generous), "hello " + big + ";hello " + big + ";");
    EXPECT_EQ(small.result(generous), "hello ok;");

    std::vector<std::vector<int>> rows;
    for (int chunk = 0; chunk < 4; ++chunk)
        rows.push_back(std::vector<int>(20'000, chunk));
    std::vector<int> sums;
    for (int v : pool.map(sum_of, rows, chunksize(4)))
        sums.push_back(v);
    EXPECT_EQ(sums, (std::vector { 0, 20'000, 40'000, 60'000 }));
}

// A call whose payload cannot be put on the call queue (here: its memfd cannot grow past a file
// size limit) fails alone with the reason, as Python's feeder fails a call it cannot pickle; the
// pool goes on.
TEST(ProcessPoolCallQueue, ACallThatCannotBeWrittenFailsAlone)
{
    ProcessPoolExecutor pool(1);
    EXPECT_EQ(pool.submit(square, 3).result(generous), 9);

    // Over the limit a write fails with EFBIG, once SIGXFSZ no longer ends the process.
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit saved {};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
    rlimit tight = saved;
    tight.rlim_cur = 50'000;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &tight), 0);
    auto big = pool.submit(size_of, std::string(100'000, 'z'));
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);
    std::signal(SIGXFSZ, old_handler);

    try {
        big.result(generous);
        ADD_FAILURE() << "the call should have failed";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code().value(), EFBIG) << e.what();
        EXPECT_NE(std::string(e.what()).find("cannot pass the call to a worker process"), std::string::npos);
    }
    EXPECT_EQ(pool.submit(size_of, std::string(100'000, 'z')).result(generous), 100'000);
}

// More calls in flight (max_workers + 1) than the call queue's socket buffer holds, each carrying
// almost the largest payload that travels inside a message: the workers start behind a gate (a
// script that waits for it and then runs this program), so every call is dispatched before any
// worker reads. The calls that found no room wait for it, and all still run once each.
TEST(ProcessPoolCallQueue, MoreCallsInFlightThanTheSocketHolds)
{
    FileGate gate;
    const auto dir = std::filesystem::path(gate.path()).parent_path();
    const auto script = dir / "slow-start.sh";
    std::ofstream(script) << "#!/bin/sh\nwhile [ ! -e '" << gate.path() << "' ]; do sleep 0.01; done\nexec '"
                          << std::filesystem::read_symlink("/proc/self/exe").string() << "' \"$@\"\n";
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);

    constexpr int workers = 24;
    constexpr int calls = 200;
    EventLog log;
    ProcessPoolExecutor pool({ .max_workers = workers, .events = &log, .executable = script.string() });
    EventLatch all_dispatched(log, EventKind::dispatched, workers + 1);
    std::vector<Future<int>> fs;
    for (int i = 0; i < calls; ++i)
        fs.push_back(pool.submit(size_of, std::string(15'000 + i, 'y')));
    all_dispatched.wait();
    gate.open();
    for (int i = 0; i < calls; ++i)
        EXPECT_EQ(fs[i].result(generous), 15'000 + i);
    pool.shutdown();
    EXPECT_TRUE(pool.worker_pids().empty());
    const auto events = log.events();
    EXPECT_EQ(of_kind(events, EventKind::dispatched).size(), std::size_t { calls });
    EXPECT_EQ(of_kind(events, EventKind::started).size(), std::size_t { calls });
    EXPECT_TRUE(find_invariant_violations(events, workers).empty());
}

// Rounds of mixed settings (workers, max_tasks_per_child, how the round ends) over the shared call
// queue: every future resolves once, with the right value or cancelled before it was dispatched,
// and the event log keeps its invariants. A fixed seed keeps a failure reproducible.
TEST(ProcessPoolCallQueue, MixedRoundsResolveEveryFutureOnce)
{
    std::mt19937 rng(20261127);
    for (int round = 0; round < 12; ++round) {
        SCOPED_TRACE(round);
        EventLog log;
        const int workers = 1 + static_cast<int>(rng() % 3);
        std::optional<int> max_tasks;
        if (round % 3 == 0)
            max_tasks = 1 + static_cast<int>(rng() % 3);
        ProcessPoolExecutor pool({ .max_workers = workers, .max_tasks_per_child = max_tasks, .events = &log });
        const int n = 20 + static_cast<int>(rng() % 100);
        std::vector<Future<int>> fs;
        for (int i = 0; i < n; ++i)
            fs.push_back(pool.submit(square, i));
        const int ending = round % 3;
        if (ending == 0)
            pool.shutdown(true, false);
        else if (ending == 1)
            pool.shutdown(true, true);
        for (int i = 0; i < n; ++i) {
            if (ending == 1 && fs[i].cancelled())
                continue;
            EXPECT_EQ(fs[i].result(generous), i * i) << i;
        }
        pool.shutdown();
        EXPECT_TRUE(pool.worker_pids().empty());
        const auto events = log.events();
        if (max_tasks) {
            // No worker ran more than its share: the replacements came.
            const auto started = static_cast<int>(of_kind(events, EventKind::started).size());
            EXPECT_LE(started, pool.process_count() * *max_tasks);
        }
        const auto violations = find_invariant_violations(events, workers);
        EXPECT_TRUE(violations.empty()) << violations.front();
    }
}

// A caller waiting in result() reads the workers' answers itself, so done-callbacks may run on
// it; a callback that waits for another future of the same pool must still get its answer (the
// reading is done before any callback runs, so a nested wait can read in turn).
TEST(ProcessPoolCallQueue, ACallbackRunWhileWaitingCanWaitForAnotherFuture)
{
    ProcessPoolExecutor pool(2);
    for (int round = 0; round < 50; ++round) {
        auto first = pool.submit(square, round);
        auto second = pool.submit(square, round + 1);
        std::promise<int> seen;
        auto seen_future = seen.get_future();
        first.add_done_callback([&, second](Future<int>) mutable {
            try {
                seen.set_value(second.result(generous));
            } catch (...) {
                seen.set_exception(std::current_exception());
            }
        });
        EXPECT_EQ(first.result(generous), round * round);
        ASSERT_EQ(seen_future.wait_for(generous), std::future_status::ready) << round;
        EXPECT_EQ(seen_future.get(), (round + 1) * (round + 1));
    }
}

TEST(ProcessPoolEvents, WorkerEventsCarryPidsAndLineUpWithTheParentClock)
{
    EventLog log;
    {
        ProcessPoolExecutor pool({ .max_workers = 2, .events = &log });
        auto results = pool.map(square, std::vector { 1, 2, 3, 4, 5, 6 }).to_vector();
        EXPECT_EQ(results.size(), 6u);
    }
    const auto events = log.events();
    EXPECT_TRUE(find_invariant_violations(events, 2).empty());
    std::map<std::uint64_t, std::map<EventKind, Event>> by_task;
    for (const auto& e : events) {
        if (e.task_id != 0)
            by_task[e.task_id][e.kind] = e;
    }
    ASSERT_EQ(by_task.size(), 6u);
    for (auto& [id, kinds] : by_task) {
        ASSERT_TRUE(kinds.contains(EventKind::dispatched)) << id;
        ASSERT_TRUE(kinds.contains(EventKind::started)) << id;
        ASSERT_TRUE(kinds.contains(EventKind::finished)) << id;
        EXPECT_LE(kinds[EventKind::submitted].time, kinds[EventKind::dispatched].time);
        EXPECT_LE(kinds[EventKind::dispatched].time, kinds[EventKind::started].time);
        EXPECT_LE(kinds[EventKind::started].time, kinds[EventKind::finished].time);
        EXPECT_GT(kinds[EventKind::started].pid, 0);
        EXPECT_EQ(kinds[EventKind::started].pid, kinds[EventKind::finished].pid);
        EXPECT_EQ(kinds[EventKind::started].worker, kinds[EventKind::finished].worker);
    }
    const auto spawning = of_kind(events, EventKind::worker_spawning);
    const auto started = of_kind(events, EventKind::worker_started);
    ASSERT_EQ(spawning.size(), started.size());
    for (const auto& s : started) {
        EXPECT_GT(s.pid, 0);
        EXPECT_EQ(s.label.rfind("SpawnProcess-", 0), 0u) << s.label;
    }
}

TEST(ProcessPoolFaults, AParentThatVanishesTakesItsWorkersWithIt)
{
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // The child test process: starts a pool, reports its workers, and dies without cleanup.
        ::close(pipe_fds[0]);
        EventLog log;
        auto* pool = new ProcessPoolExecutor({ .max_workers = 2, .events = &log });
        EventLatch both_started(log, EventKind::started, 2);
        static FileGate never; // never opened: the tasks would wait a minute
        pool->submit(wait_for_file, never.path(), 1);
        pool->submit(wait_for_file, never.path(), 2);
        both_started.wait();
        for (int pid : pool->worker_pids())
            [[maybe_unused]] auto n = ::write(pipe_fds[1], &pid, sizeof pid);
        std::_Exit(0);
    }
    ::close(pipe_fds[1]);
    std::vector<int> pids;
    int pid = 0;
    while (::read(pipe_fds[0], &pid, sizeof pid) == static_cast<ssize_t>(sizeof pid))
        pids.push_back(pid);
    ::close(pipe_fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_EQ(pids.size(), 2u);
    for (int worker : pids)
        EXPECT_TRUE(wait_until_gone(worker)) << "worker " << worker << " outlived its parent";
}

int main(int argc, char** argv)
{
    poolscope::run_worker_if_spawned(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
