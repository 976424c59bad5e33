#include "harmless-filter.h"

#include <stdlib.h>

/* Tells a filter's external apart from any other external handed in. */
static const napi_type_tag FILTER_TAG = {0x7472697077697265ULL, 0x6861726d6c657373ULL};

static void filter_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  HarmlessFilter *f = data;
  routine_set_clear(&f->routines);
  free(f);
}

HarmlessFilter *harmless_filter_from(napi_env env, napi_value value) {
  bool tagged = false;
  void *data = NULL;
  if (napi_check_object_type_tag(env, value, &FILTER_TAG, &tagged) != napi_ok || !tagged) return NULL;
  if (napi_get_value_external(env, value, &data) != napi_ok) return NULL;
  return data;
}

int harmless_filter_passes(const HarmlessFilter *filter, uint8_t type, const uint8_t *message, size_t length) {
  return filter->ready && harmless_message(type, message, length, &filter->routines);
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, "TW_NATIVE_RELAY", message);
  return NULL;
}

/* createFilter() → a filter that passes nothing until setRoutines gives it a snapshot's routines. */
static napi_value create_filter(napi_env env, napi_callback_info info) {
  (void)info;
  HarmlessFilter *f = calloc(1, sizeof(HarmlessFilter));
  if (!f) return fail(env, "out of memory");
  napi_value external;
  if (napi_create_external(env, f, filter_finalize, NULL, &external) != napi_ok) {
    free(f);
    return fail(env, "cannot create a filter");
  }
  napi_type_tag_object(env, external, &FILTER_TAG);
  return external;
}

/* The filter in argv[0] of a call that takes `want` arguments, or NULL. */
static HarmlessFilter *filter_call(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  return argc == want ? harmless_filter_from(env, argv[0]) : NULL;
}

/* setRoutines(filter, names: string[] | null): null until a snapshot exists (the filter passes nothing). */
static napi_value set_routines(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  HarmlessFilter *f = filter_call(env, info, 2, argv);
  if (!f) return fail(env, "setRoutines(filter, names | null)");
  napi_valuetype t;
  napi_typeof(env, argv[1], &t);
  if (t == napi_null) {
    f->ready = 0;
    routine_set_clear(&f->routines);
    return NULL;
  }
  bool is_array = false;
  napi_is_array(env, argv[1], &is_array);
  if (!is_array) return fail(env, "routine names must be an array of strings");
  uint32_t count;
  napi_get_array_length(env, argv[1], &count);
  /* Built aside and swapped in whole: a half-built set must never prove anything. */
  RoutineSet next = {0, 0, NULL};
  char small[256];
  for (uint32_t k = 0; k < count; k++) {
    napi_value item;
    size_t length;
    napi_get_element(env, argv[1], k, &item);
    if (napi_get_value_string_utf8(env, item, NULL, 0, &length) != napi_ok) {
      routine_set_clear(&next);
      return fail(env, "routine names must be an array of strings");
    }
    char *buf = length < sizeof small ? small : malloc(length + 1);
    if (!buf) {
      routine_set_clear(&next);
      return fail(env, "out of memory");
    }
    napi_get_value_string_utf8(env, item, buf, length + 1, &length);
    int ok = routine_set_add(&next, (const uint8_t *)buf, length);
    if (buf != small) free(buf);
    if (!ok) {
      routine_set_clear(&next);
      return fail(env, "out of memory");
    }
  }
  routine_set_clear(&f->routines);
  f->routines = next;
  f->ready = 1;
  return NULL;
}

/* filterPasses(filter, type, message: Buffer) → boolean: what a pump decides without JavaScript. */
static napi_value filter_passes(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  HarmlessFilter *f = filter_call(env, info, 3, argv);
  uint32_t type;
  void *data;
  size_t length;
  bool is_buffer = false;
  if (f) napi_is_buffer(env, argv[2], &is_buffer);
  if (!f || !is_buffer || napi_get_value_uint32(env, argv[1], &type) != napi_ok || type > 255 ||
      napi_get_buffer_info(env, argv[2], &data, &length) != napi_ok) {
    return fail(env, "filterPasses(filter, type, message)");
  }
  napi_value result;
  napi_get_boolean(env, harmless_filter_passes(f, (uint8_t)type, data, length), &result);
  return result;
}

void harmless_filter_define(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"createFilter", NULL, create_filter, NULL, NULL, NULL, napi_default_method, NULL},
      {"setRoutines", NULL, set_routines, NULL, NULL, NULL, napi_default_method, NULL},
      {"filterPasses", NULL, filter_passes, NULL, NULL, NULL, napi_default_method, NULL},
  };
  napi_define_properties(env, exports, 3, props);
}
