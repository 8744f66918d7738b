# Every dependency comes from a Debian package (scripts/deps.sh installs them).
# Nothing is downloaded at configure or build time.
find_package(CLI11 CONFIG QUIET)
if(NOT CLI11_FOUND)
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE ${CLI11_INCLUDE_DIR})
endif()
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(Threads REQUIRED)

# fast-cpp-csv-parser ships one header and no CMake package.
find_path(FCCP_INCLUDE_DIR libfccp/csv.h REQUIRED)
add_library(fccp::fccp INTERFACE IMPORTED)
target_include_directories(fccp::fccp SYSTEM INTERFACE ${FCCP_INCLUDE_DIR})
target_link_libraries(fccp::fccp INTERFACE Threads::Threads)

# utf8proc: Unicode NFKC and case folding.
find_path(UTF8PROC_INCLUDE_DIR utf8proc.h REQUIRED)
find_library(UTF8PROC_LIBRARY utf8proc REQUIRED)
add_library(utf8proc::utf8proc UNKNOWN IMPORTED)
set_target_properties(utf8proc::utf8proc PROPERTIES
  IMPORTED_LOCATION ${UTF8PROC_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${UTF8PROC_INCLUDE_DIR})

# vectorscan (Hyperscan's portable fork): multi-pattern matching, no backtracking.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HS REQUIRED IMPORTED_TARGET libhs)

# OpenSSL's libcrypto: SHA-256 of the inputs for reports (hardware-accelerated).
find_package(OpenSSL REQUIRED COMPONENTS Crypto)

# SQLite: the history store (jobmarket ingest / report --db), embedded, no server.
find_package(SQLite3 REQUIRED)
