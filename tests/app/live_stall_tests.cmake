# The live run's GUI stall timing program (bench/gui/live_stall_bench.cpp): built with the tests, and
# run at full size by hand only (it takes a while, and benchmarks never gate CI). CTest runs it once
# with 2,000 tasks, which checks that the run finishes, its output is right and the probe ticks —
# never the figures. The command and the figures are in README.md.
set(_gui_bench_dir ${PROJECT_SOURCE_DIR}/bench/gui)
if(EXISTS ${_gui_bench_dir}/live_stall_bench.cpp)
    add_executable(live_stall_bench ${_gui_bench_dir}/live_stall_bench.cpp)
    target_link_libraries(live_stall_bench PRIVATE poolscope_app Qt6::Test poolscope_warnings poolscope_qt_defines)
    add_test(NAME live_stall_bench_smoke COMMAND live_stall_bench --tasks 2000 --repeat 1)
    set_tests_properties(live_stall_bench_smoke PROPERTIES LABELS "app;bench" TIMEOUT 120
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;XDG_CONFIG_HOME=${CMAKE_CURRENT_BINARY_DIR}/config")
endif()
