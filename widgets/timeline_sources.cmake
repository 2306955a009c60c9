# The Gantt timeline: model (TimelineData), mapping, plottables, view and exporter.
target_sources(poolscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/timelinecounter.cpp ${CMAKE_CURRENT_LIST_DIR}/timelinecounter.h
    ${CMAKE_CURRENT_LIST_DIR}/timelinecounterplottable.cpp ${CMAKE_CURRENT_LIST_DIR}/timelinecounterplottable.h
    ${CMAKE_CURRENT_LIST_DIR}/timelinedata.cpp ${CMAKE_CURRENT_LIST_DIR}/timelinedata.h
    ${CMAKE_CURRENT_LIST_DIR}/timelineexporter.cpp ${CMAKE_CURRENT_LIST_DIR}/timelineexporter.h
    ${CMAKE_CURRENT_LIST_DIR}/timelinelegenditem.cpp ${CMAKE_CURRENT_LIST_DIR}/timelinelegenditem.h
    ${CMAKE_CURRENT_LIST_DIR}/timelinemapping.cpp ${CMAKE_CURRENT_LIST_DIR}/timelinemapping.h
    ${CMAKE_CURRENT_LIST_DIR}/timelineplottable.cpp ${CMAKE_CURRENT_LIST_DIR}/timelineplottable.h
    ${CMAKE_CURRENT_LIST_DIR}/timelinespanlist.h
    ${CMAKE_CURRENT_LIST_DIR}/timelinestrings.cpp ${CMAKE_CURRENT_LIST_DIR}/timelinestrings.h
    ${CMAKE_CURRENT_LIST_DIR}/timelinestyle.cpp ${CMAKE_CURRENT_LIST_DIR}/timelinestyle.h
    ${CMAKE_CURRENT_LIST_DIR}/timelinetimeticker.cpp ${CMAKE_CURRENT_LIST_DIR}/timelinetimeticker.h
    ${CMAKE_CURRENT_LIST_DIR}/timelinetypes.h ${CMAKE_CURRENT_LIST_DIR}/timelineqcp.h
    ${CMAKE_CURRENT_LIST_DIR}/timelineview.cpp ${CMAKE_CURRENT_LIST_DIR}/timelineview.h
)
