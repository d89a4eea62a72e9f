/*
 * The shared hand-worked fixtures (tests/fixtures), replayed through the C API by listing the
 * folder: every expected total, band and error of the evaluation cases, every table, every
 * selection, and every rule-file problem with its line; each counts what it compared.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <math.h>

#include "test_util.h"

/* The gap's next band and points, and each improvement plan's steps (criterion, points, value),
   through exemplar_program_gap_json. */
static void plans(exemplar_program *p, json *report, json *want, const char *name, const char *org) {
    char *out = NULL;
    json *g, *wplans = json_get(want, "plans"), *wgap = json_get(want, "gap");
    size_t i, k;
    CHECK(exemplar_program_gap_json(p, (const uint8_t *)report->start, (size_t)(report->end - report->start), &out) == EXEMPLAR_OK,
          "%s/%s: %s", name, org, last_error());
    if (!out) return;
    g = json_parse(out);
    if (wgap)
        CHECK(!strcmp(json_str(json_get(json_get(g, "gap"), "next")), json_str(json_get(wgap, "next"))) &&
                  fabs(json_get(json_get(g, "gap"), "points_needed")->number - json_get(wgap, "points_needed")->number) < 1e-9,
              "%s/%s: gap", name, org);
    for (i = 0; wplans && i < wplans->n; i++) {
        json *w = wplans->items[i], *plan = json_get(g, wplans->keys[i]), *steps = json_get(plan, "steps");
        json *wsteps = json_get(w, "steps");
        CHECK(steps->n == wsteps->n && json_get(plan, "achievable")->number == json_get(w, "achievable")->number &&
                  json_get(plan, "conditions")->n == (size_t)json_get(w, "conditions")->number,
              "%s/%s: %s plan: %s", name, org, wplans->keys[i], json_str(json_get(plan, "summary")));
        for (k = 0; k < steps->n && k < wsteps->n; k++) {
            json *s = json_at(steps, k), *x = json_at(wsteps, k);
            CHECK(!strcmp(json_str(json_get(s, "criterion")), json_str(json_at(x, 0))) &&
                      fabs(json_get(s, "points")->number - json_at(x, 1)->number) < 1e-9 &&
                      fabs(json_get(s, "value_needed")->number - json_at(x, 2)->number) < 1e-9,
                  "%s/%s: %s step %lu", name, org, wplans->keys[i], (unsigned long)k);
        }
    }
    json_free(g);
    exemplar_string_free(out);
}

static size_t evaluation_case(const char *root, const char *name, json *c) {
    char path[1024], *program_text = NULL, *out = NULL;
    size_t plen = 0, i, compared = 0;
    json *reports, *expected;
    exemplar_program *p = NULL;
    exemplar_result r;

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
        r = exemplar_program_evaluate_json(p, (const uint8_t *)report->start, (size_t)(report->end - report->start), &out);
        if (err) {
            size_t k;
            const char *msg = last_error();
            CHECK(r == EXEMPLAR_INPUT, "%s/%s: expected EXEMPLAR_INPUT, got %s", name, org, exemplar_result_name(r));
            for (k = 0; k < err->n; k++)
                CHECK(strstr(msg, json_str(json_at(err, k))) != NULL, "%s/%s: `%s` lacks `%s`", name, org, msg, json_str(json_at(err, k)));
            compared++;
        } else {
            json *e;
            json *stars, *want_stars = json_get(want, "stars"), *standing, *want_standing = json_get(want, "standing");
            CHECK(r == EXEMPLAR_OK, "%s/%s: %s", name, org, last_error());
            if (r != EXEMPLAR_OK) continue;
            e = json_parse(out);
            CHECK(fabs(json_get(e, "score")->number - json_get(want, "score")->number) < 1e-9, "%s/%s: total %.2f, want %.2f",
                  name, org, json_get(e, "score")->number, json_get(want, "score")->number);
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
            if (json_get(want, "gap") || json_get(want, "plans")) plans(p, report, want, name, org);
            compared++;
        }
    }
    exemplar_program_free(p);
    free(program_text);
    return compared;
}

/* Every warning of each rule file, in order, in English and in Chinese, through
   exemplar_program_lint_json. */
static size_t lint(const char *root, json *c) {
    char path[1024], *out = NULL;
    size_t i, k, compared = 0;
    for (i = 0; i < json_get(c, "lint")->n; i++) {
        json *prog = json_at(json_get(c, "lint"), i), *want = json_get(prog, "warnings"), *got;
        const char *file = json_str(json_get(prog, "file"));
        exemplar_program *p = NULL;
        snprintf(path, sizeof path, "%s/lint/%s", root, file);
        CHECK(exemplar_program_from_path(path, &p) == EXEMPLAR_OK, "%s: %s", file, last_error());
        if (!p) continue;
        CHECK(exemplar_program_lint_json(p, &out) == EXEMPLAR_OK, "%s: %s", file, last_error());
        got = json_parse(out);
        CHECK(got && got->n == want->n, "%s: %s", file, out);
        for (k = 0; got && k < got->n && k < want->n; k++) {
            json *w = json_at(got, k), *x = json_at(want, k);
            CHECK(!strcmp(json_str(json_get(w, "place")), json_str(json_at(x, 0))) &&
                      strstr(json_str(json_get(w, "message")), json_str(json_at(x, 1))) != NULL &&
                      !strcmp(json_str(json_get(w, "place_zh")), json_str(json_at(x, 2))) &&
                      strstr(json_str(json_get(w, "message_zh")), json_str(json_at(x, 3))) != NULL,
                  "%s: warning %lu", file, (unsigned long)k);
        }
        json_free(got);
        exemplar_string_free(out);
        out = NULL;
        exemplar_program_free(p);
        compared++;
    }
    return compared;
}

static size_t bad_programs(const char *root, json *c) {
    char path[1024];
    size_t i, k, compared = 0;
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
        compared++;
    }
    return compared;
}

/* The table fixture through exemplar_program_evaluate_table: text columns by name, the rest numbers. */
static int is_text(const char *name) {
    static const char *text[] = {"org_id", "scheme", "area", "period", "events"};
    size_t i;
    for (i = 0; i < sizeof text / sizeof *text; i++)
        if (!strcmp(name, text[i])) return 1;
    return 0;
}

#define MAX_COLS 16
#define MAX_ROWS 8

static size_t tables(const char *root, json *c) {
    char path[1024], *program_text;
    size_t plen = 0, t, compared = 0;
    json *list;
    exemplar_program *p = NULL;
    snprintf(path, sizeof path, "%s/tables/%s", root, json_str(json_get(c, "program")));
    program_text = read_file(path, &plen);
    CHECK(exemplar_program_from_toml((const uint8_t *)program_text, plen, &p) == EXEMPLAR_OK, "tables: %s", last_error());
    list = json_get(c, "tables");
    for (t = 0; p && t < list->n; t++) {
        json *table = json_at(list, t), *cols = json_get(table, "columns"), *want = json_get(table, "expected");
        json *err = json_get(want, "error"), *scheme = json_get(table, "scheme");
        const char *name = json_str(json_get(table, "name"));
        const char *names[MAX_COLS], *text_names[MAX_COLS], *text_cells[MAX_COLS][MAX_ROWS];
        const char *const *texts[MAX_COLS];
        double numbers[MAX_COLS][MAX_ROWS], score[MAX_ROWS];
        const double *columns[MAX_COLS];
        uint8_t stars[MAX_ROWS], standing[MAX_ROWS], vetoed[MAX_ROWS], weak_lax[MAX_ROWS];
        size_t i, k, n_num = 0, n_text = 0, rows = json_at(json_at(cols, 0), 1)->n;
        exemplar_result r;
        for (i = 0; i < cols->n && i < MAX_COLS; i++) {
            const char *col = json_str(json_at(json_at(cols, i), 0));
            json *values = json_at(json_at(cols, i), 1);
            if (is_text(col)) {
                for (k = 0; k < rows && k < MAX_ROWS; k++) {
                    json *v = json_at(values, k);
                    text_cells[n_text][k] = v->type == JSON_NULL ? NULL : json_str(v);
                }
                text_names[n_text] = col;
                texts[n_text] = text_cells[n_text];
                n_text++;
            } else {
                for (k = 0; k < rows && k < MAX_ROWS; k++) {
                    json *v = json_at(values, k);
                    numbers[n_num][k] = v->type == JSON_NULL ? NAN : v->number;
                }
                names[n_num] = col;
                columns[n_num] = numbers[n_num];
                n_num++;
            }
        }
        r = exemplar_program_evaluate_table(p, scheme && scheme->type == JSON_STRING ? json_str(scheme) : NULL, names, columns,
                                    n_num, text_names, texts, n_text, rows, score, stars, standing, vetoed, weak_lax);
        if (err) {
            const char *msg = last_error();
            CHECK(r == EXEMPLAR_INPUT, "%s: expected EXEMPLAR_INPUT, got %s (%s)", name, exemplar_result_name(r), msg);
            for (k = 0; k < err->n; k++)
                CHECK(strstr(msg, json_str(json_at(err, k))) != NULL, "%s: `%s` lacks `%s`", name, msg, json_str(json_at(err, k)));
        } else {
            CHECK(r == EXEMPLAR_OK, "%s: %s", name, last_error());
            for (k = 0; r == EXEMPLAR_OK && k < rows; k++) {
                CHECK(fabs(score[k] - json_at(json_get(want, "score"), k)->number) < 1e-9, "%s: row %lu score %.2f", name,
                      (unsigned long)k, score[k]);
                CHECK(standing[k] == json_at(json_get(want, "standing"), k)->number, "%s: row %lu standing", name, (unsigned long)k);
                CHECK(vetoed[k] == json_at(json_get(want, "vetoed"), k)->number, "%s: row %lu vetoed", name, (unsigned long)k);
                CHECK(weak_lax[k] == json_at(json_get(want, "weak_lax"), k)->number, "%s: row %lu weak_lax", name, (unsigned long)k);
            }
        }
        compared++;
    }
    exemplar_program_free(p);
    free(program_text);
    return compared;
}

/* The award of `key` ("org:scheme") in an allocation's JSON, or -1. */
static double award_of(json *awards, const char *key) {
    size_t i;
    char k[256];
    for (i = 0; i < awards->n; i++) {
        json *w = json_at(awards, i);
        snprintf(k, sizeof k, "%s:%s", json_str(json_get(w, "id")), json_str(json_get(w, "scheme")));
        if (!strcmp(k, key)) return json_get(w, "amount_fen")->number;
    }
    return -1;
}

/* The case's reward, through exemplar_program_reward_json on the selection it wrote: the awards,
   paid, rest, scaling and sub-pools, or the error. */
static void check_reward(exemplar_program *p, json *k_, const char *name, const char *selection_json) {
    json *want = json_get(k_, "awards"), *error = json_get(k_, "reward_error"), *a, *parts, *wparts;
    char *out = NULL;
    size_t i;
    exemplar_result r;
    if (!want && !error) return;
    r = exemplar_program_reward_json(p, (const uint8_t *)selection_json, strlen(selection_json), &out);
    if (error) {
        CHECK(r != EXEMPLAR_OK, "%s: the reward should fail", name);
        for (i = 0; i < error->n; i++)
            CHECK(strstr(last_error(), json_str(json_at(error, i))) != NULL, "%s: `%s` lacks `%s`", name, last_error(),
                  json_str(json_at(error, i)));
        return;
    }
    CHECK(r == EXEMPLAR_OK && out, "%s: %s", name, last_error());
    if (!out) return;
    a = json_parse(out);
    CHECK(json_get(a, "awards")->n == want->n, "%s: %lu awards", name, (unsigned long)json_get(a, "awards")->n);
    for (i = 0; i < want->n; i++)
        CHECK(award_of(json_get(a, "awards"), want->keys[i]) == want->items[i]->number, "%s: %s", name, want->keys[i]);
    CHECK(json_get(a, "paid_fen")->number == json_get(k_, "paid_fen")->number &&
              json_get(a, "rest_fen")->number == json_get(k_, "rest_fen")->number,
          "%s: paid and rest", name);
    CHECK(json_get(k_, "scaled_from_fen") ? json_get(a, "scaled_from_fen") &&
                                                 json_get(a, "scaled_from_fen")->number ==
                                                     json_get(k_, "scaled_from_fen")->number
                                           : !json_get(a, "scaled_from_fen"),
          "%s: scaled from", name);
    parts = json_get(a, "sub_pools"), wparts = json_get(k_, "sub_pools");
    CHECK((parts ? parts->n : 0) == (wparts ? wparts->n : 0), "%s: sub-pools", name);
    for (i = 0; parts && wparts && i < parts->n && i < wparts->n; i++) {
        json *got = json_at(parts, i), *w = json_get(wparts, json_str(json_get(got, "of")));
        CHECK(w && w->number == json_get(got, "pool_fen")->number, "%s: sub-pool %s", name, json_str(json_get(got, "of")));
    }
    json_free(a);
    exemplar_string_free(out);
}

/* Whether the entry of `list` keyed "org:scheme" has `field` containing `words`. */
static int has_text(json *list, const char *key, const char *field, const char *words) {
    size_t i, n = strcspn(key, ":");
    for (i = 0; list && i < list->n; i++) {
        json *e = json_at(list, i);
        const char *org = json_str(json_get(e, "org_id")), *scheme = json_str(json_get(e, "scheme"));
        if (strlen(org) == n && !strncmp(org, key, n) && key[n] == ':' && !strcmp(scheme, key + n + 1))
            return words && strstr(json_str(json_get(e, field)), words) != NULL;
    }
    return 0;
}

/* The case's texts in `lang` ("zh" or "en") in the selection `s`: each reason for not naming and
   each basis holds the fixture's words, and the shortfalls are exactly the fixture's. */
static void check_texts(json *s, json *k_, json *c, const char *lang, const char *name) {
    json *lists[2], *basis = json_get(k_, "basis"), *want = json_get(k_, "shortfalls"), *got = json_get(s, "shortfalls");
    size_t i, j;
    lists[0] = json_get(k_, "reasons"), lists[1] = json_get(c, "always");
    for (j = 0; j < 2; j++)
        for (i = 0; lists[j] && i < lists[j]->n; i++)
            CHECK(has_text(json_get(s, "not_named"), lists[j]->keys[i], "reason", json_str(json_get(lists[j]->items[i], lang))),
                  "%s (%s): the reason of %s", name, lang, lists[j]->keys[i]);
    for (i = 0; basis && i < basis->n; i++)
        CHECK(has_text(json_get(s, "named"), basis->keys[i], "basis", json_str(json_get(basis->items[i], lang))),
              "%s (%s): the basis of %s", name, lang, basis->keys[i]);
    CHECK(got && (want ? want->n : 0) == got->n, "%s (%s): shortfalls", name, lang);
    for (i = 0; want && got && i < want->n && i < got->n; i++)
        CHECK(!strcmp(json_str(json_at(got, i)), json_str(json_get(json_at(want, i), lang))), "%s (%s): shortfall %lu",
              name, lang, (unsigned long)i);
}

/* Selection: each quota kind and exclusion reason, through exemplar_program_select_json; the texts
   in Chinese (the program's default) and in English (exemplar_program_with_language). */
static size_t selection(const char *root, json *c) {
    char path[1024], *base, *year_csv, *program_text, *request, *out = NULL;
    size_t blen = 0, ylen = 0, i, k, compared = 0;
    json *cases = json_get(c, "cases"), *ex = json_get(c, "exclusions");
    snprintf(path, sizeof path, "%s/selection/program.toml", root);
    base = read_file(path, &blen);
    snprintf(path, sizeof path, "%s/selection/year.csv", root);
    year_csv = read_file(path, &ylen);
    for (i = 0; base && year_csv && i < cases->n; i++) {
        json *k_ = json_at(cases, i), *named, *want = json_get(k_, "named"), *s;
        const char *name = json_str(json_get(k_, "name")), *sel = json_str(json_get(k_, "selection"));
        const char *common = json_str(json_get(c, "selection_common"));
        const char *reward = json_get(k_, "reward") ? json_str(json_get(k_, "reward")) : NULL;
        exemplar_program *p = NULL;
        size_t n = blen + strlen(common) + strlen(sel) + (reward ? strlen(reward) : 0) + 48;
        program_text = malloc(n);
        snprintf(program_text, n, "%s\n[selection]\n%s\n%s\n%s%s\n", base, common, sel, reward ? "[reward]\n" : "",
                 reward ? reward : "");
        CHECK(exemplar_program_from_toml((const uint8_t *)program_text, strlen(program_text), &p) == EXEMPLAR_OK, "%s: %s",
              name, last_error());
        free(program_text);
        if (!p) continue;
        /* The request: the year as text, and the exclusions as the fixture gives them. */
        n = ylen * 2 + (size_t)(ex->end - ex->start) + 64;
        request = malloc(n);
        {
            char *w = request;
            const char *r;
            w += sprintf(w, "{\"year_csv\": \"");
            for (r = year_csv; *r; r++) {
                if (*r == '\n') { *w++ = '\\'; *w++ = 'n'; }
                else if (*r == '"' || *r == '\\') { *w++ = '\\'; *w++ = *r; }
                else *w++ = *r;
            }
            w += sprintf(w, "\", \"weak_lax\": ");
            {
                json *wl = json_get(ex, "weak_lax"), *pi = json_get(ex, "procedure_incomplete");
                memcpy(w, wl->start, (size_t)(wl->end - wl->start));
                w += wl->end - wl->start;
                w += sprintf(w, ", \"procedure_incomplete\": ");
                memcpy(w, pi->start, (size_t)(pi->end - pi->start));
                w += pi->end - pi->start;
            }
            sprintf(w, "}");
        }
        {
            exemplar_program *en = NULL;
            char *en_out = NULL;
            CHECK(exemplar_program_with_language(p, "en", &en) == EXEMPLAR_OK, "%s: %s", name, last_error());
            CHECK(exemplar_program_select_json(en, (const uint8_t *)request, strlen(request), &en_out) == EXEMPLAR_OK,
                  "%s: %s", name, last_error());
            if (en_out) {
                s = json_parse(en_out);
                check_texts(s, k_, c, "en", name);
                json_free(s);
            }
            exemplar_string_free(en_out);
            exemplar_program_free(en);
        }
        CHECK(exemplar_program_select_json(p, (const uint8_t *)request, strlen(request), &out) == EXEMPLAR_OK, "%s: %s", name,
              last_error());
        free(request);
        if (out) {
            s = json_parse(out);
            check_texts(s, k_, c, "zh", name);
            named = json_get(s, "named");
            CHECK(named->n == want->n, "%s: %lu named, want %lu", name, (unsigned long)named->n, (unsigned long)want->n);
            for (k = 0; k < named->n && k < want->n; k++) {
                json *got = json_at(named, k), *w = json_at(want, k), *tier = json_get(got, "tier");
                CHECK(!strcmp(json_str(json_get(got, "org_id")), json_str(json_at(w, 0))) &&
                          !strcmp(json_str(json_get(got, "scheme")), json_str(json_at(w, 1))) &&
                          (tier->type == JSON_NULL ? 0 : tier->number) == json_at(w, 2)->number,
                      "%s: named %lu", name, (unsigned long)k);
            }
            json_free(s);
            check_reward(p, k_, name, out);
            exemplar_string_free(out);
            out = NULL;
            compared++;
        }
        exemplar_program_free(p);
    }
    free(base);
    free(year_csv);
    return compared;
}

/* The number of expectations a fixture holds, and the replay that compares them. */
static void replay(const char *root, const char *name) {
    char path[1024], *text;
    size_t len, compared, held;
    json *c;
    snprintf(path, sizeof path, "%s/%s/case.json", root, name);
    text = read_file(path, &len);
    if (!text) return; /* not a fixture folder */
    c = json_parse(text);
    if (json_get(c, "reports")) {
        compared = evaluation_case(root, name, c), held = json_get(c, "expected")->n;
    } else if (json_get(c, "tables")) {
        compared = tables(root, c), held = json_get(c, "tables")->n;
    } else if (json_get(c, "programs")) {
        compared = bad_programs(root, c), held = json_get(c, "programs")->n;
    } else if (json_get(c, "lint")) {
        compared = lint(root, c), held = json_get(c, "lint")->n;
    } else if (json_get(c, "cases")) {
        compared = selection(root, c), held = json_get(c, "cases")->n;
    } else {
        compared = 0, held = 1;
    }
    CHECK(compared == held, "%s: compared %lu of %lu", name, (unsigned long)compared, (unsigned long)held);
    json_free(c);
    free(text);
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : "tests/fixtures";
    size_t folders = 0;
    struct dirent *e;
    DIR *d = opendir(root);
    CHECK(d != NULL, "open %s", root);
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        replay(root, e->d_name);
        folders++;
    }
    if (d) closedir(d);
    CHECK(folders >= 7, "the fixtures folder lists %lu folders", (unsigned long)folders);
    return finish("c_fixtures:");
}
