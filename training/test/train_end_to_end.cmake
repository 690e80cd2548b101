# desmooth_train on DATA into WORK_DIR: a short run writes every output, --resume continues it, bad input fails;
# desmooth_join_ends (JOIN) joins the ends it wrote.
include(${CMAKE_CURRENT_LIST_DIR}/../../test/run_or_fail.cmake)
file(REMOVE_RECURSE ${WORK_DIR})
set(common --data ${DATA} --out ${WORK_DIR} --config lite --batch 1 --crop 128 --val-fraction 0.25 --threads 2)
run(${PROGRAM} ${common} --iters 3 --sample-every 2 --checkpoint-every 2 --validate-every 3)
foreach(output model.yml.gz checkpoint.pt log.csv losses.png sample_0000002.png sample_0000003.png held_out.txt
       held_out_curves.csv held_out_curves.png)
  if(NOT EXISTS ${WORK_DIR}/${output})
    message(FATAL_ERROR "desmooth_train wrote no ${output}")
  endif()
endforeach()
file(STRINGS ${WORK_DIR}/log.csv lines)
list(LENGTH lines count)
if(NOT count EQUAL 4)
  message(FATAL_ERROR "log.csv has ${count} lines, expected a header and 3 iterations")
endif()
list(GET lines 0 header)
if(NOT header STREQUAL
   "iteration,d_loss,g_adversarial,content,heldout_psnr,heldout_ssim,seconds,allreduce_seconds,allreduce_mb,detail_energy,frequency")
  message(FATAL_ERROR "log.csv's header is '${header}'")
endif()
execute_process(COMMAND ${PROGRAM} ${common} --iters 5 --resume OUTPUT_VARIABLE out RESULT_VARIABLE result)
if(NOT result EQUAL 0 OR NOT out MATCHES "resumed at iteration 3")
  message(FATAL_ERROR "--resume did not continue from iteration 3 (${result}):\n${out}")
endif()
# The held-out curves: the five evaluation smoothers at iteration 3, then at 5 appended by the resumed run.
file(STRINGS ${WORK_DIR}/held_out_curves.csv curve_lines)
list(LENGTH curve_lines curve_count)
if(NOT curve_count EQUAL 11)
  message(FATAL_ERROR "held_out_curves.csv has ${curve_count} lines, expected a header and 2 x 5 points")
endif()
# restore with width overrides and the weight average: the model file is exported from the average (the export
# checks module = LibTorch on it), and a resumed run reads the average back from the checkpoint.
set(small --data ${DATA} --out ${WORK_DIR}/restore --config restore --ngf 4 --blocks 1 --sft-hidden 4 --ema 0.9
          --batch 1 --crop 64 --val-fraction 0.25 --threads 2 --adversarial-weight 0 --validate-every 2
          --detail-energy 10 --frequency-weight 10)
execute_process(COMMAND ${PROGRAM} ${small} --iters 2 OUTPUT_VARIABLE out RESULT_VARIABLE result)
if(NOT result EQUAL 0 OR NOT out MATCHES "ngf 4, blocks 1, sft_hidden 4" OR NOT out MATCHES "weight average of G \\(decay 0.9\\)")
  message(FATAL_ERROR "the restore run with overrides and --ema failed (${result}):\n${out}")
endif()
execute_process(COMMAND ${PROGRAM} ${small} --iters 3 --resume OUTPUT_VARIABLE out RESULT_VARIABLE result)
if(NOT result EQUAL 0 OR out MATCHES "no weight average" OR NOT out MATCHES "model written")
  message(FATAL_ERROR "the restore run did not resume with its weight average (${result}):\n${out}")
endif()
# Its log's last two columns are the detail-energy and frequency losses (before their weights): positive when on.
file(STRINGS ${WORK_DIR}/restore/log.csv restore_lines)
list(GET restore_lines -1 last_line)
string(REGEX MATCH "([^,]+),([^,]+)$" last_two "${last_line}")
set(detail_energy "${CMAKE_MATCH_1}")
set(frequency "${CMAKE_MATCH_2}")
if(NOT detail_energy GREATER 0 OR NOT frequency GREATER 0)
  message(FATAL_ERROR "log.csv's detail_energy, frequency are '${detail_energy}', '${frequency}' with "
                      "--detail-energy 10 --frequency-weight 10: ${last_line}")
endif()
# --init-from-model: the restore run's model file starts a run one level deeper (the new level switched off) with a
# full-resolution block (starting as the identity); a model that does not fit (two levels deeper) stops the run
# before it starts.
set(grown ${small} --init-from-model ${WORK_DIR}/restore/model.yml.gz)
list(TRANSFORM grown REPLACE "^${WORK_DIR}/restore$" "${WORK_DIR}/grown")
execute_process(COMMAND ${PROGRAM} ${grown} --depth 4 --fa-levels 2 --full-res-blocks 1 --max-channels 16 --iters 1
                OUTPUT_VARIABLE out RESULT_VARIABLE result)
if(NOT result EQUAL 0 OR NOT out MATCHES "grown by its new coarsest level" OR NOT out MATCHES "depth 4"
   OR NOT out MATCHES "grown by 1 full-resolution blocks" OR NOT out MATCHES "channels capped at 16")
  message(FATAL_ERROR "the run grown from the restore model failed (${result}):\n${out}")
endif()
execute_process(COMMAND ${PROGRAM} ${grown} --depth 5 --fa-levels 3 --iters 1 RESULT_VARIABLE result ERROR_VARIABLE err
                OUTPUT_QUIET)
if(result EQUAL 0 OR NOT err MATCHES "--init-from-model: importModel: a model of depth 3 cannot start")
  message(FATAL_ERROR "a model two levels shallower started a run (${result}): ${err}")
endif()
# A cap that narrows one of the model's own levels (ngf 4: 4, 8, 16) changes its widths.
execute_process(COMMAND ${PROGRAM} ${grown} --depth 4 --fa-levels 2 --max-channels 8 --iters 1 RESULT_VARIABLE result
                ERROR_VARIABLE err OUTPUT_QUIET)
if(result EQUAL 0 OR NOT err MATCHES "widths \\(ngf, max_channels")
  message(FATAL_ERROR "a cap on the model's own levels started a run (${result}): ${err}")
endif()
# desmooth_join_ends: two ends of one configuration join; ends of different widths or depths, or a model that
# already has two ends, are refused.
set(restore_model ${WORK_DIR}/restore/model.yml.gz)
run(${JOIN} --fidelity ${restore_model} --detail ${restore_model} --default-detail 0.5 --out ${WORK_DIR}/joined.yml.gz)
foreach(pair "${restore_model};${WORK_DIR}/grown/model.yml.gz;different network configurations"
             "${WORK_DIR}/joined.yml.gz;${restore_model};models with one end")
  list(GET pair 0 fidelity)
  list(GET pair 1 detail)
  list(GET pair 2 expected)
  execute_process(COMMAND ${JOIN} --fidelity ${fidelity} --detail ${detail} --out ${WORK_DIR}/refused.yml.gz
                  RESULT_VARIABLE result ERROR_VARIABLE err OUTPUT_QUIET)
  if(result EQUAL 0 OR NOT err MATCHES "${expected}" OR EXISTS ${WORK_DIR}/refused.yml.gz)
    message(FATAL_ERROR "desmooth_join_ends joined ${fidelity} and ${detail} (${result}): ${err}")
  endif()
endforeach()
# --iters 0 exports the initial model.
run(${PROGRAM} --data ${DATA} --out ${WORK_DIR}/initial --iters 0)
# Bad arguments: a clear message and a non-zero exit, never a crash.
foreach(bad "--crop;100" "--config;huge" "--iters;-1" "--l0-kappa;1" "--data;/nonexistent" "--vgg19;/nonexistent.pt"
       "--validate-smoother;bogus" "--ema;1" "--detail-energy;-1" "--frequency-weight;-1" "--ngf;-1" "--depth;1" "--blocks;2"
       "--smoothers;l0,bogus" "--smooth-image-share;0.1" "--smoothers;l0;--smooth-image-share;1"
       "--jpeg-share;0.1" "--smoothers;l0;--jpeg-share;1" "--init-from-model;/nonexistent.yml.gz" "--smoothers;l0;--jpeg-quality;90,60"
       "--smoothers;l0;--jpeg-quality;0,90" "--smoothers;l0;--jpeg-quality;80" "--config;restore;--blocks;65"
       "--config;restore;--full-res-blocks;65" "--config;restore;--max-channels;11" "--config;restore;--max-channels;97"
       "--max-channels;64" "--strengths;heavy" "--strengths;wide")
  execute_process(COMMAND ${PROGRAM} --data ${DATA} --out ${WORK_DIR}/bad ${bad} RESULT_VARIABLE result
                  ERROR_VARIABLE err OUTPUT_QUIET)
  if(result EQUAL 0 OR NOT err MATCHES "desmooth_train: ")
    message(FATAL_ERROR "desmooth_train accepted '${bad}' (exit ${result}): ${err}")
  endif()
endforeach()
