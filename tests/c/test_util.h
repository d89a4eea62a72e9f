/* Small helpers shared by the C tests: checks that count, file reading, last-error text. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exemplar.h"
#include "json_min.h"

static int checks, failures;

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        checks++;                                                          \
        if (!(cond)) {                                                     \
            failures++;                                                    \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fprintf(stderr, "\n");                                         \
        }                                                                  \
    } while (0)

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
    if (buf) { buf[n] = 0; if (len) *len = (size_t)n; }
    return buf;
}

/* The last error on this thread (static buffer). */
static const char *last_error(void) {
    static char msg[16384];
    size_t n = 0;
    msg[0] = 0;
    exemplar_last_error(msg, sizeof msg, &n);
    return msg;
}

static int finish(const char *name) {
    printf("%s %d passed, %d failed\n", name, checks - failures, failures);
    return failures ? 1 : 0;
}

#endif
