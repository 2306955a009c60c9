# One INTERFACE target carries the project's warning flags (as Taskflow's tf::error_settings), so
# every target opts in with one line and the installed package does not inherit them.
add_library(poolscope_warnings INTERFACE)
target_compile_options(poolscope_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow)
if(POOLSCOPE_WERROR)
    target_compile_options(poolscope_warnings INTERFACE -Werror)
endif()

# Qt-side defines from KDAB Hotspot: no implicit const char* → QString, QStringBuilder, no Q_FOREACH.
add_library(poolscope_qt_defines INTERFACE)
target_compile_definitions(poolscope_qt_defines INTERFACE QT_NO_CAST_FROM_ASCII QT_USE_QSTRINGBUILDER QT_NO_FOREACH)
