# The README's main job, minus set-up and build: PROGRAM (example_recover) recovers the bundled smoothed photo with
# the bundled model, blind and with SMOOTHER known, and writes the recovery and the comparison; both must exist and
# the program must report the scores against the photo, the known smoother's nearer to it than the input. (Whether
# the blind recovery is a good one is opencv_test_desmooth's
# Desmooth_DeSmoother.bundled_model_recovers_detail_or_is_a_clear_error.)
file(REMOVE ${OUTPUT} ${COMPARISON})
execute_process(COMMAND ${PROGRAM} ${INPUT} ${OUTPUT} --photo=${PHOTO} --comparison=${COMPARISON} --smoother=${SMOOTHER}
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT result EQUAL 0 OR NOT EXISTS ${OUTPUT} OR NOT EXISTS ${COMPARISON})
  message(FATAL_ERROR "${PROGRAM} failed (${result}) or wrote no ${OUTPUT} / ${COMPARISON}")
endif()
if(NOT out MATCHES "PSNR to the photo: input [0-9.]+ dB, recovered [0-9.]+ dB")
  message(FATAL_ERROR "the program did not report the scores")
endif()
# With the smoother known the recovery must be nearer the photo than the input (README: over a dB nearer).
string(REGEX MATCH "PSNR to the photo: input ([0-9.]+) dB" found "${out}")
set(input_psnr "${CMAKE_MATCH_1}")
string(REGEX MATCH "with the smoother known \\([^)]+\\): recovered ([0-9.]+) dB" found "${out}")
set(known_psnr "${CMAKE_MATCH_1}")
if(known_psnr STREQUAL "")
  message(FATAL_ERROR "the program did not report the recovery with the smoother known")
endif()
if(NOT known_psnr GREATER input_psnr)
  message(FATAL_ERROR "with the smoother known the recovery (${known_psnr} dB) is no nearer the photo than the input (${input_psnr} dB)")
endif()
