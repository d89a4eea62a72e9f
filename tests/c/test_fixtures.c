/*
 * The shared hand-worked fixtures (tests/fixtures), replayed through the C API: every expected
 * total, band and error of the evaluation cases, and every rule-file problem with its line.
 */
#include <math.h>

#include "test_util.h"

static const char *cases[] = {"rule_kinds", "star_sheet_110", "blended_classification", "default_relocation"};

static void evaluation_case(const char *root, const char *name) {
    char path[1024], *text, *program_text = NULL, *out = NULL;
    size_t len, plen = 0, i;
    json *c, *reports, *expected;
    exemplar_program *p = NULL;
    exemplar_result r;

    snprintf(path, sizeof path, "%s/%s/case.json", root, name);
    text = read_file(path, &len);
    CHECK(text != NULL, "read %s", path);
    if (!text) return;
    c = json_parse(text);
    if (!strcmp(json_str(json_get(c, "program")), "default")) {
        r = exemplar_program_default(&p);
    } else {
        snprintf(path, sizeof path, "%s/%s/%s", root, name, json_str(json_get(c, "program")));
        program_text = read_file(path, &plen);
        r = exemplar_program_from_toml((const uint8_t *)program_text, plen, &p);
    }
    CHECK(r == EXEMPLAR_OK, "%s: program: %s", name, last_error());
    reports = json_get(c, "reports");
    expected = json_get(c, "expected");
    for (i = 0; p && i < reports->n; i++) {
        json *report = json_at(reports, i), *want = json_at(expected, i), *err = json_get(want, "error");
        const char *org = json_str(json_get(report, "org_id"));
        r = exemplar_evaluate_json(p, (const uint8_t *)report->start, (size_t)(report->end - report->start), &out);
        if (err) {
            size_t k;
            const char *msg = last_error();
            CHECK(r == EXEMPLAR_INPUT, "%s/%s: expected EXEMPLAR_INPUT, got %s", name, org, exemplar_result_name(r));
            for (k = 0; k < err->n; k++)
                CHECK(strstr(msg, json_str(json_at(err, k))) != NULL, "%s/%s: `%s` lacks `%s`", name, org, msg, json_str(json_at(err, k)));
        } else {
            json *e;
            json *stars, *want_stars = json_get(want, "stars"), *standing, *want_standing = json_get(want, "standing");
            CHECK(r == EXEMPLAR_OK, "%s/%s: %s", name, org, last_error());
            if (r != EXEMPLAR_OK) continue;
            e = json_parse(out);
            CHECK(fabs(json_get(e, "total")->number - json_get(want, "total")->number) < 1e-9, "%s/%s: total %.2f, want %.2f",
                  name, org, json_get(e, "total")->number, json_get(want, "total")->number);
            stars = json_get(e, "stars");
            CHECK((stars->type == JSON_NULL) == (want_stars->type == JSON_NULL) && stars->number == want_stars->number,
                  "%s/%s: stars", name, org);
            standing = json_get(e, "standing");
            CHECK(!strcmp(json_str(standing), json_str(want_standing)), "%s/%s: standing %s, want %s", name, org,
                  json_str(standing), json_str(want_standing));
            CHECK(json_get(e, "vetoed")->number == json_get(want, "vetoed")->number, "%s/%s: vetoed", name, org);
            json_free(e);
            exemplar_string_free(out);
            out = NULL;
        }
    }
    exemplar_program_free(p);
    json_free(c);
    free(text);
    free(program_text);
}

static void bad_programs(const char *root) {
    char path[1024], *text;
    size_t len, i, k;
    json *c;
    snprintf(path, sizeof path, "%s/bad_programs/case.json", root);
    text = read_file(path, &len);
    CHECK(text != NULL, "read %s", path);
    if (!text) return;
    c = json_parse(text);
    for (i = 0; i < json_get(c, "programs")->n; i++) {
        json *prog = json_at(json_get(c, "programs"), i), *problems = json_get(prog, "problems");
        const char *file = json_str(json_get(prog, "file"));
        char *body;
        size_t blen = 0;
        exemplar_program *p = NULL;
        exemplar_result r;
        const char *msg;
        snprintf(path, sizeof path, "%s/bad_programs/%s", root, file);
        body = read_file(path, &blen);
        r = strstr(file, ".json") ? exemplar_program_from_json((const uint8_t *)body, blen, &p)
                                  : exemplar_program_from_toml((const uint8_t *)body, blen, &p);
        msg = last_error();
        CHECK(r == EXEMPLAR_RULE_FILE && p == NULL, "%s: %s", file, exemplar_result_name(r));
        for (k = 0; k < problems->n; k++) {
            json *pr = json_at(problems, k), *line = json_at(pr, 0);
            const char *words = json_str(json_at(pr, 1));
            char at[64];
            CHECK(strstr(msg, words) != NULL, "%s: no `%s` in:\n%s", file, words, msg);
            if (line->type == JSON_NUMBER) {
                snprintf(at, sizeof at, "line %d,", (int)line->number);
                CHECK(strstr(msg, at) != NULL, "%s: no `%s`", file, at);
            }
        }
        free(body);
    }
    json_free(c);
    free(text);
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : "tests/fixtures";
    size_t i;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) evaluation_case(root, cases[i]);
    bad_programs(root);
    return finish("c_fixtures:");
}
