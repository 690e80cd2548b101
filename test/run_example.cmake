# Runs PROGRAM INPUT OUTPUT and checks that OUTPUT was written.
file(REMOVE ${OUTPUT})
execute_process(COMMAND ${PROGRAM} ${INPUT} ${OUTPUT} RESULT_VARIABLE result)
if(NOT result EQUAL 0 OR NOT EXISTS ${OUTPUT})
  message(FATAL_ERROR "${PROGRAM} failed (${result}) or wrote no ${OUTPUT}")
endif()
