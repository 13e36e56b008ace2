# lendgate_add_plugin(NAME SOURCES src... [LINK_LIBRARIES lib...] [OUTPUT_DIRECTORY dir])
#
# Builds a lendgate format plugin: a MODULE library named lendgate-plugin-NAME.so
# whatever the platform's prefix conventions, hidden visibility (only the entry
# symbol is exported), and --no-undefined so a missing symbol fails at link
# time, not when the gateway loads the plugin in production.
include_guard(GLOBAL)

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
