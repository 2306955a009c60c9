# Writes the file SOURCE to OUTPUT as a C++ raw string literal, so that the build embeds a
# scenario's description (<name>_scenario.json) and the program needs no file beside it.
#   cmake -DSOURCE=map_scenario.json -DOUTPUT=descriptions/map_scenario.inc -P embed_text.cmake
file(READ "${SOURCE}" text)
string(FIND "${text}" ")text\"" clash)
if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${SOURCE}: the text contains the raw string's closing delimiter")
endif()
file(WRITE "${OUTPUT}.new" "R\"text(${text})text\"\n")
# Only touch the output when it changes, so reconfiguring rebuilds nothing more.
file(COPY_FILE "${OUTPUT}.new" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.new")
