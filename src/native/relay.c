/*
 * The native relay: a session's steady state, off Node's stream machinery.
 *
 * Node spends most of a relayed query's user time in its per-event machinery (stream classes,
 * callback scopes), not in tripwire's code; see docs/bench.md. Once a session is ready and
 * nothing unusual is pending, the session hands this pump duplicates of both sockets' file
 * descriptors. It polls them on Node's own libuv loop (main thread, no extra threads), frames
 * frontend messages, forwards them, walks backend message headers as they stream past, and
 * calls into JavaScript only for message types the interceptor watches (a Query, a Parse) that
 * the interceptor's native filter, when it has one, cannot pass by itself (see harmless-filter.h),
 * and for a ReadyForQuery the interceptor waits for.
 *
 * It knows no SQL and decides nothing: anything but a plain pass, any end of stream, any odd
 * message (Terminate, a bad length, a message larger than its buffer) stops the pump, and the
 * session takes over in JavaScript with the exact state the pump leaves: unforwarded client
 * bytes (always starting at a message boundary), unwritten output for either side, and where
 * the backend stream stands (bytes left of the current message, a partial header).
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <uv.h>

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harmless-filter.h"

/* What the message callback answers. */
enum { VERDICT_PASS = 0, VERDICT_PASS_WANT_READY = 1, VERDICT_HANDOFF = 2 };

/* Why the pump stopped; mirrored in src/proxy/native-relay.ts. */
enum {
  STOP_REQUESTED = 0,
  STOP_HANDOFF = 1,        /* the interceptor wants the session back for this message */
  STOP_CLIENT_ENDED = 2,   /* end of stream or an error on the client socket */
  STOP_UPSTREAM_ENDED = 3, /* the same on the upstream socket */
  STOP_ODD_MESSAGE = 4,    /* Terminate, a bad or over-limit length, larger than the buffer */
  STOP_BACKEND_MALFORMED = 5,
  STOP_CALLBACK_FAILED = 6
};

/* Slots of the Float64Array shared with JavaScript. */
enum {
  S_OUTSTANDING = 0,    /* Query/Sync forwarded whose ReadyForQuery has not come back */
  S_FORWARDED = 1,      /* 1 when something was forwarded since the last idle ReadyForQuery */
  S_SYNCS = 2,          /* Query/Sync forwarded by the pump (a running total) */
  S_READIES = 3,        /* ReadyForQuery seen by the pump (a running total) */
  S_FROM_CLIENT = 4,    /* bytes read from the client by the pump */
  S_FROM_SERVER = 5,    /* bytes read from the upstream by the pump */
  S_TX_STATUS = 6,      /* status byte of the last ReadyForQuery */
  S_SKIP = 7,           /* bytes left of the backend message being relayed */
  S_LAST_TYPE = 8,      /* type of the last backend message that started */
  S_FAILED = 9,         /* an ErrorResponse went by since the last ReadyForQuery */
  S_WANT_READY = 10,    /* call back on the next ReadyForQuery */
  S_HEADER_FILLED = 11, /* bytes of a partial backend header, in the header buffer */
  S_RUNNING = 12,
  S_QUEUED_TO_UPSTREAM = 13, /* bytes waiting for the upstream socket to take them */
  S_QUEUED_TO_CLIENT = 14,
  S_FILTERED = 15, /* watched messages the filter passed without a callback (a running total) */
  S_COUNT = 16
};

enum { CB_MESSAGE = 0, CB_READY = 1, CB_STOPPED = 2, CB_COUNT = 3 };

#define UPSTREAM_READ_BYTES (64 * 1024)

typedef struct {
  uint8_t *data;
  size_t start, end, cap;
} Pending;

typedef struct Pump Pump;

/* The poll handles of one engagement; freed when libuv has closed both. */
typedef struct {
  uv_poll_t client, upstream;
  int open;
  int client_fd, upstream_fd;
  /* Keeps the pump alive while libuv may still call it; dropped once both handles have closed. */
  napi_env env;
  napi_ref keep_alive;
} Polls;

struct Pump {
  napi_env env;
  napi_ref callbacks[CB_COUNT];
  napi_ref resource;
  napi_ref input_ref, state_ref, header_ref;
  napi_async_context async;
  uint8_t *input; /* the client input buffer (a JavaScript Buffer, so callbacks can view it) */
  size_t input_cap, input_len;
  double *state;
  uint8_t *header; /* 6 bytes, JavaScript-visible: a backend header split across reads */
  uint8_t watches[256];
  HarmlessFilter *filter; /* may be NULL: every watched message is a callback */
  napi_ref filter_ref;
  uint32_t max_message;
  uint8_t upstream_buf[UPSTREAM_READ_BYTES];
  Pending to_upstream, to_client;
  Polls *polls;
  int running;
  int depth;          /* > 0 while a JavaScript callback runs */
  int stop_requested; /* stop() came from inside a callback: stop once it returns */
  int stop_reason;
  /* Opened lazily, once per libuv event, only when a callback is needed. */
  napi_handle_scope handle_scope;
  napi_callback_scope callback_scope;
  int handle_scope_open, callback_scope_open;
};

static void finish_stop(Pump *p, int from_js);
static void on_client_event(uv_poll_t *handle, int status, int events);
static void on_upstream_event(uv_poll_t *handle, int status, int events);

/* ---- scopes and callbacks --------------------------------------------------------------- */

static int open_handle_scope(Pump *p) {
  if (p->handle_scope_open) return 1;
  if (napi_open_handle_scope(p->env, &p->handle_scope) != napi_ok) return 0;
  p->handle_scope_open = 1;
  return 1;
}

/*
 * A callback scope as for any event callback: async context, and on close the ticks and
 * microtasks the callbacks queued. The message callback (the judge, every Query in simple mode)
 * does without: a verdict that is not a plain pass stops the pump, and `stopped` runs in a
 * callback scope; anything else it queued runs in the loop's check phase of this same turn, where
 * Node drains them after its native immediates.
 */
static int open_scopes(Pump *p) {
  if (p->callback_scope_open) return 1;
  napi_value resource;
  if (!open_handle_scope(p)) return 0;
  if (napi_get_reference_value(p->env, p->resource, &resource) != napi_ok ||
      napi_open_callback_scope(p->env, resource, p->async, &p->callback_scope) != napi_ok) {
    return 0;
  }
  p->callback_scope_open = 1;
  return 1;
}

static void close_scopes(Pump *p) {
  if (p->callback_scope_open) {
    p->callback_scope_open = 0;
    napi_close_callback_scope(p->env, p->callback_scope);
  }
  if (p->handle_scope_open) {
    p->handle_scope_open = 0;
    napi_close_handle_scope(p->env, p->handle_scope);
  }
}

/* Calls a callback with int arguments; returns its int result, or -1 when it threw. */
static int call_js(Pump *p, int which, int argc, const int *args) {
  napi_env env = p->env;
  napi_value fn, recv, argv[4], result;
  int32_t out = 0;
  if (!(which == CB_MESSAGE ? open_handle_scope(p) : open_scopes(p))) return -1;
  napi_get_reference_value(env, p->callbacks[which], &fn);
  napi_get_undefined(env, &recv);
  for (int i = 0; i < argc; i++) napi_create_int32(env, args[i], &argv[i]);
  p->depth++;
  napi_status status = napi_call_function(env, recv, fn, (size_t)argc, argv, &result);
  p->depth--;
  if (status != napi_ok) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    return -1;
  }
  if (napi_get_value_int32(env, result, &out) != napi_ok) out = 0;
  return out;
}

/* ---- output ------------------------------------------------------------------------------ */

static int pending_append(Pending *q, const uint8_t *data, size_t n) {
  size_t used = q->end - q->start;
  if (q->start > 0 && q->end + n > q->cap) {
    memmove(q->data, q->data + q->start, used);
    q->start = 0;
    q->end = used;
  }
  if (q->end + n > q->cap) {
    size_t cap = q->cap ? q->cap : 16 * 1024;
    while (cap < q->end + n) cap *= 2;
    uint8_t *grown = realloc(q->data, cap);
    if (!grown) return 0;
    q->data = grown;
    q->cap = cap;
  }
  memcpy(q->data + q->end, data, n);
  q->end += n;
  return 1;
}

static int pending_empty(const Pending *q) { return q->start == q->end; }

static void update_polls(Pump *p) {
  if (!p->running || !p->polls) return;
  p->state[S_QUEUED_TO_UPSTREAM] = (double)(p->to_upstream.end - p->to_upstream.start);
  p->state[S_QUEUED_TO_CLIENT] = (double)(p->to_client.end - p->to_client.start);
  /* Read a side only while the other side has nothing queued: that is the backpressure. */
  int client_events = pending_empty(&p->to_upstream) ? UV_READABLE : 0;
  int upstream_events = pending_empty(&p->to_client) ? UV_READABLE : 0;
  if (!pending_empty(&p->to_client)) client_events |= UV_WRITABLE;
  if (!pending_empty(&p->to_upstream)) upstream_events |= UV_WRITABLE;
  uv_poll_start(&p->polls->client, client_events, on_client_event);
  uv_poll_start(&p->polls->upstream, upstream_events, on_upstream_event);
}

/* Writes what the socket takes now: the count written (0 when it is full), or -1 on an error. */
static ssize_t write_some(int fd, const uint8_t *data, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(fd, data + done, n - done);
    if (w >= 0) done += (size_t)w;
    else if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    else if (errno != EINTR) return -1;
  }
  return (ssize_t)done;
}

/* Writes what it can now and queues the rest; 0 when the socket failed. */
static int send_bytes(Pump *p, int fd, Pending *q, const uint8_t *data, size_t n) {
  if (n == 0) return 1;
  if (pending_empty(q)) {
    ssize_t w = write_some(fd, data, n);
    if (w < 0) {
      pending_append(q, data, n); /* handed back to JavaScript, whose write reports the error */
      return 0;
    }
    if ((size_t)w == n) return 1;
    data += w;
    n -= (size_t)w;
  }
  if (!pending_append(q, data, n)) return 0;
  update_polls(p);
  return 1;
}

/* Flushes a queue on a writable event; 0 when the socket failed. */
static int flush_pending(Pump *p, int fd, Pending *q) {
  ssize_t w = write_some(fd, q->data + q->start, q->end - q->start);
  if (w < 0) return 0;
  q->start += (size_t)w;
  if (!pending_empty(q)) return 1;
  q->start = q->end = 0;
  update_polls(p);
  return 1;
}

/* ---- frontend: client → upstream ---------------------------------------------------------- */

static uint32_t read_be32(const uint8_t *b) {
  return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | (uint32_t)b[3];
}

static void request_stop(Pump *p, int reason) {
  if (!p->stop_requested) p->stop_reason = reason;
  p->stop_requested = 1;
}

/* A watched message at input offset o: 1 to forward it, 0 when the pump stops before it. */
static int watched_passes(Pump *p, uint8_t type, size_t o, size_t total) {
  if (p->filter && harmless_filter_passes(p->filter, type, p->input + o, total)) {
    p->state[S_FILTERED] += 1; /* the interceptor's filter proved it: a plain pass, no callback */
    return 1;
  }
  int args[3] = {type, (int)o, (int)total};
  int verdict = call_js(p, CB_MESSAGE, 3, args);
  if (verdict < 0) {
    request_stop(p, STOP_CALLBACK_FAILED);
    return 0;
  }
  if (verdict == VERDICT_HANDOFF) {
    request_stop(p, STOP_HANDOFF);
    return 0;
  }
  if (verdict == VERDICT_PASS_WANT_READY) p->state[S_WANT_READY] = 1;
  return 1;
}

/* Forwards every whole message in the input, calling back for watched ones; keeps the rest. */
static void process_client(Pump *p) {
  size_t o = 0, len = p->input_len;
  uint8_t *in = p->input;
  while (len - o >= 5 && !p->stop_requested) {
    uint8_t type = in[o];
    uint32_t length = read_be32(in + o + 1);
    if (length < 4 || length > p->max_message || type == 'X') {
      request_stop(p, STOP_ODD_MESSAGE);
      break;
    }
    size_t total = 1 + (size_t)length;
    if (total > len - o) {
      if (total > p->input_cap) request_stop(p, STOP_ODD_MESSAGE);
      break;
    }
    if (p->watches[type] && !watched_passes(p, type, o, total)) break;
    if (type == 'Q' || type == 'S') {
      p->state[S_OUTSTANDING] += 1;
      p->state[S_SYNCS] += 1;
    }
    p->state[S_FORWARDED] = 1;
    o += total;
  }
  int ok = send_bytes(p, p->polls->upstream_fd, &p->to_upstream, in, o);
  if (o > 0) {
    memmove(in, in + o, len - o);
    p->input_len = len - o;
  }
  if (!ok) request_stop(p, STOP_UPSTREAM_ENDED);
}

/* One read; on end of stream or an error the pump stops for `ended` and this returns 0. */
static size_t read_some(Pump *p, int fd, uint8_t *into, size_t room, int ended) {
  ssize_t n;
  do n = read(fd, into, room);
  while (n < 0 && errno == EINTR);
  if (n > 0) return (size_t)n;
  if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) request_stop(p, ended);
  return 0;
}

/* Client bytes read: frame, judge and forward them. */
static void read_client(Pump *p) {
  size_t n = read_some(p, p->polls->client_fd, p->input + p->input_len, p->input_cap - p->input_len, STOP_CLIENT_ENDED);
  if (n == 0) return;
  p->input_len += n;
  p->state[S_FROM_CLIENT] += (double)n;
  process_client(p);
}

/* ---- backend: upstream → client ------------------------------------------------------------ */

static void ready_for_query(Pump *p, uint8_t status) {
  p->state[S_READIES] += 1;
  p->state[S_TX_STATUS] = status;
  if (p->state[S_OUTSTANDING] > 0) p->state[S_OUTSTANDING] -= 1;
  if (p->state[S_OUTSTANDING] == 0) p->state[S_FORWARDED] = 0;
  int failed = p->state[S_FAILED] != 0;
  p->state[S_FAILED] = 0;
  if (p->state[S_WANT_READY] != 0) {
    int args[2] = {status, failed};
    int want = call_js(p, CB_READY, 2, args);
    if (want < 0) request_stop(p, STOP_CALLBACK_FAILED);
    p->state[S_WANT_READY] = want > 0 ? 1 : 0;
  }
}

/* Walks message headers without copying messages: notes ReadyForQuery and ErrorResponse. */
static int scan_backend(Pump *p, const uint8_t *b, size_t n) {
  size_t i = 0;
  double *s = p->state;
  while (i < n) {
    if (s[S_SKIP] > 0) {
      size_t k = n - i < (size_t)s[S_SKIP] ? n - i : (size_t)s[S_SKIP];
      i += k;
      s[S_SKIP] -= (double)k;
      continue;
    }
    int filled = (int)s[S_HEADER_FILLED];
    uint8_t type = filled > 0 ? p->header[0] : b[i];
    int need = type == 'Z' ? 6 : 5;
    if (filled == 0) {
      s[S_LAST_TYPE] = type;
      if (type == 'E') s[S_FAILED] = 1;
    }
    int take = need - filled;
    if ((size_t)take > n - i) take = (int)(n - i);
    memcpy(p->header + filled, b + i, (size_t)take);
    filled += take;
    i += (size_t)take;
    if (filled < need) {
      s[S_HEADER_FILLED] = filled;
      break;
    }
    s[S_HEADER_FILLED] = 0;
    uint32_t length = read_be32(p->header + 1);
    if (length < 4) return 0;
    s[S_SKIP] = (double)(1 + length - (uint32_t)need);
    if (type == 'Z') ready_for_query(p, p->header[5]);
  }
  return 1;
}

/* Upstream bytes read: walk their headers and relay them unchanged. */
static void read_upstream(Pump *p) {
  size_t n = read_some(p, p->polls->upstream_fd, p->upstream_buf, UPSTREAM_READ_BYTES, STOP_UPSTREAM_ENDED);
  if (n == 0) return;
  p->state[S_FROM_SERVER] += (double)n;
  if (!scan_backend(p, p->upstream_buf, n)) {
    request_stop(p, STOP_BACKEND_MALFORMED);
  } else if (!send_bytes(p, p->polls->client_fd, &p->to_client, p->upstream_buf, n)) {
    request_stop(p, STOP_CLIENT_ENDED);
  }
}

/*
 * One socket's event, either side: flush what waits for it, then read it, but only while the other
 * side has nothing queued (the backpressure). `out` is this socket's queue, `other` the other's.
 */
static void on_event(Pump *p, int status, int events, int fd, Pending *out, const Pending *other, int ended, void (*read_side)(Pump *)) {
  if (status < 0) {
    request_stop(p, ended);
  } else {
    if ((events & UV_WRITABLE) && !flush_pending(p, fd, out)) request_stop(p, ended);
    if ((events & UV_READABLE) && !p->stop_requested && pending_empty(other)) read_side(p);
  }
  if (p->stop_requested) finish_stop(p, 0);
  close_scopes(p);
}

static void on_client_event(uv_poll_t *handle, int status, int events) {
  Pump *p = handle->data;
  if (p->running) on_event(p, status, events, p->polls->client_fd, &p->to_client, &p->to_upstream, STOP_CLIENT_ENDED, read_client);
}

static void on_upstream_event(uv_poll_t *handle, int status, int events) {
  Pump *p = handle->data;
  if (p->running) on_event(p, status, events, p->polls->upstream_fd, &p->to_upstream, &p->to_client, STOP_UPSTREAM_ENDED, read_upstream);
}

/* ---- start and stop -------------------------------------------------------------------------- */

static void release_polls(Polls *polls) {
  if (--polls->open > 0) return;
  if (polls->keep_alive) napi_delete_reference(polls->env, polls->keep_alive);
  free(polls);
}

static void free_polls_when_closed(uv_handle_t *handle) {
  release_polls((Polls *)((char *)handle - offsetof(Polls, upstream)));
}

static void free_polls_client_closed(uv_handle_t *handle) {
  release_polls((Polls *)((char *)handle - offsetof(Polls, client)));
}

static napi_value buffer_copy(napi_env env, const uint8_t *data, size_t n) {
  napi_value out;
  if (n == 0) {
    napi_get_null(env, &out);
    return out;
  }
  void *copy;
  napi_create_buffer_copy(env, n, data, &copy, &out);
  return out;
}

/*
 * Stops polling, closes the duplicated descriptors, and gives the session back its state.
 * `from_js`: called from JavaScript (stop()), which needs no callback scope of ours and gets any
 * exception the callback throws; from libuv, a scope is opened and an exception is fatal, as for
 * any other event callback.
 */
static void finish_stop(Pump *p, int from_js) {
  if (!p->running) return;
  p->running = 0;
  p->state[S_RUNNING] = 0;
  p->stop_requested = 0;
  Polls *polls = p->polls;
  p->polls = NULL;
  uv_poll_stop(&polls->client);
  uv_poll_stop(&polls->upstream);
  close(polls->client_fd);
  close(polls->upstream_fd);
  uv_close((uv_handle_t *)&polls->client, free_polls_client_closed);
  uv_close((uv_handle_t *)&polls->upstream, free_polls_when_closed);

  if (!from_js && !open_scopes(p)) return;
  napi_env env = p->env;
  napi_value fn, recv, argv[4], result;
  napi_create_int32(env, p->stop_reason, &argv[0]);
  argv[1] = buffer_copy(env, p->input, p->input_len);
  argv[2] = buffer_copy(env, p->to_upstream.data + p->to_upstream.start, p->to_upstream.end - p->to_upstream.start);
  argv[3] = buffer_copy(env, p->to_client.data + p->to_client.start, p->to_client.end - p->to_client.start);
  p->input_len = 0;
  p->to_upstream.start = p->to_upstream.end = 0;
  p->to_client.start = p->to_client.end = 0;
  napi_get_reference_value(env, p->callbacks[CB_STOPPED], &fn);
  napi_get_undefined(env, &recv);
  p->depth++;
  napi_status status = napi_call_function(env, recv, fn, 4, argv, &result);
  p->depth--;
  if (status != napi_ok && !from_js) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
}

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, "TW_NATIVE_RELAY", message);
  return NULL;
}

static void pump_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  Pump *p = data;
  for (int i = 0; i < CB_COUNT; i++) if (p->callbacks[i]) napi_delete_reference(env, p->callbacks[i]);
  if (p->resource) napi_delete_reference(env, p->resource);
  if (p->input_ref) napi_delete_reference(env, p->input_ref);
  if (p->state_ref) napi_delete_reference(env, p->state_ref);
  if (p->header_ref) napi_delete_reference(env, p->header_ref);
  if (p->filter_ref) napi_delete_reference(env, p->filter_ref);
  if (p->async) napi_async_destroy(env, p->async);
  free(p->to_upstream.data);
  free(p->to_client.data);
  free(p);
}

static int typed_bytes(napi_env env, napi_value v, void **data, size_t *bytes) {
  bool is_buffer = false;
  napi_is_buffer(env, v, &is_buffer);
  if (is_buffer) return napi_get_buffer_info(env, v, data, bytes) == napi_ok;
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  if (!is_typed) return 0;
  napi_typedarray_type type;
  size_t length, offset;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &type, &length, data, &ab, &offset) != napi_ok) return 0;
  *bytes = type == napi_float64_array ? length * 8 : length;
  return 1;
}

/*
 * create({ message, ready, stopped }, input: Buffer, state: Float64Array(S_COUNT),
 *        header: Buffer(6), watches: Uint8Array(256), maxMessage, filter | null) → pump
 */
static napi_value create(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 7) return throw_error(env, "create needs 7 arguments");
  Pump *p = calloc(1, sizeof(Pump));
  if (!p) return throw_error(env, "out of memory");
  p->env = env;
  static const char *names[CB_COUNT] = {"message", "ready", "stopped"};
  for (int i = 0; i < CB_COUNT; i++) {
    napi_value fn;
    napi_valuetype t;
    if (napi_get_named_property(env, argv[0], names[i], &fn) != napi_ok || napi_typeof(env, fn, &t) != napi_ok || t != napi_function) {
      pump_finalize(env, p, NULL);
      return throw_error(env, "callbacks must be functions");
    }
    napi_create_reference(env, fn, 1, &p->callbacks[i]);
  }
  napi_create_reference(env, argv[0], 1, &p->resource);
  void *data;
  size_t bytes;
  if (!typed_bytes(env, argv[1], &data, &bytes) || bytes < 1024) {
    pump_finalize(env, p, NULL);
    return throw_error(env, "input must be a Buffer of at least 1 KiB");
  }
  p->input = data;
  p->input_cap = bytes;
  napi_create_reference(env, argv[1], 1, &p->input_ref);
  if (!typed_bytes(env, argv[2], &data, &bytes) || bytes < S_COUNT * sizeof(double)) {
    pump_finalize(env, p, NULL);
    return throw_error(env, "state must be a Float64Array of the right size");
  }
  p->state = data;
  napi_create_reference(env, argv[2], 1, &p->state_ref);
  if (!typed_bytes(env, argv[3], &data, &bytes) || bytes < 6) {
    pump_finalize(env, p, NULL);
    return throw_error(env, "header must be a Buffer of 6 bytes");
  }
  p->header = data;
  napi_create_reference(env, argv[3], 1, &p->header_ref);
  if (!typed_bytes(env, argv[4], &data, &bytes) || bytes != 256) {
    pump_finalize(env, p, NULL);
    return throw_error(env, "watches must be a Uint8Array of 256");
  }
  memcpy(p->watches, data, 256);
  uint32_t max_message;
  if (napi_get_value_uint32(env, argv[5], &max_message) != napi_ok) {
    pump_finalize(env, p, NULL);
    return throw_error(env, "maxMessage must be a number");
  }
  p->max_message = max_message;
  napi_valuetype filter_type;
  napi_typeof(env, argv[6], &filter_type);
  if (filter_type != napi_null && filter_type != napi_undefined) {
    p->filter = harmless_filter_from(env, argv[6]);
    if (!p->filter) {
      pump_finalize(env, p, NULL);
      return throw_error(env, "filter must come from createFilter() or be null");
    }
    napi_create_reference(env, argv[6], 1, &p->filter_ref);
  }
  napi_value name;
  napi_create_string_utf8(env, "tripwire.relay", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, argv[0], name, &p->async);
  napi_value external;
  napi_create_external(env, p, pump_finalize, NULL, &external);
  return external;
}

/* The pump in argv[0] of a call that takes `want` arguments; NULL, with `usage` thrown, otherwise. */
static Pump *pump_call(napi_env env, napi_callback_info info, size_t want, napi_value *argv, const char *usage) {
  size_t argc = want;
  void *data = NULL;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc != want || napi_get_value_external(env, argv[0], &data) != napi_ok || data == NULL) {
    throw_error(env, usage);
    return NULL;
  }
  return data;
}

static napi_value undefined_value(napi_env env) {
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  return undefined;
}

/* start(pump, clientFd, upstreamFd): the state slots must already hold the session's state. */
static napi_value start(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  Pump *p = pump_call(env, info, 3, argv, "start(pump, clientFd, upstreamFd)");
  if (!p) return NULL;
  if (p->running) return throw_error(env, "the pump is already running");
  int32_t cfd, ufd;
  if (napi_get_value_int32(env, argv[1], &cfd) != napi_ok || napi_get_value_int32(env, argv[2], &ufd) != napi_ok || cfd < 0 || ufd < 0) {
    return throw_error(env, "file descriptors must be numbers");
  }
  uv_loop_t *loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) return throw_error(env, "no event loop");
  Polls *polls = calloc(1, sizeof(Polls));
  if (!polls) return throw_error(env, "out of memory");
  /* Duplicates: Node's own handles keep their descriptors, and epoll tells the two apart. */
  polls->client_fd = dup(cfd);
  polls->upstream_fd = polls->client_fd < 0 ? -1 : dup(ufd);
  if (polls->client_fd < 0 || polls->upstream_fd < 0) {
    if (polls->client_fd >= 0) close(polls->client_fd);
    free(polls);
    return throw_error(env, "dup failed");
  }
  if (uv_poll_init(loop, &polls->client, polls->client_fd) != 0) {
    close(polls->client_fd);
    close(polls->upstream_fd);
    free(polls);
    return throw_error(env, "cannot poll the client socket");
  }
  if (uv_poll_init(loop, &polls->upstream, polls->upstream_fd) != 0) {
    polls->open = 1;
    close(polls->client_fd);
    close(polls->upstream_fd);
    uv_close((uv_handle_t *)&polls->client, free_polls_client_closed);
    return throw_error(env, "cannot poll the upstream socket");
  }
  polls->open = 2;
  polls->client.data = p;
  polls->upstream.data = p;
  polls->env = env;
  napi_create_reference(env, argv[0], 1, &polls->keep_alive);
  p->polls = polls;
  p->running = 1;
  p->state[S_RUNNING] = 1;
  p->stop_requested = 0;
  p->stop_reason = STOP_REQUESTED;
  update_polls(p);
  return undefined_value(env);
}

/* stop(pump): stops now, or right after the running callback returns; `stopped` is called. */
static napi_value stop(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  Pump *p = pump_call(env, info, 1, argv, "stop(pump)");
  if (!p) return NULL;
  napi_value result;
  if (p->running && p->depth > 0) {
    request_stop(p, STOP_REQUESTED);
    napi_get_boolean(env, false, &result);
    return result;
  }
  if (p->running) {
    p->stop_reason = STOP_REQUESTED;
    finish_stop(p, 1);
  }
  napi_get_boolean(env, true, &result);
  return result;
}

/* release(pump): drops the references to the callbacks so the session can be collected. */
static napi_value release(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  Pump *p = pump_call(env, info, 1, argv, "release(pump)");
  if (!p) return NULL;
  if (p->running) return throw_error(env, "stop the pump before releasing it");
  for (int i = 0; i < CB_COUNT; i++) {
    if (p->callbacks[i]) napi_reference_unref(env, p->callbacks[i], NULL);
  }
  if (p->resource) napi_reference_unref(env, p->resource, NULL);
  return undefined_value(env);
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"create", NULL, create, NULL, NULL, NULL, napi_default_method, NULL},
      {"start", NULL, start, NULL, NULL, NULL, napi_default_method, NULL},
      {"stop", NULL, stop, NULL, NULL, NULL, napi_default_method, NULL},
      {"release", NULL, release, NULL, NULL, NULL, napi_default_method, NULL},
  };
  napi_define_properties(env, exports, 4, props);
  harmless_filter_define(env, exports);
  napi_value version;
  napi_create_uint32(env, 2, &version);
  napi_set_named_property(env, exports, "version", version);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
