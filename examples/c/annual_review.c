/*
 * The main job in C against libexemplar: evaluate the sample year, designate, select, pay the
 * pool and check oversight; print the same summary as the Rust main job, in Chinese (the built-in
 * program's language) or in the language the second argument names; write the annual workbook
 * and the public notice to the folder the third names.
 *
 *   make -C examples/c run          ./annual_review examples/data [zh|en] [out folder]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exemplar.h"
#include "json_min.h"

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    fclose(f);
    if (buf) { buf[n] = 0; *len = (size_t)n; }
    return buf;
}

/* Stops with the library's message. */
static void check(exemplar_result r, const char *what) {
    char msg[4096];
    size_t n;
    if (r == EXEMPLAR_OK) return;
    exemplar_last_error(msg, sizeof msg, &n);
    fprintf(stderr, "annual_review: %s: %s: %s\n", what, exemplar_result_name(r), msg);
    exit(1);
}

/* `s` as a JSON string literal (quotes included); free the result. */
static char *quoted(const char *s) {
    size_t n = strlen(s), i, k = 0;
    char *out = malloc(2 * n + 3);
    if (!out) exit(1);
    out[k++] = '"';
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"' || c == '\\') { out[k++] = '\\'; out[k++] = c; }
        else if (c == '\n') { out[k++] = '\\'; out[k++] = 'n'; }
        else if (c == '\r') { out[k++] = '\\'; out[k++] = 'r'; }
        else out[k++] = c;
    }
    out[k++] = '"';
    out[k] = 0;
    return out;
}

static void yuan(long long fen, char *buf) {
    char digits[32], grouped[48];
    size_t n, i, k = 0;
    snprintf(digits, sizeof digits, "%lld", fen / 100);
    n = strlen(digits);
    for (i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) grouped[k++] = ',';
        grouped[k++] = digits[i];
    }
    grouped[k] = 0;
    sprintf(buf, "%s.%02lld", grouped, fen % 100);
}

typedef struct { double score; const char *org; const char *scheme; } ranked;

static int by_rank(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    long long hx = (long long)(x->score * 100 + 0.5), hy = (long long)(y->score * 100 + 0.5);
    int c;
    if (hx != hy) return hx > hy ? -1 : 1;
    c = strcmp(x->org, y->org);
    return c ? c : strcmp(x->scheme, y->scheme);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "examples/data", *language = argc > 2 ? argv[2] : "zh";
    const char *out_dir = argc > 3 ? argv[3] : ".";
    char path[1024], *year_csv, *setup, *records, *calendar, *out = NULL, *request, *q_year, *q_records;
    size_t year_len, setup_len, records_len, calendar_len, i, n_overdue_groups = 0, n_overdue_visits = 0, n_overdue = 0;
    exemplar_program *program = NULL;
    json *evals, *designations, *selection, *pay, *status, *oversight;
    ranked *rank;
    long stars[6] = {0}, vetoed = 0;
    char paid[48], rest[48];
    int zh = !strcmp(language, "zh");

    snprintf(path, sizeof path, "%s/sample_year.csv", dir);
    year_csv = read_file(path, &year_len);
    snprintf(path, sizeof path, "%s/oversight_2023.json", dir);
    setup = read_file(path, &setup_len);
    snprintf(path, sizeof path, "%s/oversight_records_2023.csv", dir);
    records = read_file(path, &records_len);
    snprintf(path, sizeof path, "%s/calendar_2023.json", dir);
    calendar = read_file(path, &calendar_len);
    if (!year_csv || !setup || !records || !calendar) {
        fprintf(stderr, "annual_review: cannot read the sample data in %s\n", dir);
        return 1;
    }
    {
        exemplar_program *builtin = NULL;
        check(exemplar_program_default(&builtin), "program");
        check(exemplar_program_with_language(builtin, language, &program), "language");
        exemplar_program_free(builtin);
    }
    printf(zh ? "库版本%s\n" : "libexemplar %s\n", exemplar_version());

    check(exemplar_program_evaluate_year_json(program, (const uint8_t *)year_csv, year_len, &out), "evaluate");
    evals = json_parse(out);
    exemplar_string_free(out);
    rank = calloc(evals->n, sizeof *rank);
    for (i = 0; i < evals->n; i++) {
        json *e = json_at(evals, i), *s = json_get(e, "stars");
        if (s && s->type == JSON_NUMBER) stars[(int)s->number]++;
        vetoed += json_get(e, "vetoed")->number != 0;
        rank[i].score = json_get(e, "score")->number;
        rank[i].org = json_str(json_get(e, "org_id"));
        rank[i].scheme = json_str(json_get(e, "scheme"));
    }
    qsort(rank, evals->n, sizeof *rank, by_rank);

    check(exemplar_program_designate_json(program, (const uint8_t *)year_csv, year_len, &out), "designate");
    designations = json_parse(out);
    exemplar_string_free(out);

    q_year = quoted(year_csv);
    request = malloc(strlen(q_year) + 32);
    sprintf(request, "{\"year_csv\": %s}", q_year);
    check(exemplar_program_select_json(program, (const uint8_t *)request, strlen(request), &out), "select");
    free(request);
    selection = json_parse(out);
    check(exemplar_program_reward_json(program, (const uint8_t *)out, strlen(out), &request), "reward");
    exemplar_string_free(out);
    pay = json_parse(request);
    exemplar_string_free(request);

    q_records = quoted(records);
    request = malloc(strlen(q_year) + setup_len + strlen(q_records) + calendar_len + 128);
    sprintf(request, "{\"year_csv\": %s, \"oversight\": %s, \"records_csv\": %s, \"calendar\": %s, \"as_of\": \"2023-12-31\"}",
            q_year, setup, q_records, calendar);
    check(exemplar_program_oversight_json(program, (const uint8_t *)request, strlen(request), &out), "oversight");
    free(request);
    status = json_parse(out);
    exemplar_string_free(out);
    oversight = json_parse(setup);
    for (i = 0; i < json_get(status, "items")->n; i++) {
        json *item = json_at(json_get(status, "items"), i), *groups = json_get(oversight, "groups");
        size_t g;
        if (strcmp(json_str(json_get(json_get(item, "state"), "state")), "overdue")) continue;
        n_overdue++;
        if (!strcmp(json_str(json_get(item, "kind")), "visit")) n_overdue_visits++;
        for (g = 0; g < groups->n; g++)
            if (!strcmp(json_str(json_get(json_at(groups, g), "id")), json_str(json_get(item, "subject")))) n_overdue_groups++;
    }

    {
        /* The documents officials keep and post: the annual workbook and the public notice. */
        char *html = NULL;
        FILE *f;
        snprintf(path, sizeof path, "%s/annual_review.xlsx", out_dir);
        check(exemplar_program_annual_workbook(program, (const uint8_t *)year_csv, year_len, path), "workbook");
        request = malloc(strlen(q_year) + calendar_len + 512);
        sprintf(request, "{\"year_csv\": %s, \"posted\": \"2023-12-25\", \"issuer\": \"%s\", \"contact\": \"%s\", \"calendar\": %s}",
                q_year, zh ? "中共楚雄州委组织部" : "Organization Department, CPC Chuxiong Prefecture Committee",
                zh ? "州委组织部组织科（电话：0878-3120000）"
                   : "the Organization Section of the Organization Department (tel. 0878-3120000)",
                calendar);
        check(exemplar_program_public_notice_json(program, (const uint8_t *)request, strlen(request), &html), "notice");
        free(request);
        snprintf(path, sizeof path, "%s/notice.html", out_dir);
        f = fopen(path, "wb");
        if (!f || fputs(html, f) < 0) {
            fprintf(stderr, "annual_review: cannot write %s\n", path);
            return 1;
        }
        fclose(f);
        exemplar_string_free(html);
        printf(zh ? "已写入%s：annual_review.xlsx、notice.html\n" : "wrote annual_review.xlsx and notice.html to %s\n", out_dir);
    }

    yuan((long long)json_get(pay, "paid_fen")->number, paid);
    yuan((long long)json_get(pay, "rest_fen")->number, rest);
    printf(zh ? "\n== 汇总 ==\n" : "\n== Summary ==\n");
    printf(zh ? "评价%lu份；5★ %ld 4★ %ld 3★ %ld 2★ %ld 1★ %ld；一票否决%ld份\n"
              : "evaluations %lu; 5★ %ld 4★ %ld 3★ %ld 2★ %ld 1★ %ld; vetoed %ld\n",
           (unsigned long)evals->n, stars[5], stars[4], stars[3], stars[2], stars[1], vetoed);
    printf(zh ? "前20名得分：" : "top 20: ");
    for (i = 0; i < 20 && i < evals->n; i++) printf(i ? " %.2f" : "%.2f", rank[i].score);
    printf(zh ? "\n推荐%lu个；发放%s元；结余%s元；候补%lu个\n" : "\nnamed %lu; paid %s yuan; rest %s yuan; waiting %lu\n",
           (unsigned long)json_get(selection, "named")->n, paid, rest, (unsigned long)json_get(selection, "waiting")->n);
    printf(zh ? "软弱涣散整顿%lu个党组织\n" : "rectification %lu organizations\n", (unsigned long)designations->n);
    printf(zh ? "截至2023-12-31的督导：逾期工作组事项%lu项、联系点调研%lu次、任务%lu项\n"
              : "oversight as of 2023-12-31: %lu group items, %lu visits, %lu tasks overdue\n",
           (unsigned long)n_overdue_groups, (unsigned long)n_overdue_visits,
           (unsigned long)(n_overdue - n_overdue_groups - n_overdue_visits));
    {
        char *hash = NULL, *lint = NULL;
        json *warnings;
        check(exemplar_program_content_hash(program, &hash), "content hash");
        check(exemplar_program_lint_json(program, &lint), "lint");
        warnings = json_parse(lint);
        printf(zh ? "规则文件%s；警告%lu条\n" : "program %s; rule-file warnings %lu\n", hash, (unsigned long)warnings->n);
        for (i = 0; i < warnings->n; i++)
            printf(zh ? "警告：%s：%s\n" : "warning: %s: %s\n", json_str(json_get(json_at(warnings, i), "place")),
                   json_str(json_get(json_at(warnings, i), "message")));
        json_free(warnings);
        exemplar_string_free(hash);
        exemplar_string_free(lint);
    }

    free(rank);
    json_free(evals);
    json_free(designations);
    json_free(selection);
    json_free(pay);
    json_free(status);
    json_free(oversight);
    free(q_year);
    free(q_records);
    free(year_csv);
    free(setup);
    free(records);
    free(calendar);
    exemplar_program_free(program);
    return 0;
}
