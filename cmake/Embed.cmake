# jobmarket_embed(TARGET NAME SYMBOL FILES...) compiles the given files into TARGET as
# a table of {name, bytes}, so the executable needs no data files at run time.
set(JOBMARKET_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedFiles.cmake)

function(jobmarket_embed target symbol)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${symbol}.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSYMBOL=${symbol} "-DFILES=${ARGN}"
            -P ${JOBMARKET_EMBED_SCRIPT}
    DEPENDS ${ARGN} ${JOBMARKET_EMBED_SCRIPT}
    COMMENT "Embedding ${symbol}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
