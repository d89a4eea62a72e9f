/*
 * A minimal JSON reader for the C example and tests: enough to read what libexemplar writes.
 * Parse with json_parse, look up with json_get / json_at, free with json_free.
 */
#ifndef JSON_MIN_H
#define JSON_MIN_H

#include <stdlib.h>
#include <string.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

typedef struct json {
    enum json_type type;
    double number;     /* JSON_NUMBER, and 0/1 for JSON_BOOL */
    char *string;      /* JSON_STRING, decoded */
    size_t n;          /* JSON_ARRAY, JSON_OBJECT: number of items */
    struct json **items;
    char **keys;       /* JSON_OBJECT */
    const char *start; /* where the value's text starts and ends in the input */
    const char *end;
} json;

static void json_free(json *j) {
    size_t i;
    if (!j) return;
    for (i = 0; i < j->n; i++) {
        json_free(j->items[i]);
        if (j->keys) free(j->keys[i]);
    }
    free(j->items);
    free(j->keys);
    free(j->string);
    free(j);
}

static const char *json_skip(const char *p) {
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') p++;
    return p;
}

static json *json_value(const char **pp, int depth);

static char *json_string(const char **pp) {
    const char *p = *pp + 1;
    size_t cap = 16, n = 0;
    char *out = malloc(cap);
    while (out && *p && *p != '"') {
        char c = *p++;
        if (c == '\\') {
            c = *p++;
            if (c == 'n') c = '\n';
            else if (c == 't') c = '\t';
            else if (c == 'r') c = '\r';
            else if (c == 'b') c = '\b';
            else if (c == 'f') c = '\f';
            else if (c == 'u') { /* ASCII escapes only; others become '?' */
                unsigned v = (unsigned)strtoul((char[]){p[0], p[1], p[2], p[3], 0}, NULL, 16);
                c = v < 128 ? (char)v : '?';
                p += 4;
            }
        }
        if (n + 2 > cap) {
            char *bigger = realloc(out, cap *= 2);
            if (!bigger) { free(out); return NULL; }
            out = bigger;
        }
        out[n++] = c;
    }
    if (!out || *p != '"') { free(out); return NULL; }
    out[n] = 0;
    *pp = p + 1;
    return out;
}

static int json_push(json *j, json *item, char *key) {
    json **items = realloc(j->items, (j->n + 1) * sizeof *items);
    if (!items) return 0;
    j->items = items;
    if (j->type == JSON_OBJECT) {
        char **keys = realloc(j->keys, (j->n + 1) * sizeof *keys);
        if (!keys) return 0;
        j->keys = keys;
        j->keys[j->n] = key;
    }
    j->items[j->n++] = item;
    return 1;
}

static json *json_value(const char **pp, int depth) {
    const char *p = json_skip(*pp);
    json *j = calloc(1, sizeof *j);
    if (!j || depth > 64) { free(j); return NULL; }
    j->start = p;
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        j->type = *p == '{' ? JSON_OBJECT : JSON_ARRAY;
        p = json_skip(p + 1);
        while (*p && *p != close) {
            char *key = NULL;
            json *item;
            if (j->type == JSON_OBJECT) {
                if (*p != '"' || !(key = json_string(&p))) goto bad;
                p = json_skip(p);
                if (*p++ != ':') { free(key); goto bad; }
            }
            item = json_value(&p, depth + 1);
            if (!item || !json_push(j, item, key)) { free(key); json_free(item); goto bad; }
            p = json_skip(p);
            if (*p == ',') p = json_skip(p + 1);
        }
        if (*p != close) goto bad;
        p++;
    } else if (*p == '"') {
        j->type = JSON_STRING;
        if (!(j->string = json_string(&p))) goto bad;
    } else if (!strncmp(p, "true", 4) || !strncmp(p, "false", 5)) {
        j->type = JSON_BOOL;
        j->number = *p == 't';
        p += *p == 't' ? 4 : 5;
    } else if (!strncmp(p, "null", 4)) {
        p += 4;
    } else {
        char *end;
        j->type = JSON_NUMBER;
        j->number = strtod(p, &end);
        if (end == p) goto bad;
        p = end;
    }
    j->end = p;
    *pp = p;
    return j;
bad:
    json_free(j);
    return NULL;
}

static json *json_parse(const char *text) {
    const char *p = text;
    return json_value(&p, 0);
}

/* The member `key` of an object, or NULL. */
static json *json_get(const json *j, const char *key) {
    size_t i;
    if (!j || j->type != JSON_OBJECT) return NULL;
    for (i = 0; i < j->n; i++)
        if (!strcmp(j->keys[i], key)) return j->items[i];
    return NULL;
}

/* Item `i` of an array, or NULL. */
static json *json_at(const json *j, size_t i) {
    return j && j->type == JSON_ARRAY && i < j->n ? j->items[i] : NULL;
}

static const char *json_str(const json *j) {
    return j && j->type == JSON_STRING ? j->string : "";
}

#endif
