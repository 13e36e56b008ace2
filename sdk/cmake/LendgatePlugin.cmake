# lendgate_add_plugin(NAME SOURCES src... [LINK_LIBRARIES lib...] [OUTPUT_DIRECTORY dir])
#
# Builds a lendgate format plugin: a MODULE library named lendgate-plugin-NAME.so
# whatever the platform's prefix conventions, hidden visibility (only the entry
# symbol is exported), and --no-undefined so a missing symbol fails at link
# time, not when the gateway loads the plugin in production.
#
# lendgate_plugin_test(TARGET target CONFIG file SAMPLES dir
#                      [NAME test-name] [TYPE message-type] [TIMEOUT seconds])
#
# Adds a ctest test that runs the conformance suite on the plugin:
#   lendgate plugin test $<TARGET_FILE:target> --config file --samples dir
# TARGET is the plugin's target (lendgate-plugin-NAME) or its NAME. CONFIG and
# SAMPLES are relative to the calling CMakeLists.txt. TYPE is the message type
# to ask for when a sample has no NAME.type file; TIMEOUT (default 20) limits
# each plugin call, a hang beyond it fails the test. The lendgate executable is
# the in-tree `lendgate` target, else LENDGATE_EXECUTABLE, else the one installed
# with the SDK, else `lendgate` on the PATH.
include_guard(GLOBAL)

# Where this file is, for the installed SDK's bin/ (functions see the caller's dir).
set(_LENDGATE_PLUGIN_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(lendgate_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "OUTPUT_DIRECTORY" "SOURCES;LINK_LIBRARIES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "lendgate_add_plugin(${name}): SOURCES is required")
  endif()
  if(NOT name MATCHES "^[a-z0-9_-]+$")
    message(FATAL_ERROR "lendgate_add_plugin(${name}): the name must match [a-z0-9_-]+")
  endif()
  set(target lendgate-plugin-${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE LendgateSDK::sdk ${ARG_LINK_LIBRARIES})
  target_compile_features(${target} PRIVATE cxx_std_20)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "lendgate-plugin-${name}"
    SUFFIX ".so"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  endif()
  # Instrumented code built by clang refers to sanitizer runtime symbols that
  # only the host executable provides, so --no-undefined cannot hold there.
  set(all_flags "${CMAKE_CXX_FLAGS} ${CMAKE_SHARED_LINKER_FLAGS} ${CMAKE_MODULE_LINKER_FLAGS}")
  if(NOT all_flags MATCHES "-fsanitize=")
    target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  endif()
endfunction()

function(lendgate_plugin_test)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "TARGET;CONFIG;SAMPLES;NAME;TYPE;TIMEOUT" "")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "lendgate_plugin_test: unexpected arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  foreach(required TARGET CONFIG SAMPLES)
    if(NOT ARG_${required})
      message(FATAL_ERROR "lendgate_plugin_test: ${required} is required")
    endif()
  endforeach()
  set(target "${ARG_TARGET}")
  if(NOT TARGET "${target}" AND TARGET "lendgate-plugin-${target}")
    set(target "lendgate-plugin-${target}")
  endif()
  if(NOT TARGET "${target}")
    message(FATAL_ERROR "lendgate_plugin_test: no target ${ARG_TARGET} (call lendgate_add_plugin() first)")
  endif()
  get_filename_component(config "${ARG_CONFIG}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_filename_component(samples "${ARG_SAMPLES}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${config}")
    message(FATAL_ERROR "lendgate_plugin_test: CONFIG ${config} does not exist")
  endif()
  if(NOT IS_DIRECTORY "${samples}")
    message(FATAL_ERROR "lendgate_plugin_test: SAMPLES ${samples} is not a folder")
  endif()

  if(TARGET lendgate)
    set(cli "$<TARGET_FILE:lendgate>")
  else()
    find_program(LENDGATE_EXECUTABLE lendgate
      HINTS "${LendgateSDK_BIN_DIR}" "${_LENDGATE_PLUGIN_CMAKE_DIR}/../../../bin"
      DOC "the lendgate command line tool that runs the plugin conformance suite")
    if(NOT LENDGATE_EXECUTABLE)
      message(FATAL_ERROR "lendgate_plugin_test: the lendgate executable was not found; install the SDK with "
                          "its bin/ (cmake --install BUILD --component sdk) or set LENDGATE_EXECUTABLE")
    endif()
    set(cli "${LENDGATE_EXECUTABLE}")
  endif()

  set(name "${ARG_NAME}")
  if(NOT name)
    set(name "${target}.conformance")
  endif()
  set(timeout 20)
  if(ARG_TIMEOUT)
    if(NOT ARG_TIMEOUT MATCHES "^[1-9][0-9]*$")
      message(FATAL_ERROR "lendgate_plugin_test: TIMEOUT is a whole number of seconds")
    endif()
    set(timeout "${ARG_TIMEOUT}")
  endif()
  set(options --timeout "${timeout}")
  if(ARG_TYPE)
    list(APPEND options --type "${ARG_TYPE}")
  endif()
  add_test(NAME "${name}"
    COMMAND "${cli}" plugin test "$<TARGET_FILE:${target}>" --config "${config}" --samples "${samples}" ${options})
  # Each plugin call has its own limit; the whole run gets room for several.
  math(EXPR total "${timeout} * 30")
  set_tests_properties("${name}" PROPERTIES LABELS conformance TIMEOUT "${total}")
endfunction()
