# The event table (model, batching from the recording threads, filter, view) and the parameter panel.
target_sources(poolscope_widgets PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/eventbatcher.cpp ${CMAKE_CURRENT_LIST_DIR}/eventbatcher.h
    ${CMAKE_CURRENT_LIST_DIR}/eventmodel.cpp ${CMAKE_CURRENT_LIST_DIR}/eventmodel.h
    ${CMAKE_CURRENT_LIST_DIR}/eventfilterproxymodel.cpp ${CMAKE_CURRENT_LIST_DIR}/eventfilterproxymodel.h
    ${CMAKE_CURRENT_LIST_DIR}/eventtableview.cpp ${CMAKE_CURRENT_LIST_DIR}/eventtableview.h
    ${CMAKE_CURRENT_LIST_DIR}/parameterpanel.cpp ${CMAKE_CURRENT_LIST_DIR}/parameterpanel.h
)
