#include <poolscope/trace/trace_error.h>

#include <utility>

namespace poolscope::trace {

namespace {
std::string compose(const std::string& problem, const std::string& location, const std::string& file)
{
    std::string text;
    for (const std::string* part : { &file, &location }) {
        if (!part->empty()) {
            text += *part;
            text += ": ";
        }
    }
    return text + problem;
}
} // namespace

TraceError::TraceError(std::string problem, std::string location, std::string file)
    : std::runtime_error(compose(problem, location, file))
    , problem_(std::move(problem))
    , location_(std::move(location))
    , file_(std::move(file))
{
}

TraceError TraceError::in_file(std::string file) const
{
    return TraceError(problem_, location_, std::move(file));
}

} // namespace poolscope::trace
