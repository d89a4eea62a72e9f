/*
 * libFuzzer harness: the same bytes go to every JSON and text entry point of libexemplar, and to
 * the table call as its period and events text. Every call must return a result code; a panic
 * caught at the boundary (EXEMPLAR_PANIC) is a bug, so the harness aborts on it, as it does on
 * any crash, leak or sanitizer report.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exemplar.h"

static exemplar_program *program;

static void must_not_panic(exemplar_result r) {
    if (r == EXEMPLAR_PANIC) abort();
}

/* One row under relocation_follow_up: the input split at its first newline into the period and
   the events text, and read as the value of an indicator and of an event count. */
static void table(const uint8_t *data, size_t size) {
    char text[512];
    char *events;
    const char *names[] = {"job_fairs", "cadre_disciplined"};
    const char *text_names[] = {"org_id", "scheme", "period", "events"};
    const char *org[] = {"x"}, *scheme[] = {"relocation_follow_up"}, *period[1], *ev[1];
    const char *const *texts[4];
    double job_fairs = 0, count = 0, score;
    const double *columns[2];
    uint8_t stars, standing, vetoed, weak_lax;
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = 0;
    events = strchr(text, '\n');
    if (events) *events++ = 0;
    period[0] = text;
    ev[0] = events ? events : "";
    if (size >= 16) {
        memcpy(&job_fairs, data, 8);
        memcpy(&count, data + 8, 8);
    }
    columns[0] = &job_fairs;
    columns[1] = &count;
    texts[0] = org;
    texts[1] = scheme;
    texts[2] = period;
    texts[3] = ev;
    must_not_panic(exemplar_program_evaluate_table(program, NULL, names, columns, 2, text_names, texts, 4, 1, &score, &stars,
                                           &standing, &vetoed, &weak_lax));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *out = NULL;
    exemplar_program *p = NULL;
    exemplar_result r;
    if (!program && exemplar_program_default(&program) != EXEMPLAR_OK) abort();
    r = exemplar_program_from_toml(data, size, &p);
    must_not_panic(r);
    if (r == EXEMPLAR_OK) exemplar_program_free(p);
    p = NULL;
    r = exemplar_program_from_json(data, size, &p);
    must_not_panic(r);
    if (r == EXEMPLAR_OK) exemplar_program_free(p);
#define CALL(f)                                 \
    out = NULL;                                 \
    r = f(program, data, size, &out);           \
    must_not_panic(r);                          \
    if (r == EXEMPLAR_OK) exemplar_string_free(out);
    CALL(exemplar_program_evaluate_json)
    CALL(exemplar_program_evaluate_year_json)
    CALL(exemplar_program_designate_json)
    CALL(exemplar_program_select_json)
    CALL(exemplar_program_reward_json)
    CALL(exemplar_case_apply_json)
    CALL(exemplar_procedure_apply_json)
    CALL(exemplar_title_apply_json)
    CALL(exemplar_program_oversight_json)
    CALL(exemplar_program_year_over_year_json)
    CALL(exemplar_program_gap_json)
    CALL(exemplar_appeals_apply_json)
    CALL(exemplar_appeals_adjust_year_json)
    CALL(exemplar_program_public_notice_json)
    CALL(exemplar_program_sensitivity_json)
    CALL(exemplar_program_stability_json)
    out = NULL;
    r = exemplar_pool_allocate_json(data, size, &out);
    must_not_panic(r);
    if (r == EXEMPLAR_OK) exemplar_string_free(out);
    out = NULL;
    r = exemplar_decision_diff_json(data, size, &out);
    must_not_panic(r);
    if (r == EXEMPLAR_OK) exemplar_string_free(out);
    table(data, size);
    return 0;
}
