# ATTN_SANITIZE=ON: every target in the tree is built with ASan + UBSan, and UBSan findings abort the test.
if(ATTN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
