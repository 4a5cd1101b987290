# gantry_warnings: the warning set every target of this project compiles with.
add_library(gantry_warnings INTERFACE)
target_compile_options(gantry_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                                 -Wnon-virtual-dtor -Wold-style-cast)
if(GANTRY_WERROR)
  target_compile_options(gantry_warnings INTERFACE -Werror)
endif()
