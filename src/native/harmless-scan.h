/*
 * The harmless-statement proof of src/enforce/harmless-scan.ts, in C, so the native relay can pass
 * an everyday statement without a call into JavaScript. It must never prove more than the
 * JavaScript scan does: test/enforce/harmless-scan-native.test.ts runs both on the same corpus.
 */
#ifndef TRIPWIRE_HARMLESS_SCAN_H
#define TRIPWIRE_HARMLESS_SCAN_H

#include <stddef.h>
#include <stdint.h>

/* Names of user routines (a call to one may hide a DELETE): an open-addressing hash set. */
typedef struct {
  size_t count, slots; /* slots: a power of two, at least twice count; 0 when empty */
  uint8_t **names;     /* each: a 4-byte length, then the name's UTF-8 bytes */
} RoutineSet;

/* Adds a name; 0 when out of memory. Names are compared byte for byte. */
int routine_set_add(RoutineSet *set, const uint8_t *name, size_t length);
void routine_set_clear(RoutineSet *set);

/* 1 only when the UTF-8 SQL in b[0, n) provably holds no statement that can change schema or data. */
int harmless_sql(const uint8_t *b, size_t n, const RoutineSet *routines);

/* The same proof for a whole simple Query ('Q') or Parse ('P') message, header included. */
int harmless_message(uint8_t type, const uint8_t *message, size_t length, const RoutineSet *routines);

#endif
