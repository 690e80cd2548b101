# The README's main job, minus set-up and build: PROGRAM (example_recover) recovers the bundled smoothed photo with
# the bundled model and writes the recovery and the comparison; both must exist and the recovery must be closer to
# the photo than the input (the program prints both PSNRs).
file(REMOVE ${OUTPUT} ${COMPARISON})
execute_process(COMMAND ${PROGRAM} --input ${INPUT} --photo ${PHOTO} --output ${OUTPUT} --comparison ${COMPARISON}
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT result EQUAL 0 OR NOT EXISTS ${OUTPUT} OR NOT EXISTS ${COMPARISON})
  message(FATAL_ERROR "${PROGRAM} failed (${result}) or wrote no ${OUTPUT} / ${COMPARISON}")
endif()
string(REGEX MATCH "input ([0-9.]+) dB, recovered ([0-9.]+) dB" psnr "${out}")
if(NOT psnr OR NOT CMAKE_MATCH_2 GREATER CMAKE_MATCH_1)
  message(FATAL_ERROR "the recovery is not closer to the photo than the input: ${psnr}")
endif()
