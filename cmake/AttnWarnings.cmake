# attn_set_warnings(target): the project's warning set, and -march=native for our kernels.
function(attn_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wno-unused-parameter)
  if(ATTN_NATIVE)
    target_compile_options(${target} PRIVATE -march=native)
  endif()
endfunction()
