/*
 * libFuzzer harness: the same bytes go to every JSON and text entry point of libexemplar. Any
 * crash, leak or sanitizer report is a bug; every call must return a result code.
 */
#include <stddef.h>
#include <stdint.h>

#include "exemplar.h"

static exemplar_program *program;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *out = NULL;
    exemplar_program *p = NULL;
    if (!program && exemplar_program_default(&program) != EXEMPLAR_OK) return 0;
    if (exemplar_program_from_toml(data, size, &p) == EXEMPLAR_OK) exemplar_program_free(p);
    p = NULL;
    if (exemplar_program_from_json(data, size, &p) == EXEMPLAR_OK) exemplar_program_free(p);
#define CALL(f)                                                   \
    out = NULL;                                                   \
    if (f(program, data, size, &out) == EXEMPLAR_OK) exemplar_string_free(out);
    CALL(exemplar_evaluate_json)
    CALL(exemplar_year_evaluate_json)
    CALL(exemplar_designate_json)
    CALL(exemplar_select_json)
    CALL(exemplar_reward_json)
    CALL(exemplar_lifecycle_json)
    CALL(exemplar_oversight_json)
    CALL(exemplar_history_json)
    out = NULL;
    if (exemplar_allocate_json(data, size, &out) == EXEMPLAR_OK) exemplar_string_free(out);
    return 0;
}
