#pragma once

#include <QString>

#include <string_view>

namespace poolscope::widgets {

/// The one conversion from the core's UTF-8 text to QString. std::string converts implicitly.
inline QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace poolscope::widgets
