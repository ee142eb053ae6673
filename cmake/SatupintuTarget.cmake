# Shared compile settings for every satupintu target: the house warning set, -Werror,
# and the optional sanitizer build.
set(SATUPINTU_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror)
if(SATUPINTU_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

function(satupintu_target target)
  target_compile_options(${target} PRIVATE ${SATUPINTU_WARNINGS})
endfunction()
