/*
 * A line-for-line port of src/enforce/harmless-scan.ts (see that file for why each case gives up).
 * It skips only what cannot be a keyword (string literals, comments, dollar-quoted bodies) and
 * gives up on anything it does not fully understand.
 */
#include "harmless-scan.h"

#include <stdlib.h>
#include <string.h>

/* Must hold the same words as UNPROVABLE in harmless-scan.ts; the differential test checks each. */
#define WORD(w) {w, sizeof(w) - 1}
static const struct {
  const char *text;
  size_t length; /* compared first: most words of a statement differ in length from most of these */
} UNPROVABLE[] = {
    WORD("abort"), WORD("alter"), WORD("begin"), WORD("call"), WORD("checkpoint"), WORD("cluster"), WORD("commit"),
    WORD("copy"), WORD("create"), WORD("deallocate"), WORD("delete"), WORD("discard"), WORD("do"), WORD("drop"),
    WORD("end"), WORD("execute"), WORD("grant"), WORD("import"), WORD("load"), WORD("lock"), WORD("merge"),
    WORD("prepare"), WORD("reassign"), WORD("refresh"), WORD("reindex"), WORD("release"), WORD("reset"),
    WORD("revoke"), WORD("rollback"), WORD("savepoint"), WORD("security"), WORD("set"), WORD("start"),
    WORD("truncate"), WORD("update"), WORD("vacuum"), WORD("set_config"), WORD("dblink"), WORD("dblink_exec"),
    WORD("lo_unlink"), WORD("lo_import"),
};

enum { QUOTE = 39, DOUBLE_QUOTE = 34, DASH = 45, SLASH = 47, STAR = 42, DOLLAR = 36, BACKSLASH = 92, NEWLINE = 10, AMPERSAND = 38 };

static int is_letter(uint8_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_word_start(uint8_t c) { return is_letter(c) || c == '_'; }
static int is_word_part(uint8_t c) { return is_word_start(c) || (c >= '0' && c <= '9') || c == DOLLAR; }
static uint8_t lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c; }

/* Index of `byte` in b[from, to), or -1. */
static long find(const uint8_t *b, uint8_t byte, size_t from, size_t to) {
  if (from >= to) return -1;
  const uint8_t *hit = memchr(b + from, byte, to - from);
  return hit ? (long)(hit - b) : -1;
}

static int is_unprovable_word(const uint8_t *b, size_t from, size_t to) {
  size_t n = to - from;
  for (size_t w = 0; w < sizeof UNPROVABLE / sizeof UNPROVABLE[0]; w++) {
    if (UNPROVABLE[w].length != n) continue;
    size_t k = 0;
    while (k < n && lower(b[from + k]) == (uint8_t)UNPROVABLE[w].text[k]) k++;
    if (k == n) return 1;
  }
  return 0;
}

/* Where the block comment opened at i closes (the index of its star-slash), or -1 when it nests or never closes. */
static long block_comment_end(const uint8_t *b, size_t i, size_t n) {
  for (size_t k = i + 2; k + 1 < n; k++) {
    if (b[k] == SLASH && b[k + 1] == STAR) return -1;
    if (b[k] == STAR && b[k + 1] == SLASH) return (long)k;
  }
  return -1;
}

/* Where the dollar-quoted body opened by a tag at i ends (the index after its closing tag), or -1. */
static long dollar_quote_end(const uint8_t *b, size_t i, size_t n) {
  long close = find(b, DOLLAR, i + 1, n);
  if (close < 0) return -1;
  for (size_t k = i + 1; k < (size_t)close; k++) if (!is_word_start(b[k])) return -1;
  size_t tag = (size_t)close + 1 - i;
  for (size_t s = (size_t)close + 1; s + tag <= n; s++) {
    if (memcmp(b + s, b + i, tag) == 0) return (long)(s + tag);
  }
  return -1;
}

/* ---- the routine set ------------------------------------------------------------------------ */

static uint32_t hash_bytes(const uint8_t *b, size_t n, int fold) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t k = 0; k < n; k++) h = (h ^ (fold ? lower(b[k]) : b[k])) * 16777619u;
  return h;
}

static size_t name_length(const uint8_t *entry) {
  return (size_t)entry[0] | (size_t)entry[1] << 8 | (size_t)entry[2] << 16 | (size_t)entry[3] << 24;
}

static int insert(uint8_t **names, size_t slots, uint8_t *entry) {
  size_t len = name_length(entry);
  for (size_t k = hash_bytes(entry + 4, len, 0) & (slots - 1);; k = (k + 1) & (slots - 1)) {
    if (!names[k]) {
      names[k] = entry;
      return 1;
    }
    if (name_length(names[k]) == len && memcmp(names[k] + 4, entry + 4, len) == 0) return 0; /* already there */
  }
}

int routine_set_add(RoutineSet *set, const uint8_t *name, size_t length) {
  if (length > 0x7fffffff) return 0;
  if ((set->count + 1) * 2 > set->slots) {
    size_t slots = set->slots ? set->slots * 2 : 16;
    uint8_t **grown = calloc(slots, sizeof(uint8_t *));
    if (!grown) return 0;
    for (size_t k = 0; k < set->slots; k++) if (set->names[k]) insert(grown, slots, set->names[k]);
    free(set->names);
    set->names = grown;
    set->slots = slots;
  }
  uint8_t *entry = malloc(4 + length);
  if (!entry) return 0;
  entry[0] = (uint8_t)length;
  entry[1] = (uint8_t)(length >> 8);
  entry[2] = (uint8_t)(length >> 16);
  entry[3] = (uint8_t)(length >> 24);
  memcpy(entry + 4, name, length);
  if (insert(set->names, set->slots, entry)) set->count++;
  else free(entry);
  return 1;
}

void routine_set_clear(RoutineSet *set) {
  for (size_t k = 0; k < set->slots; k++) free(set->names[k]);
  free(set->names);
  set->names = NULL;
  set->count = set->slots = 0;
}

/* Whether b[from, to) is a routine's name; `fold`: compare it lower-cased, as an unquoted name. */
static int is_routine(const RoutineSet *set, const uint8_t *b, size_t from, size_t to, int fold) {
  if (set == NULL || set->count == 0) return 0;
  size_t len = to - from;
  for (size_t k = hash_bytes(b + from, len, fold) & (set->slots - 1); set->names[k]; k = (k + 1) & (set->slots - 1)) {
    const uint8_t *entry = set->names[k];
    if (name_length(entry) != len) continue;
    size_t i = 0;
    while (i < len && (fold ? lower(b[from + i]) : b[from + i]) == entry[4 + i]) i++;
    if (i == len) return 1;
  }
  return 0;
}

/* ---- the scan --------------------------------------------------------------------------------- */

int harmless_sql(const uint8_t *b, size_t n, const RoutineSet *routines) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = b[i];
    if (c == BACKSLASH || c > 127) return 0;
    if (c == QUOTE) {
      long end = find(b, QUOTE, i + 1, n);
      if (end < 0 || find(b, BACKSLASH, i + 1, (size_t)end) >= 0) return 0;
      i = (size_t)end + 1;
      continue;
    }
    if (c == DOUBLE_QUOTE) {
      long end = find(b, DOUBLE_QUOTE, i + 1, n);
      if (end < 0 || ((size_t)end + 1 < n && b[end + 1] == DOUBLE_QUOTE)) return 0;
      if (is_routine(routines, b, i + 1, (size_t)end, 0)) return 0;
      i = (size_t)end + 1;
      continue;
    }
    if (c == DASH && i + 1 < n && b[i + 1] == DASH) {
      long end = find(b, NEWLINE, i + 2, n);
      i = end < 0 ? n : (size_t)end + 1;
      continue;
    }
    if (c == SLASH && i + 1 < n && b[i + 1] == STAR) {
      long end = block_comment_end(b, i, n);
      if (end < 0) return 0;
      i = (size_t)end + 2;
      continue;
    }
    if (c == DOLLAR) {
      uint8_t next = i + 1 < n ? b[i + 1] : 0;
      if (next >= '0' && next <= '9') {
        i += 2;
        continue;
      }
      long end = dollar_quote_end(b, i, n);
      if (end < 0) return 0;
      i = (size_t)end;
      continue;
    }
    if (is_word_start(c)) {
      size_t j = i + 1;
      while (j < n && is_word_part(b[j])) j++;
      if (j == i + 1 && (c | 32) == 'u' && j < n && b[j] == AMPERSAND) return 0;
      if (is_unprovable_word(b, i, j)) return 0;
      if (is_routine(routines, b, i, j, 1)) return 0;
      i = j;
      continue;
    }
    i++;
  }
  return 1;
}

int harmless_message(uint8_t type, const uint8_t *message, size_t length, const RoutineSet *routines) {
  if (type == 'Q') return length >= 6 && harmless_sql(message + 5, length - 6, routines);
  if (type != 'P' || length < 6) return 0;
  const uint8_t *name_end = memchr(message + 5, 0, length - 5);
  if (!name_end) return 0;
  size_t start = (size_t)(name_end - message) + 1;
  const uint8_t *sql_end = memchr(message + start, 0, length - start);
  size_t end = sql_end ? (size_t)(sql_end - message) : length;
  return harmless_sql(message + start, end - start, routines);
}
