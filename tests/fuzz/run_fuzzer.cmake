# Runs one libFuzzer harness for SECONDS on a copy of its seed corpus; the CTest test of a fuzzer
# under POOLSCOPE_FUZZ. Fails on any crash, leak, sanitizer report or timeout (libFuzzer exits
# non-zero), printing the end of the log and the input that did it.
#   cmake -DFUZZER=<exe> -DCORPUS=<dir>|<dir>... -DDICT=<file or empty> -DSECONDS=<n> -DWORK_DIR=<dir> -P run_fuzzer.cmake
foreach(var FUZZER CORPUS SECONDS WORK_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "run_fuzzer.cmake: -D${var}=... is required")
    endif()
endforeach()

# libFuzzer writes new units into the first directory only; the seeds follow it, as copies, so
# nothing under the source tree is ever written, not even by a fuzzer option changed later.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/corpus" "${WORK_DIR}/artifacts")
string(REPLACE "|" ";" seed_dirs "${CORPUS}")
set(dirs "${WORK_DIR}/corpus")
set(i 0)
foreach(seeds IN LISTS seed_dirs)
    file(GLOB files LIST_DIRECTORIES false "${seeds}/*")
    if(NOT files)
        message(FATAL_ERROR "run_fuzzer.cmake: no seed files in ${seeds}")
    endif()
    file(COPY ${files} DESTINATION "${WORK_DIR}/seeds${i}")
    list(APPEND dirs "${WORK_DIR}/seeds${i}")
    math(EXPR i "${i} + 1")
endforeach()

set(options -max_total_time=${SECONDS} -timeout=30 -print_final_stats=1 "-artifact_prefix=${WORK_DIR}/artifacts/")
if(DICT)
    list(APPEND options "-dict=${DICT}")
endif()
set(log "${WORK_DIR}/fuzz.log")
execute_process(COMMAND "${FUZZER}" ${options} ${dirs} RESULT_VARIABLE result OUTPUT_FILE "${log}" ERROR_FILE "${log}")

# The run's figures: coverage and speed at start and end, and libFuzzer's final stats.
file(STRINGS "${log}" summary REGEX "^#[0-9]+[ \t]+(INITED|DONE)|^Done [0-9]+ runs|^stat::")
list(JOIN summary "\n" summary)
message("${summary}")

if(NOT result EQUAL 0)
    # The report is at the end. Read as text, not as a list of lines: a "[" in a line would merge
    # the list's entries.
    file(READ "${log}" text)
    string(LENGTH "${text}" length)
    set(keep 8000)
    if(length GREATER keep)
        math(EXPR from "${length} - ${keep}")
        string(SUBSTRING "${text}" ${from} -1 text)
    endif()
    file(GLOB artifacts "${WORK_DIR}/artifacts/*")
    message("--- the end of ${log}:\n${text}")
    message(FATAL_ERROR "the fuzzer failed (exit ${result}); the input: ${artifacts}\n"
        "replay it with: ${FUZZER} <input>")
endif()
