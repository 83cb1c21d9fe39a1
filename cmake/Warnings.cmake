# Warnings for our own targets only; third-party headers come in as SYSTEM.
function(causeway_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor
                                           -Wno-missing-field-initializers)
  if(CAUSEWAY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
