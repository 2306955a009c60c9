# Writes the code between the `// listing:begin` and `// listing:end` lines of SOURCE to OUTPUT as a
# C++ raw string literal, so a scenario's C++ listing is the code it runs, not a second copy of it.
#   cmake -DSOURCE=map_scenario.cpp -DOUTPUT=listings/map_scenario.inc -P extract_listing.cmake
file(READ "${SOURCE}" text)
set(begin_marker "// listing:begin\n")
string(FIND "${text}" "${begin_marker}" begin)
string(FIND "${text}" "// listing:end" end)
if(begin EQUAL -1 OR end EQUAL -1 OR end LESS begin)
    message(FATAL_ERROR "${SOURCE}: no // listing:begin ... // listing:end region")
endif()
string(LENGTH "${begin_marker}" marker_length)
math(EXPR begin "${begin} + ${marker_length}")
math(EXPR length "${end} - ${begin}")
string(SUBSTRING "${text}" ${begin} ${length} region)
string(FIND "${region}" ")listing\"" clash)
if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${SOURCE}: the listing contains the raw string's closing delimiter")
endif()
file(WRITE "${OUTPUT}.new" "R\"listing(${region})listing\"\n")
# Only touch the output when it changes, so editing a comment elsewhere rebuilds nothing more.
file(COPY_FILE "${OUTPUT}.new" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.new")
