# The Gantt timeline's tests (Qt Test, offscreen).
poolscope_add_test(tst_timelinedata QTEST SOURCES tst_timelinedata.cpp LIBS poolscope_widgets LABELS widgets)
poolscope_add_test(tst_timelinemapping QTEST SOURCES tst_timelinemapping.cpp LIBS poolscope_widgets LABELS widgets)
poolscope_add_test(tst_timelineplottable QTEST SOURCES tst_timelineplottable.cpp LIBS poolscope_widgets LABELS widgets)
poolscope_add_test(tst_timelineview QTEST SOURCES tst_timelineview.cpp LIBS poolscope_widgets LABELS widgets)
poolscope_add_test(tst_timelineexporter QTEST SOURCES tst_timelineexporter.cpp LIBS poolscope_widgets LABELS widgets)

# The timeline's timing program and the example renderer: built here, never registered with CTest
# (benchmarks do not gate). See bench/timeline/README.md.
set(_timeline_bench_dir ${PROJECT_SOURCE_DIR}/bench/timeline)
if(EXISTS ${_timeline_bench_dir}/timeline_bench.cpp)
    add_executable(timeline_bench ${_timeline_bench_dir}/timeline_bench.cpp ${_timeline_bench_dir}/timeline_synthetic.h)
    target_link_libraries(timeline_bench PRIVATE poolscope_widgets poolscope_warnings poolscope_qt_defines)
    target_include_directories(timeline_bench PRIVATE ${_timeline_bench_dir})
endif()
if(EXISTS ${_timeline_bench_dir}/timeline_render_example.cpp)
    add_executable(timeline_render_example ${_timeline_bench_dir}/timeline_render_example.cpp
        ${_timeline_bench_dir}/timeline_synthetic.h)
    target_link_libraries(timeline_render_example PRIVATE poolscope_widgets poolscope_warnings poolscope_qt_defines)
    target_include_directories(timeline_render_example PRIVATE ${_timeline_bench_dir})
endif()
