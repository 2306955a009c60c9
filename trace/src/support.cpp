#include "support.h"

#include <poolscope/trace/trace_error.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <system_error>

namespace poolscope::trace::detail {

std::string json_quote(std::string_view text)
{
    return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string quote_for_message(std::string_view text)
{
    constexpr std::size_t limit = 60;
    if (text.size() <= limit)
        return json_quote(text);
    std::size_t cut = limit;
    // Back off over UTF-8 continuation bytes (10xxxxxx) so the cut never splits a character.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    return json_quote(std::string(text.substr(0, cut)) + "…");
}

std::string quote_tail_for_message(std::string_view text)
{
    constexpr std::size_t limit = 60;
    if (text.size() <= limit)
        return json_quote(text);
    std::size_t cut = text.size() - limit;
    while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        ++cut;
    return json_quote("…" + std::string(text.substr(cut)));
}

void check_stream(const std::ostream& out, std::string_view what)
{
    if (!out.good())
        throw TraceError("could not write the " + std::string(what) + ": the output stream failed");
}

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write)
{
    const std::string temporary = path + ".tmp";
    const auto discard = [&] {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
    };
    try {
        {
            std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
            if (!out)
                throw TraceError("cannot create \"" + temporary + "\": " + std::strerror(errno));
            write(out);
            out.flush();
            if (!out)
                throw TraceError("could not write \"" + temporary + "\": " + std::strerror(errno));
        }
        std::error_code error;
        std::filesystem::rename(temporary, path, error);
        if (error)
            throw TraceError("could not rename \"" + temporary + "\" to the file: " + error.message());
    } catch (const TraceError& e) {
        discard();
        throw e.in_file(path);
    } catch (...) {
        discard();
        throw;
    }
}

} // namespace poolscope::trace::detail
