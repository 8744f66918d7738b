# Warnings and sanitizers live on INTERFACE targets so every project target opts in
# by linking them, and third-party headers are not affected.
add_library(jobmarket_warnings INTERFACE)
target_compile_options(jobmarket_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wimplicit-fallthrough -Wformat=2)
if(JOBMARKET_WERROR)
  target_compile_options(jobmarket_warnings INTERFACE -Werror)
endif()

add_library(jobmarket_sanitizers INTERFACE)
if(JOBMARKET_SANITIZE)
  target_compile_options(jobmarket_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(jobmarket_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
