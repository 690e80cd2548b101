# PROGRAM (example_recover) given a smoother spec that does not parse, and an input that does not exist: it must
# exit 2 (a usage error, found before the input is read) and name the option.
execute_process(COMMAND ${PROGRAM} /nonexistent.png out.png --smoother=sharpen RESULT_VARIABLE result ERROR_VARIABLE err)
if(NOT result EQUAL 2 OR NOT err MATCHES "--smoother: unknown smoother 'sharpen'")
  message(FATAL_ERROR "expected exit 2 naming --smoother, got ${result}: ${err}")
endif()
