/*
 * A database's fast-path filter, shared by the pumps of every session on it: the routine names of
 * its current catalog snapshot, and whether there is one. JavaScript updates it when the snapshot
 * changes; a pump asks it before calling JavaScript for a watched message.
 */
#ifndef TRIPWIRE_HARMLESS_FILTER_H
#define TRIPWIRE_HARMLESS_FILTER_H

#include <node_api.h>
#include "harmless-scan.h"

typedef struct {
  int ready; /* 0 until a catalog snapshot has been read: the judge must read one first */
  RoutineSet routines;
} HarmlessFilter;

/* The filter in `value`, or NULL when it is not one. */
HarmlessFilter *harmless_filter_from(napi_env env, napi_value value);

/* 1 when the filter proves this whole Query or Parse message harmless. */
int harmless_filter_passes(const HarmlessFilter *filter, uint8_t type, const uint8_t *message, size_t length);

/* Defines createFilter, setRoutines and filterPasses on the module's exports. */
void harmless_filter_define(napi_env env, napi_value exports);

#endif
