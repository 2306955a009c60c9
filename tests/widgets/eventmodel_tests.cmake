# Tests of the event table and the parameter panel (widgets/eventmodel_sources.cmake).
poolscope_add_test(tst_eventmodel QTEST SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_eventmodel.cpp
    LIBS poolscope_widgets LABELS widgets)
poolscope_add_test(tst_eventfilterproxymodel QTEST SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_eventfilterproxymodel.cpp
    LIBS poolscope_widgets LABELS widgets)
poolscope_add_test(tst_parameterpanel QTEST SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_parameterpanel.cpp
    LIBS poolscope_widgets LABELS widgets)
