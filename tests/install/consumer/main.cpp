// Built against the installed package only: if a header or the library were missing from the
// install, this would not compile or link.
#include <poolscope/futures.h>

#include <cstdio>
#include <vector>

int main()
{
    poolscope::EventLog log;
    std::vector<int> squares;
    {
        poolscope::ThreadPoolExecutor executor({ .max_workers = 2, .events = &log });
        for (int value : executor.map([](int n) { return n * n; }, std::vector<int> { 1, 2, 3 }))
            squares.push_back(value);
    }
    const bool ok = squares == std::vector<int> { 1, 4, 9 } && !log.events().empty();
    std::printf("consumer: %s\n", ok ? "ok" : "wrong");
    return ok ? 0 : 1;
}
