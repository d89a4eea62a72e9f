/*
 * Every exported function of libexemplar, with good input and bad: NULL handles and
 * out-pointers, invalid UTF-8, truncated JSON, wrong lengths, zero rows, illegal transitions,
 * and one program shared by several threads. (Using a handle after exemplar_program_free is
 * undefined behaviour, documented in the header, and never done here.)
 */
#include <math.h>
#include <pthread.h>

#include "test_util.h"

static const char *root = "tests/fixtures";

static exemplar_program *load(const char *rel) {
    char path[1024], *text;
    size_t len = 0;
    exemplar_program *p = NULL;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    text = read_file(path, &len);
    CHECK(text && exemplar_program_from_toml((const uint8_t *)text, len, &p) == EXEMPLAR_OK, "load %s: %s", rel, last_error());
    free(text);
    return p;
}

/* A message cut to any buffer length is a prefix of the whole that ends on a character boundary. */
static void utf8_truncation(void) {
    const char *bad = "{\"program\": {\"id\": \"中文\", \"name_zh\": \"甲\"}, \"indicators\": [], \"bands\": {}, \"schemes\": []}";
    char full[512], cut[512];
    size_t n = 0, len, got;
    exemplar_program *p = NULL;
    CHECK(exemplar_program_from_json((const uint8_t *)bad, strlen(bad), &p) == EXEMPLAR_RULE_FILE, "refused");
    CHECK(exemplar_last_error(full, sizeof full, &n) == EXEMPLAR_OK && strstr(full, "中文"), "%s", full);
    for (len = 1; len <= n + 1 && len < sizeof cut; len++) {
        exemplar_last_error(cut, len, &got);
        got = strlen(cut);
        CHECK(got < len && !strncmp(cut, full, got), "prefix at %lu", (unsigned long)len);
        CHECK(got == n || ((unsigned char)full[got] & 0xC0) != 0x80, "cut inside a character at %lu", (unsigned long)len);
    }
}

static void basics(void) {
    char buf[8];
    size_t n = 99;
    exemplar_program *p = NULL;
    CHECK(!strcmp(exemplar_version(), EXEMPLAR_VERSION), "version %s, header %s", exemplar_version(), EXEMPLAR_VERSION);
    CHECK(!strcmp(exemplar_result_name(EXEMPLAR_LIFECYCLE), "EXEMPLAR_LIFECYCLE"), "name");
    CHECK(!strcmp(exemplar_result_name(EXEMPLAR_PANIC), "EXEMPLAR_PANIC"), "name");
    /* Before C23 any number can arrive as a result: outside the enum it is "unknown". */
    CHECK(!strcmp(exemplar_result_name(EXEMPLAR_SHAPE), "EXEMPLAR_SHAPE"), "name");
    CHECK(!strcmp(exemplar_result_name(13), "unknown") && !strcmp(exemplar_result_name(99), "unknown"), "13, 99");
    CHECK(!strcmp(exemplar_result_name(0xFFFFFFFFu), "unknown"), "0xFFFFFFFF");
    exemplar_string_free(NULL);
    exemplar_program_free(NULL);
    /* A failure leaves a message; the length can be asked for, and a short buffer truncates. */
    CHECK(exemplar_program_default(NULL) == EXEMPLAR_NULL_ARGUMENT, "NULL out");
    CHECK(exemplar_last_error(NULL, 0, &n) == EXEMPLAR_OK && n == strlen("out is NULL"), "length %lu", (unsigned long)n);
    CHECK(exemplar_last_error(buf, sizeof buf, &n) == EXEMPLAR_BUFFER_TOO_SMALL && !strcmp(buf, "out is "), "truncated `%s`", buf);
    CHECK(exemplar_last_error(buf, sizeof buf, NULL) == EXEMPLAR_NULL_ARGUMENT, "NULL out_n");
    CHECK(exemplar_last_error(NULL, 4, &n) == EXEMPLAR_NULL_ARGUMENT, "NULL buf with a length");
    {
        char zh[64];
        CHECK(exemplar_program_default(NULL) == EXEMPLAR_NULL_ARGUMENT, "NULL out");
        CHECK(exemplar_last_error_zh(zh, sizeof zh, &n) == EXEMPLAR_OK && !strcmp(zh, "out为NULL"), "%s", zh);
    }
    utf8_truncation();
    /* Success clears it. */
    CHECK(exemplar_program_default(&p) == EXEMPLAR_OK && p, "default");
    CHECK(exemplar_last_error(NULL, 0, &n) == EXEMPLAR_OK && n == 0, "cleared");
    exemplar_program_free(p);
}

static void programs(void) {
    exemplar_program *p = NULL, *again = NULL;
    char *toml = NULL, *toml2 = NULL, *desc = NULL;
    const uint8_t bad_utf8[] = {'[', 'p', 0xff, 0xfe, ']'};
    const char *truncated = "{\"program\": {\"id\": \"x\", \"name_zh\": \"x\"}, \"indicators\": [";
    json *d;
    CHECK(exemplar_program_default(&p) == EXEMPLAR_OK, "default");
    CHECK(exemplar_program_to_toml(p, &toml) == EXEMPLAR_OK && strstr(toml, "rural_revitalization"), "to_toml");
    CHECK(exemplar_program_from_toml((const uint8_t *)toml, strlen(toml), &again) == EXEMPLAR_OK, "reload: %s", last_error());
    CHECK(exemplar_program_to_toml(again, &toml2) == EXEMPLAR_OK && !strcmp(toml, toml2), "round trip");
    CHECK(exemplar_program_describe_json(p, &desc) == EXEMPLAR_OK, "describe");
    d = json_parse(desc);
    CHECK(d && json_get(d, "schemes")->n == 6, "six schemes");
    json_free(d);
    CHECK(exemplar_program_from_toml(bad_utf8, sizeof bad_utf8, &again) == EXEMPLAR_INVALID_UTF8, "utf8");
    CHECK(strstr(last_error(), "offset 2") != NULL, "utf8 offset: %s", last_error());
    CHECK(exemplar_program_from_json((const uint8_t *)truncated, strlen(truncated), &again) == EXEMPLAR_RULE_FILE, "truncated json");
    CHECK(exemplar_program_from_toml(NULL, 5, &again) == EXEMPLAR_NULL_ARGUMENT, "NULL text");
    CHECK(exemplar_program_from_toml(NULL, 0, &again) == EXEMPLAR_RULE_FILE, "empty text is a rule-file error");
    CHECK(exemplar_program_to_toml(NULL, &toml2) == EXEMPLAR_NULL_ARGUMENT, "NULL program");
    CHECK(exemplar_program_describe_json(p, NULL) == EXEMPLAR_NULL_ARGUMENT, "NULL out");
    {
        /* A program from a path, and a scheme's columns without JSON: the tables fixture's
           `plain` scheme reads meetings, the incident count (criterion and deduction), the mass
           incident count (its veto) and the secretary's vacant months (weak and lax). */
        char path[1024], name[32];
        size_t n = 0;
        exemplar_program *t = NULL;
        snprintf(path, sizeof path, "%s/tables/program.toml", root);
        CHECK(exemplar_program_from_path(path, &t) == EXEMPLAR_OK, "%s", last_error());
        CHECK(exemplar_program_from_path("/nonexistent.toml", &again) == EXEMPLAR_IO, "missing file");
        CHECK(exemplar_program_column_count(t, "plain", &n) == EXEMPLAR_OK && n == 4, "plain takes %lu columns", (unsigned long)n);
        CHECK(exemplar_program_column_name(t, "plain", 0, name, sizeof name, &n) == EXEMPLAR_OK && !strcmp(name, "meetings"), "%s", name);
        CHECK(exemplar_program_column_name(t, "plain", 1, name, 4, &n) == EXEMPLAR_BUFFER_TOO_SMALL && n == 8 && !strcmp(name, "inc"), "cut");
        CHECK(exemplar_program_column_name(t, "plain", 4, name, sizeof name, &n) == EXEMPLAR_POLICY, "past the end");
        CHECK(exemplar_program_column_count(t, "nope", &n) == EXEMPLAR_UNKNOWN_SCHEME, "unknown scheme");
        exemplar_program_free(t);
    }
    {
        /* Versions: the same rules have the same hash; one edited number is the one change. */
        char *h1 = NULL, *h2 = NULL, *diff = NULL, *edited = strstr(toml, "selection_target = 200");
        exemplar_program *e = NULL, *same = NULL;
        CHECK(exemplar_program_from_toml((const uint8_t *)toml, strlen(toml), &same) == EXEMPLAR_OK, "%s", last_error());
        CHECK(exemplar_program_content_hash(p, &h1) == EXEMPLAR_OK && strlen(h1) == 64, "hash");
        CHECK(exemplar_program_content_hash(same, &h2) == EXEMPLAR_OK && !strcmp(h1, h2), "same rules, same hash");
        CHECK(edited != NULL, "the target is in the TOML");
        if (edited) edited[strlen("selection_target = 2")] = '1';
        CHECK(exemplar_program_from_toml((const uint8_t *)toml, strlen(toml), &e) == EXEMPLAR_OK, "%s", last_error());
        CHECK(exemplar_program_diff_json(p, e, &diff) == EXEMPLAR_OK, "%s", last_error());
        d = json_parse(diff);
        CHECK(d && d->n == 1 && !strcmp(json_str(json_get(json_at(d, 0), "field")), "selection_target") &&
                  !strcmp(json_str(json_get(json_at(d, 0), "before")), "200") &&
                  !strcmp(json_str(json_get(json_at(d, 0), "after")), "210"),
              "diff: %s", diff);
        json_free(d);
        CHECK(exemplar_program_diff_json(p, NULL, &diff) == EXEMPLAR_NULL_ARGUMENT, "NULL newer");
        exemplar_string_free(h1);
        exemplar_string_free(h2);
        exemplar_string_free(diff);
        exemplar_program_free(e);
        exemplar_program_free(same);
    }
    {
        /* The language words the results and leaves the rules, and so the hash, as they were. */
        exemplar_program *en = NULL, *none = NULL;
        char *h1 = NULL, *h2 = NULL;
        CHECK(exemplar_program_with_language(p, "en", &en) == EXEMPLAR_OK, "%s", last_error());
        CHECK(exemplar_program_content_hash(p, &h1) == EXEMPLAR_OK && exemplar_program_content_hash(en, &h2) == EXEMPLAR_OK &&
                  !strcmp(h1, h2),
              "the same hash in English");
        CHECK(exemplar_program_with_language(p, "fr", &none) == EXEMPLAR_POLICY && !none &&
                  strstr(last_error(), "\"zh\" or \"en\"") != NULL,
              "fr: %s", last_error());
        CHECK(exemplar_program_with_language(p, NULL, &none) == EXEMPLAR_NULL_ARGUMENT, "NULL language");
        exemplar_string_free(h1);
        exemplar_string_free(h2);
        exemplar_program_free(en);
    }
    exemplar_string_free(toml);
    exemplar_string_free(toml2);
    exemplar_string_free(desc);
    exemplar_program_free(again);
    exemplar_program_free(p);
}

static const char *report_a =
    "{\"org_id\": \"A\", \"scheme\": \"kinds\", \"period\": \"2023\", \"values\": {\"meetings\": 100, \"members_new\": 3, "
    "\"secretary\": 1, \"missing_items\": 0, \"model_posts\": 4, \"inspections\": 4, \"employed\": 95, \"able\": 100, "
    "\"petitions\": 0, \"growth\": 20, \"safety_accidents\": 0, \"innovation\": 1}}";

static void evaluate_json(void) {
    exemplar_program *p = load("rule_kinds/program.toml");
    char *out = (char *)"untouched", *arr;
    json *e;
    size_t n = strlen(report_a);
    arr = malloc(2 * n + 4);
    sprintf(arr, "[%s,%s]", report_a, report_a);
    CHECK(exemplar_program_evaluate_json(p, (const uint8_t *)report_a, n, &out) == EXEMPLAR_OK, "%s", last_error());
    e = json_parse(out);
    /* Report A of the rule_kinds fixture: 30 (capped) + 30 = 60, 5★. */
    CHECK(json_get(e, "score")->number == 60.0 && json_get(e, "stars")->number == 5, "A");
    json_free(e);
    exemplar_string_free(out);
    CHECK(exemplar_program_evaluate_json(p, (const uint8_t *)arr, strlen(arr), &out) == EXEMPLAR_OK, "array");
    e = json_parse(out);
    CHECK(e && e->type == JSON_ARRAY && e->n == 2, "two evaluations");
    json_free(e);
    exemplar_string_free(out);
    out = (char *)"untouched";
    CHECK(exemplar_program_evaluate_json(p, (const uint8_t *)report_a, n - 10, &out) == EXEMPLAR_INVALID_JSON, "truncated");
    CHECK(!strcmp(out, "untouched"), "no output on failure");
    CHECK(exemplar_program_evaluate_json(p, (const uint8_t *)"{\"org_id\": 1}", 13, &out) == EXEMPLAR_INVALID_JSON, "shape");
    CHECK(exemplar_program_evaluate_json(NULL, (const uint8_t *)report_a, n, &out) == EXEMPLAR_NULL_ARGUMENT, "NULL program");
    CHECK(exemplar_program_evaluate_json(p, (const uint8_t *)"\xc3\x28", 2, &out) == EXEMPLAR_INVALID_UTF8, "utf8");
    CHECK(exemplar_program_evaluate_json(p, (const uint8_t *)report_a, n, NULL) == EXEMPLAR_NULL_ARGUMENT, "NULL out");
    free(arr);
    exemplar_program_free(p);
}

static void evaluate_columns(void) {
    exemplar_program *p = load("rule_kinds/program.toml");
    char *desc = NULL;
    json *d, *scheme, *cols, *crit;
    const char *names[] = {"meetings", "members_new", "secretary", "missing_items", "model_posts", "inspections",
                           "employed", "able", "petitions", "growth", "safety_accidents", "innovation"};
    const double values[] = {100, 3, 1, 0, 4, 4, 95, 100, 0, 20, 0, 1};
    /* Two rows: report A twice, but the second row misses a few points of `meetings` (75 → 3.75). */
    double data[32][2], *ptrs[32], score[2], criteria[64];
    const double *cptrs[32];
    uint8_t stars[2], standing[2], vetoed[2], weak_lax[2];
    const char *ids[] = {"A", "B"};
    size_t i, k, nc, ncrit;
    CHECK(exemplar_program_describe_json(p, &desc) == EXEMPLAR_OK, "describe");
    d = json_parse(desc);
    scheme = json_at(json_get(d, "schemes"), 0);
    cols = json_get(scheme, "columns");
    crit = json_get(scheme, "criteria");
    nc = cols->n;
    ncrit = crit->n;
    for (i = 0; i < nc; i++) {
        data[i][0] = data[i][1] = 0; /* events: none */
        for (k = 0; k < sizeof names / sizeof *names; k++)
            if (!strcmp(json_str(json_at(cols, i)), names[k])) data[i][0] = data[i][1] = values[k];
        if (!strcmp(json_str(json_at(cols, i)), "meetings")) data[i][1] = 75;
        ptrs[i] = data[i];
        cptrs[i] = data[i];
    }
    (void)ptrs;
    CHECK(exemplar_program_evaluate_columns(p, "kinds", cptrs, nc, 2, ids, score, stars, standing, vetoed, weak_lax, criteria, ncrit * 2) == EXEMPLAR_OK,
          "%s", last_error());
    /* A: 60, 5★, advanced. B: build 3.75 + 8 + 6 + 5 + 4 = 26.75 + results 30 = 56.75, 5★ (≥ 54 with innovation). */
    CHECK(score[0] == 60.0 && stars[0] == 5 && standing[0] == 1 && vetoed[0] == 0 && weak_lax[0] == 0, "row A: %.2f", score[0]);
    CHECK(score[1] == 56.75 && stars[1] == 5, "row B: %.2f", score[1]);
    CHECK(!strcmp(json_str(json_at(crit, 0)), "meetings") && criteria[0] == 10.0 && criteria[1] == 3.75, "meetings points");
    /* Zero rows: nothing to read or write. */
    CHECK(exemplar_program_evaluate_columns(p, "kinds", NULL, nc, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0) == EXEMPLAR_OK, "zero rows");
    {
        double again[2] = {-1, -1};
        CHECK(exemplar_program_evaluate_columns(p, "kinds", cptrs, nc, 2, ids, again, stars, standing, vetoed, weak_lax, NULL, 0) == EXEMPLAR_OK,
              "no points: totals and bands only");
        CHECK(again[0] == score[0] && again[1] == score[1], "the same scores without points");
    }
    {
        /* 5,000 rows, A and B alternating, split across 3 threads (whole blocks of 1,024 rows
           each): the same numbers as one thread, and as the two rows above. */
        enum { N = 5000 };
        double *big[32], *s1 = malloc(N * sizeof *s1), *s3 = malloc(N * sizeof *s3);
        double *c1 = malloc(ncrit * N * sizeof *c1), *c3 = malloc(ncrit * N * sizeof *c3);
        uint8_t *st = malloc(N), *sd = malloc(N), *ve = malloc(N), *wl = malloc(N);
        const double *bptrs[32];
        for (i = 0; i < nc; i++) {
            big[i] = malloc(N * sizeof **big);
            for (k = 0; k < N; k++) big[i][k] = data[i][k % 2];
            bptrs[i] = big[i];
        }
        CHECK(exemplar_program_evaluate_columns(p, "kinds", bptrs, nc, N, NULL, s1, st, sd, ve, wl, c1, ncrit * N) == EXEMPLAR_OK, "%s", last_error());
        exemplar_set_threads(3);
        CHECK(exemplar_program_evaluate_columns(p, "kinds", bptrs, nc, N, NULL, s3, st, sd, ve, wl, c3, ncrit * N) == EXEMPLAR_OK, "%s", last_error());
        exemplar_set_threads(1);
        CHECK(!memcmp(s1, s3, N * sizeof *s1) && !memcmp(c1, c3, ncrit * N * sizeof *c1), "3 threads = 1 thread");
        CHECK(s3[0] == 60.0 && s3[N - 1] == 56.75 && c3[N - 1] == 3.75, "row %d: %.2f", N - 1, s3[N - 1]);
        for (i = 0; i < nc; i++) free(big[i]);
        free(s1), free(s3), free(c1), free(c3), free(st), free(sd), free(ve), free(wl);
    }
    /* Wrong lengths and NULLs. */
    CHECK(exemplar_program_evaluate_columns(p, "kinds", cptrs, nc - 1, 2, ids, score, stars, standing, vetoed, weak_lax, criteria, ncrit * 2) == EXEMPLAR_SHAPE, "columns");
    CHECK(exemplar_program_evaluate_columns(p, "kinds", cptrs, nc, 2, ids, score, stars, standing, vetoed, weak_lax, criteria, ncrit) == EXEMPLAR_SHAPE, "criteria_len");
    CHECK(exemplar_program_evaluate_columns(p, "kinds", cptrs, nc, 2, ids, NULL, stars, standing, vetoed, weak_lax, criteria, ncrit * 2) == EXEMPLAR_NULL_ARGUMENT, "NULL score");
    CHECK(exemplar_program_evaluate_columns(p, NULL, cptrs, nc, 2, ids, score, stars, standing, vetoed, weak_lax, criteria, ncrit * 2) == EXEMPLAR_NULL_ARGUMENT, "NULL scheme");
    CHECK(exemplar_program_evaluate_columns(p, "nope", cptrs, nc, 2, ids, score, stars, standing, vetoed, weak_lax, criteria, ncrit * 2) == EXEMPLAR_UNKNOWN_SCHEME, "scheme");
    cptrs[3] = NULL;
    CHECK(exemplar_program_evaluate_columns(p, "kinds", cptrs, nc, 2, ids, score, stars, standing, vetoed, weak_lax, criteria, ncrit * 2) == EXEMPLAR_NULL_ARGUMENT, "NULL column");
    cptrs[3] = data[3];
    /* A NaN cell is missing: an input error naming the row's organization. */
    for (i = 0; i < nc; i++)
        if (!strcmp(json_str(json_at(cols, i)), "petitions")) data[i][1] = NAN;
    score[1] = -1;
    CHECK(exemplar_program_evaluate_columns(p, "kinds", cptrs, nc, 2, ids, score, stars, standing, vetoed, weak_lax, criteria, ncrit * 2) == EXEMPLAR_INPUT, "NaN");
    CHECK(strstr(last_error(), "organization `B`") && strstr(last_error(), "petitions"), "%s", last_error());
    CHECK(score[1] == -1, "nothing written on failure");
    json_free(d);
    exemplar_string_free(desc);
    exemplar_program_free(p);
}

static char *selection_year(size_t *len) {
    char path[1024];
    snprintf(path, sizeof path, "%s/selection/year.csv", root);
    return read_file(path, len);
}

static exemplar_program *selection_program(void) {
    char path[1024], *base, *text;
    size_t len = 0;
    exemplar_program *p = NULL;
    snprintf(path, sizeof path, "%s/selection/program.toml", root);
    base = read_file(path, &len);
    text = malloc(len + 256);
    sprintf(text, "%s\n[selection]\nmin_stars = 4\ntie_break = [\"service\"]\ndisqualifying_events = [\"discipline\"]\n", base);
    CHECK(exemplar_program_from_toml((const uint8_t *)text, strlen(text), &p) == EXEMPLAR_OK, "%s", last_error());
    free(base);
    free(text);
    return p;
}

/* `s` as a JSON string (quotes included). */
static char *quoted(const char *s) {
    size_t i, k = 0, n = strlen(s);
    char *out = malloc(2 * n + 3);
    out[k++] = '"';
    for (i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\') out[k++] = '\\';
        if (s[i] == '\n') { out[k++] = '\\'; out[k++] = 'n'; continue; }
        out[k++] = s[i];
    }
    out[k++] = '"';
    out[k] = 0;
    return out;
}

static void year_operations(void) {
    exemplar_program *p = selection_program();
    size_t len = 0;
    char *csv = selection_year(&len), *q = quoted(csv), *req, *out = NULL, *pay = NULL;
    json *j;
    CHECK(exemplar_program_evaluate_year_json(p, (const uint8_t *)csv, len, &out) == EXEMPLAR_OK, "%s", last_error());
    j = json_parse(out);
    CHECK(j && j->n == 11, "11 evaluations");
    json_free(j);
    exemplar_string_free(out);
    CHECK(exemplar_program_designate_json(p, (const uint8_t *)csv, len, &out) == EXEMPLAR_OK, "%s", last_error());
    j = json_parse(out);
    CHECK(j && j->type == JSON_ARRAY && j->n == 0, "no rule designates anyone here");
    json_free(j);
    exemplar_string_free(out);
    req = malloc(strlen(q) + 200);
    sprintf(req, "{\"year_csv\": %s, \"weak_lax\": {\"W1\": \"书记空缺\"}, \"procedure_incomplete\": {\"P1\": \"at review\"}}", q);
    CHECK(exemplar_program_select_json(p, (const uint8_t *)req, strlen(req), &out) == EXEMPLAR_OK, "%s", last_error());
    j = json_parse(out);
    /* The selection fixture's "target" case: A1, A2, A4, A3. */
    CHECK(j && json_get(j, "named")->n == 4 && !strcmp(json_str(json_get(json_at(json_get(j, "named"), 2), "org_id")), "A4"), "named");
    json_free(j);
    CHECK(exemplar_program_reward_json(p, (const uint8_t *)out, strlen(out), &pay) == EXEMPLAR_OK, "%s", last_error());
    j = json_parse(pay);
    CHECK(j && json_get(j, "paid_fen")->number == 100000 && json_get(j, "rest_fen")->number == 0, "pool paid");
    json_free(j);
    exemplar_string_free(pay);
    CHECK(exemplar_program_reward_json(p, (const uint8_t *)"{", 1, &pay) == EXEMPLAR_INVALID_JSON, "bad selection");
    exemplar_string_free(out);
    req[20] = 0;
    CHECK(exemplar_program_select_json(p, (const uint8_t *)req, strlen(req), &out) == EXEMPLAR_INVALID_JSON, "truncated request");
    CHECK(exemplar_program_designate_json(p, (const uint8_t *)"org_id\n", 7, &out) == EXEMPLAR_INPUT, "bad csv: %s", last_error());
    free(req);
    free(q);
    free(csv);
    exemplar_program_free(p);
}

/* Weight sensitivity through JSON: the sheet's own weights (a spread of 0 %) name, in every draw,
 * the four the selection names; a section's weight holds the list from some weight to another. */
static void sensitivity(void) {
    exemplar_program *p = selection_program();
    size_t len = 0, i;
    char *csv = selection_year(&len), *q = quoted(csv), *req = malloc(strlen(q) + 200), *out = NULL;
    json *j, *reports;
    int named = 0;
    sprintf(req, "{\"year_csv\": %s, \"study\": {\"draws\": 5, \"seed\": 1, \"spread\": {\"within\": 0}}}", q);
    CHECK(exemplar_program_sensitivity_json(p, (const uint8_t *)req, strlen(req), &out) == EXEMPLAR_OK, "%s", last_error());
    j = json_parse(out);
    reports = json_get(j, "reports");
    for (i = 0; reports && i < reports->n; i++) {
        json *r = json_at(reports, i);
        double pn = json_get(r, "p_named")->number;
        CHECK(pn == 0.0 || pn == 1.0, "p_named %g", pn);
        named += pn == 1.0;
    }
    CHECK(named == 4 && json_get(j, "expected_overlap")->number == 1.0, "named %d", named);
    json_free(j);
    exemplar_string_free(out);
    sprintf(req, "{\"year_csv\": %s, \"scheme\": \"a\", \"section\": \"s\"}", q);
    CHECK(exemplar_program_stability_json(p, (const uint8_t *)req, strlen(req), &out) == EXEMPLAR_OK, "%s", last_error());
    j = json_parse(out);
    CHECK(j && json_get(j, "weight")->number == 100 && json_get(j, "from")->number <= 100 && json_get(j, "to")->number == 100,
          "%s", out);
    json_free(j);
    exemplar_string_free(out);
    sprintf(req, "{\"year_csv\": %s, \"scheme\": \"a\", \"section\": \"nope\"}", q);
    CHECK(exemplar_program_stability_json(p, (const uint8_t *)req, strlen(req), &out) != EXEMPLAR_OK, "an unknown section");
    CHECK(strstr(last_error(), "no section `nope`") != NULL, "%s", last_error());
    free(req);
    free(q);
    free(csv);
    exemplar_program_free(p);
}

/* `{"key": value}` as text, the value's JSON copied from where it stands in its document. */
static char *wrap2(const char *k1, const json *v1, const char *k2, const json *v2) {
    size_t n1 = (size_t)(v1->end - v1->start), n2 = (size_t)(v2->end - v2->start);
    char *out = malloc(n1 + n2 + strlen(k1) + strlen(k2) + 32);
    sprintf(out, "{\"%s\": %.*s, \"%s\": %.*s}", k1, (int)n1, v1->start, k2, (int)n2, v2->start);
    return out;
}

/* Select and pay a year given as CSV text (quoted): the selection and the allocation. */
static void decide(exemplar_program *p, const char *q, char **sel, char **pay) {
    char *req = malloc(strlen(q) + 200);
    sprintf(req, "{\"year_csv\": %s, \"weak_lax\": {\"W1\": \"书记空缺\"}, \"procedure_incomplete\": {\"P1\": \"at review\"}}", q);
    CHECK(exemplar_program_select_json(p, (const uint8_t *)req, strlen(req), sel) == EXEMPLAR_OK, "%s", last_error());
    CHECK(exemplar_program_reward_json(p, (const uint8_t *)*sel, strlen(*sel), pay) == EXEMPLAR_OK, "%s", last_error());
    free(req);
}

/* Appeals: B1 (81.00) claims work 100 and service 50, is upheld at 95.00 and named; the diff
   moves 25,000 fen (worked in core/tests/appeals.rs). A review of a closed appeal is refused. */
static void appeals(void) {
    exemplar_program *p = selection_program();
    size_t len = 0;
    char *csv = selection_year(&len), *q = quoted(csv), *req, *out = NULL, *adj = NULL, *q2;
    char *sel1 = NULL, *pay1 = NULL, *sel2 = NULL, *pay2 = NULL;
    const char *actions =
        "\"actions\": [{\"file\": {\"org_id\": \"B1\", \"scheme\": \"b\", \"period\": \"2023\", \"published\": \"2024-01-08\", "
        "\"filed\": \"2024-01-10\", \"criteria\": [\"work\"], \"claimed\": {\"work\": 100, \"service\": 50}, \"reason\": \"台账漏报\"}}, "
        "{\"review\": {\"id\": \"B1/b/2023\", \"reviewer\": \"复核组\", \"date\": \"2024-01-15\", \"outcome\": \"upheld\", \"reason\": \"核实\"}}]";
    json *j, *s1, *p1, *s2, *p2, *state;
    decide(p, q, &sel1, &pay1);
    req = malloc(strlen(q) + strlen(actions) + 64);
    sprintf(req, "{\"state\": null, \"year_csv\": %s, %s}", q, actions);
    CHECK(exemplar_appeals_apply_json(p, (const uint8_t *)req, strlen(req), &out) == EXEMPLAR_OK, "%s", last_error());
    j = json_parse(out);
    state = json_get(j, "state");
    CHECK(json_get(state, "record")->n == 2, "two steps recorded");
    /* The same review again: the appeal is closed. */
    free(req);
    req = malloc(strlen(out) + strlen(q) + 400);
    sprintf(req, "{\"state\": %.*s, \"year_csv\": %s, \"actions\": [{\"review\": {\"id\": \"B1/b/2023\", \"reviewer\": \"x\", "
                 "\"date\": \"2024-01-16\", \"outcome\": \"rejected\", \"reason\": \"x\"}}]}",
            (int)(state->end - state->start), state->start, q);
    CHECK(exemplar_appeals_apply_json(p, (const uint8_t *)req, strlen(req), &adj) == EXEMPLAR_LIFECYCLE, "closed: %s", last_error());
    sprintf(req, "{\"state\": %.*s, \"year_csv\": %s}", (int)(state->end - state->start), state->start, q);
    CHECK(exemplar_appeals_adjust_year_json(p, (const uint8_t *)req, strlen(req), &adj) == EXEMPLAR_OK, "%s", last_error());
    json_free(j);
    j = json_parse(adj);
    CHECK(strstr(json_str(json_get(j, "record_csv")), "B1/b/2023,upheld,复核组,81.00,4,,95.00,5,") != NULL, "record csv: %s",
          json_str(json_get(j, "record_csv")));
    q2 = quoted(json_str(json_get(j, "year_csv")));
    json_free(j);
    decide(p, q2, &sel2, &pay2);
    s1 = json_parse(sel1), p1 = json_parse(pay1), s2 = json_parse(sel2), p2 = json_parse(pay2);
    {
        char *before = wrap2("selection", s1, "allocation", p1), *after = wrap2("selection", s2, "allocation", p2);
        char *diff_req = malloc(strlen(before) + strlen(after) + 64), *diff = NULL;
        sprintf(diff_req, "{\"before\": %s, \"after\": %s, \"language\": \"zh\"}", before, after);
        CHECK(exemplar_decision_diff_json((const uint8_t *)diff_req, strlen(diff_req), &diff) == EXEMPLAR_OK, "%s", last_error());
        j = json_parse(diff);
        CHECK(j && json_get(j, "moved_fen")->number == 25000 &&
                  !strcmp(json_str(json_get(json_at(json_get(j, "entered"), 0), "org_id")), "B1") &&
                  !strcmp(json_str(json_get(json_at(json_get(j, "left"), 0), "org_id")), "A3") &&
                  !strncmp(json_str(json_get(j, "summary")), "新进入：B1（", strlen("新进入：B1（")),
              "diff: %s", diff);
        json_free(j);
        exemplar_string_free(diff);
        free(diff_req);
        free(before);
        free(after);
    }
    json_free(s1), json_free(p1), json_free(s2), json_free(p2);
    exemplar_string_free(sel1), exemplar_string_free(pay1), exemplar_string_free(sel2), exemplar_string_free(pay2);
    exemplar_string_free(out);
    exemplar_string_free(adj);
    free(req);
    free(q);
    free(q2);
    free(csv);
    exemplar_program_free(p);
}

static void allocation(void) {
    const char *tie = "{\"pool_fen\": 100, \"claims\": [{\"id\": \"c\", \"weight\": 1}, {\"id\": \"a\", \"weight\": 1}, {\"id\": \"b\", \"weight\": 1}]}";
    const char *floors = "{\"pool_fen\": 100, \"floor_fen\": 40, \"claims\": [{\"id\": \"a\", \"weight\": 1}, {\"id\": \"b\", \"weight\": 1}, {\"id\": \"c\", \"weight\": 1}]}";
    const char *fixed = "{\"pool_fen\": 5000, \"fixed\": [{\"id\": \"a\", \"amount_fen\": 3000}, {\"id\": \"b\", \"amount_fen\": 1000}]}";
    char *out = NULL;
    json *j;
    CHECK(exemplar_pool_allocate_json((const uint8_t *)tie, strlen(tie), &out) == EXEMPLAR_OK, "%s", last_error());
    j = json_parse(out);
    /* 100 fen / 3: 33 each and one left; the tie goes to the smallest id, a. */
    CHECK(json_get(json_at(json_get(j, "awards"), 0), "amount_fen")->number == 34, "a gets 34");
    CHECK(json_get(json_at(json_get(j, "awards"), 2), "amount_fen")->number == 33, "c gets 33");
    json_free(j);
    exemplar_string_free(out);
    CHECK(exemplar_pool_allocate_json((const uint8_t *)floors, strlen(floors), &out) == EXEMPLAR_POLICY, "floors");
    CHECK(strstr(last_error(), "more than the pool") != NULL, "%s", last_error());
    CHECK(exemplar_pool_allocate_json((const uint8_t *)fixed, strlen(fixed), &out) == EXEMPLAR_OK, "fixed");
    j = json_parse(out);
    CHECK(json_get(j, "rest_fen")->number == 1000, "rest stated");
    json_free(j);
    exemplar_string_free(out);
    CHECK(exemplar_pool_allocate_json(NULL, 3, &out) == EXEMPLAR_NULL_ARGUMENT, "NULL");
}

static void lifecycles(void) {
    exemplar_program *p = NULL;
    const char *open_case =
        "{\"open\": {\"designation\": {\"org_id\": \"XS\", \"county\": \"禄丰市\", \"reasons\": [\"r\"]}, \"opened\": \"2023-01-10\"},"
        " \"actions\": [{\"assign\": {\"liaison_cadre\": \"王\", \"first_secretary\": \"李\"}},"
        " {\"add_item\": {\"id\": \"elect\", \"text\": \"选书记\", \"due\": \"2023-03-31\"}},"
        " {\"complete_item\": {\"id\": \"elect\", \"on\": \"2023-03-01\"}},"
        " {\"check\": {\"on\": \"2023-11-01\", \"score\": 75, \"satisfied\": 10, \"dissatisfied\": 3}},"
        " {\"close\": {\"on\": \"2023-12-01\"}}]}";
    const char *illegal = "{\"open\": {\"designation\": {\"org_id\": \"XS\", \"county\": \"x\", \"reasons\": []}, \"opened\": \"2023-01-10\"}, \"actions\": [{\"close\": {\"on\": \"2023-02-01\"}}]}";
    const char *procedure = "{\"start\": {\"org_id\": \"A\", \"scheme\": \"relocation_follow_up\", \"on\": \"2023-06-01\"}, \"calendar\": {\"holidays\": [\"2023-07-03\"]},"
        " \"actions\": [{\"advance\": {\"stage\": \"application\", \"on\": \"2023-06-05\"}}]}";
    const char *both = "{\"actions\": []}";
    char *out = (char *)"untouched";
    json *j;
    exemplar_program_default(&p);
    CHECK(exemplar_case_apply_json(p, (const uint8_t *)open_case, strlen(open_case), &out) == EXEMPLAR_OK, "%s", last_error());
    j = json_parse(out);
    CHECK(!strcmp(json_str(json_get(json_get(j, "state"), "status")), "closed"), "closed");
    json_free(j);
    exemplar_string_free(out);
    out = (char *)"untouched";
    CHECK(exemplar_case_apply_json(p, (const uint8_t *)illegal, strlen(illegal), &out) == EXEMPLAR_LIFECYCLE, "illegal");
    CHECK(strstr(last_error(), "cannot close") && !strcmp(out, "untouched"), "%s", last_error());
    {
        /* The same refusal in Chinese. */
        char zh[512];
        size_t n = 0;
        CHECK(exemplar_last_error_zh(zh, sizeof zh, &n) == EXEMPLAR_OK &&
                  !strcmp(zh, "`XS`的整顿：不能摘帽：整顿状态为“正在整顿”，尚未验收通过"),
              "%s", zh);
    }
    CHECK(exemplar_procedure_apply_json(p, (const uint8_t *)procedure, strlen(procedure), &out) == EXEMPLAR_OK, "%s", last_error());
    j = json_parse(out);
    CHECK(json_get(json_get(j, "state"), "stages")->n == 2, "two stages started");
    json_free(j);
    exemplar_string_free(out);
    CHECK(exemplar_title_apply_json(p, (const uint8_t *)both, strlen(both), &out) == EXEMPLAR_INVALID_JSON, "neither state nor confer");
    CHECK(exemplar_title_apply_json(p, (const uint8_t *)open_case, strlen(open_case), &out) == EXEMPLAR_INVALID_JSON, "a case is not a title");
    {
        /* States handed back in are checked: a procedure with no stage used to panic; a case
           cannot claim a status its checks do not bear out; dates take only the documented form. */
        const char *no_stage = "{\"state\": {\"org_id\": \"A\", \"scheme\": \"relocation_follow_up\", \"stages\": []}, \"actions\": []}";
        const char *closed = "{\"state\": {\"org_id\": \"XS\", \"reasons\": [], \"opened\": \"2023-01-10\", \"status\": \"closed\","
            " \"liaison_cadre\": null, \"first_secretary\": null, \"plan\": [], \"checks\": [], \"restarts\": 0, \"follow_up\": null, \"closed\": \"2023-02-01\"}, \"actions\": []}";
        const char *sloppy_date = "{\"open\": {\"designation\": {\"org_id\": \"XS\", \"county\": \"x\", \"reasons\": []}, \"opened\": \"2023-1-10\"}, \"actions\": []}";
        CHECK(exemplar_procedure_apply_json(p, (const uint8_t *)no_stage, strlen(no_stage), &out) == EXEMPLAR_LIFECYCLE, "%s", last_error());
        CHECK(strstr(last_error(), "no stage") != NULL, "%s", last_error());
        CHECK(exemplar_case_apply_json(p, (const uint8_t *)closed, strlen(closed), &out) == EXEMPLAR_LIFECYCLE, "%s", last_error());
        CHECK(exemplar_case_apply_json(p, (const uint8_t *)sloppy_date, strlen(sloppy_date), &out) == EXEMPLAR_INVALID_JSON, "%s", last_error());
    }
    exemplar_program_free(p);
}

static void oversight_and_history(void) {
    exemplar_program *p = NULL;
    size_t len = 0;
    char *csv = selection_year(&len), *q = quoted(csv), *req, *out = NULL, *evals = NULL;
    json *j;
    const char *setup = "{\"period\": \"2023\", \"groups\": [], \"links\": [{\"cadre\": \"王\", \"org_id\": \"A1\"}],"
                        " \"records\": [{\"kind\": \"visit\", \"date\": \"2023-02-01\", \"cadre\": \"王\", \"org_id\": \"A1\"}]}";
    p = selection_program();
    /* No [oversight] in this program: no cadences and no visit rule, so nothing is due. */
    req = malloc(strlen(q) + strlen(setup) + 100);
    sprintf(req, "{\"year_csv\": %s, \"oversight\": %s, \"as_of\": \"2023-12-31\"}", q, setup);
    CHECK(exemplar_program_oversight_json(p, (const uint8_t *)req, strlen(req), &out) == EXEMPLAR_OK, "%s", last_error());
    j = json_parse(out);
    CHECK(j && json_get(j, "items")->n == 0, "nothing due");
    json_free(j);
    exemplar_string_free(out);
    free(req);
    req = malloc(strlen(q) + 200);
    sprintf(req, "{\"year_csv\": %s, \"oversight\": {\"period\": \"2023\", \"groups\": [], \"records\": [{\"kind\": \"visit\", \"date\": \"2023-02-01\", \"cadre\": \"x\", \"org_id\": \"A1\"}]}, \"as_of\": \"2023-12-31\"}", q);
    CHECK(exemplar_program_oversight_json(p, (const uint8_t *)req, strlen(req), &out) == EXEMPLAR_INPUT, "visit without a link");
    CHECK(strstr(last_error(), "has no link") != NULL, "%s", last_error());
    free(req);
    CHECK(exemplar_program_evaluate_year_json(p, (const uint8_t *)csv, len, &evals) == EXEMPLAR_OK, "evaluate");
    req = malloc(strlen(q) + 2 * strlen(evals) + 100);
    sprintf(req, "{\"year_csv\": %s, \"years\": {\"2022\": %s, \"2023\": %s}}", q, evals, evals);
    CHECK(exemplar_program_year_over_year_json(p, (const uint8_t *)req, strlen(req), &out) == EXEMPLAR_OK, "%s", last_error());
    j = json_parse(out);
    CHECK(j && json_get(j, "histories")->n == 11, "one history per report");
    json_free(j);
    exemplar_string_free(out);
    exemplar_string_free(evals);
    free(req);
    free(q);
    free(csv);
    exemplar_program_free(p);
}

struct job {
    const exemplar_program *p;
    int ok;
};

static void *work(void *arg) {
    struct job *j = arg;
    int i;
    j->ok = 1;
    for (i = 0; i < 50; i++) {
        char *out = NULL;
        if (exemplar_program_evaluate_json(j->p, (const uint8_t *)report_a, strlen(report_a), &out) != EXEMPLAR_OK || !strstr(out, "\"score\":60.0"))
            j->ok = 0;
        exemplar_string_free(out);
    }
    return NULL;
}

static void threads(void) {
    exemplar_program *p = load("rule_kinds/program.toml");
    pthread_t t[4];
    struct job jobs[4];
    int i;
    for (i = 0; i < 4; i++) {
        jobs[i].p = p;
        pthread_create(&t[i], NULL, work, &jobs[i]);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK(jobs[i].ok, "thread %d", i);
    }
    exemplar_program_free(p);
}

/* A year read from the fixture workbook is the fixture CSV's year; the annual workbook and the
   public notice of that year, and their errors. */
static void documents(void) {
    exemplar_program *p = selection_program();
    char path[1024], *csv_text = NULL, *from_csv = NULL, *from_xlsx = NULL, *html = NULL, *req, *q;
    size_t len = 0;
    char *year_csv = selection_year(&len);
    snprintf(path, sizeof path, "%s/selection/year.xlsx", root);
    CHECK(exemplar_year_from_xlsx(p, path, &csv_text) == EXEMPLAR_OK, "%s", last_error());
    CHECK(exemplar_program_evaluate_year_json(p, (const uint8_t *)year_csv, len, &from_csv) == EXEMPLAR_OK &&
              exemplar_program_evaluate_year_json(p, (const uint8_t *)csv_text, strlen(csv_text), &from_xlsx) == EXEMPLAR_OK &&
              !strcmp(from_csv, from_xlsx),
          "the workbook's year scores as the CSV's");
    CHECK(exemplar_year_from_xlsx(p, "/nonexistent.xlsx", &html) == EXEMPLAR_IO && !html, "missing workbook");
    CHECK(exemplar_year_from_xlsx(p, NULL, &html) == EXEMPLAR_NULL_ARGUMENT, "NULL path");
    /* The annual workbook: a zip archive (PK) written where asked; an unwritable place is EXEMPLAR_IO. */
    CHECK(exemplar_program_annual_workbook(p, (const uint8_t *)year_csv, len, "target/c_annual.xlsx") == EXEMPLAR_OK, "%s",
          last_error());
    {
        size_t n = 0;
        char *bytes = read_file("target/c_annual.xlsx", &n);
        CHECK(bytes && n > 4 && bytes[0] == 'P' && bytes[1] == 'K', "an xlsx file");
        free(bytes);
    }
    CHECK(exemplar_program_annual_workbook(p, (const uint8_t *)year_csv, len, "/nonexistent/dir/a.xlsx") == EXEMPLAR_IO,
          "unwritable: %s", last_error());
    /* The notice: the four named (A1, A2, A4, A3 under the fixture's "target" case) and the period. */
    q = quoted(year_csv);
    req = malloc(strlen(q) + 256);
    sprintf(req, "{\"year_csv\": %s, \"posted\": \"2024-01-12\", \"issuer\": \"组织部\", \"contact\": \"<组织科>\"}", q);
    CHECK(exemplar_program_public_notice_json(p, (const uint8_t *)req, strlen(req), &html) == EXEMPLAR_OK, "%s", last_error());
    CHECK(html && strstr(html, "2024年1月12日至2024年1月18日") && strstr(html, "合计：4个党组织") && strstr(html, "&lt;组织科&gt;"),
          "notice: %.200s", html ? html : "");
    exemplar_string_free(html);
    html = NULL;
    sprintf(req, "{\"year_csv\": %s, \"posted\": \"2024-1-12\", \"issuer\": \"x\", \"contact\": \"y\"}", q);
    CHECK(exemplar_program_public_notice_json(p, (const uint8_t *)req, strlen(req), &html) == EXEMPLAR_INVALID_JSON && !html,
          "a sloppy date: %s", last_error());
    free(req);
    free(q);
    free(year_csv);
    exemplar_string_free(csv_text);
    exemplar_string_free(from_csv);
    exemplar_string_free(from_xlsx);
    exemplar_program_free(p);
}

int main(int argc, char **argv) {
    if (argc > 1) root = argv[1];
    if (argc > 2 && !strcmp(argv[2], "--documents")) {
        /* Run apart, outside valgrind (see the Makefile). */
        documents();
        return finish("c_api documents:");
    }
    basics();
    programs();
    evaluate_json();
    evaluate_columns();
    year_operations();
    sensitivity();
    appeals();
    allocation();
    lifecycles();
    oversight_and_history();
    threads();
    return finish("c_api:");
}
