/*
 * The bench's floor: the least a TCP relay can do per query on this machine. One thread, one
 * epoll set, one read and one write per chunk, no framing, no parsing, no policy. It is not
 * tripwire and not a usable proxy (no startup handling, no cancel, no limits); it exists so a
 * ratio against PgBouncer can be read against what no relay can beat.
 *
 *   floor-relay LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT      (listens on 127.0.0.1 only)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct End {
  int fd;
  struct End *peer;
} End;

static char buffer[64 * 1024];

static int tcp_socket(void) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd >= 0) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

/* Writes all of it; waits for room when the peer is slow (this is a floor, not a fair scheduler). */
static int write_all(int fd, const char *data, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, data, n);
    if (w > 0) {
      data += w;
      n -= (size_t)w;
    } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      struct pollfd p = {.fd = fd, .events = POLLOUT};
      poll(&p, 1, -1);
    } else if (w < 0 && errno != EINTR) {
      return -1;
    }
  }
  return 0;
}

static void close_pair(End *e) {
  close(e->fd);
  close(e->peer->fd);
  e->peer->fd = -1;
  e->fd = -1;
  /* Not freed: the peer may have an event queued in this very batch, and a bench run opens a few
   * hundred connections at most. */
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: floor-relay LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  struct sockaddr_in listen_at = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
  struct sockaddr_in upstream = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[3]))};
  inet_pton(AF_INET, "127.0.0.1", &listen_at.sin_addr);
  if (inet_pton(AF_INET, argv[2], &upstream.sin_addr) != 1) {
    fprintf(stderr, "floor-relay: upstream host must be an IPv4 address, got %s\n", argv[2]);
    return 2;
  }
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(listener, (struct sockaddr *)&listen_at, sizeof listen_at) != 0 || listen(listener, 128) != 0) {
    perror("floor-relay: listen");
    return 2;
  }
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
  struct epoll_event events[64];
  for (;;) {
    int n = epoll_wait(ep, events, 64, -1);
    for (int i = 0; i < n; i++) {
      End *e = events[i].data.ptr;
      if (e == NULL) {
        int client = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
        if (client < 0) continue;
        int server = tcp_socket();
        if (server < 0 || connect(server, (struct sockaddr *)&upstream, sizeof upstream) != 0) {
          perror("floor-relay: connect upstream");
          close(client);
          if (server >= 0) close(server);
          continue;
        }
        setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fcntl(client, F_SETFL, O_NONBLOCK);
        fcntl(server, F_SETFL, O_NONBLOCK);
        End *c = malloc(sizeof *c), *s = malloc(sizeof *s);
        c->fd = client, c->peer = s, s->fd = server, s->peer = c;
        struct epoll_event ce = {.events = EPOLLIN, .data.ptr = c}, se = {.events = EPOLLIN, .data.ptr = s};
        epoll_ctl(ep, EPOLL_CTL_ADD, client, &ce);
        epoll_ctl(ep, EPOLL_CTL_ADD, server, &se);
        continue;
      }
      if (e->fd < 0) continue;
      ssize_t r = read(e->fd, buffer, sizeof buffer);
      if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (r <= 0 || write_all(e->peer->fd, buffer, (size_t)r) != 0) close_pair(e);
    }
  }
}
