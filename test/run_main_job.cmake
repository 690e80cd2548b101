# The README's main job, minus set-up and build: PROGRAM (example_recover) recovers the bundled smoothed photo with
# the bundled model and writes the recovery and the comparison; both must exist and the program must report the
# scores against the photo. (Whether the recovery is a good one is opencv_test_desmooth's
# Desmooth_DeSmoother.bundled_model_recovers_detail_or_is_a_clear_error.)
file(REMOVE ${OUTPUT} ${COMPARISON})
execute_process(COMMAND ${PROGRAM} ${INPUT} ${OUTPUT} --photo=${PHOTO} --comparison=${COMPARISON}
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT result EQUAL 0 OR NOT EXISTS ${OUTPUT} OR NOT EXISTS ${COMPARISON})
  message(FATAL_ERROR "${PROGRAM} failed (${result}) or wrote no ${OUTPUT} / ${COMPARISON}")
endif()
if(NOT out MATCHES "PSNR to the photo: input [0-9.]+ dB, recovered [0-9.]+ dB")
  message(FATAL_ERROR "the program did not report the scores")
endif()
