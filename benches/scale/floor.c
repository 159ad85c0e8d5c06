/* The floor for polling waiters: one thread, one absolute clock_nanosleep
 * per cadence, and per port still closed a non-blocking socket, connect and
 * close. Exits 0 once every port accepted (loopback connects settle inside
 * connect(2), so no poll is needed).
 *
 * usage: floor CADENCE_MS PORTS_FILE   (one port a line, 127.0.0.1)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: floor CADENCE_MS PORTS_FILE\n");
        return 2;
    }
    long cadence_ns = atol(argv[1]) * 1000000L;
    FILE *f = fopen(argv[2], "r");
    if (!f) { perror("ports"); return 2; }
    size_t n = 0, cap = 1024;
    unsigned short *ports = malloc(cap * sizeof *ports);
    int port;
    while (fscanf(f, "%d", &port) == 1) {
        if (n == cap) ports = realloc(ports, (cap *= 2) * sizeof *ports);
        ports[n++] = (unsigned short)port;
    }
    fclose(f);
    struct sockaddr_in addr = {.sin_family = AF_INET};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    size_t left = n;
    for (;;) {
        for (size_t i = 0; i < left;) {
            int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (s < 0) { perror("socket"); return 1; }
            addr.sin_port = htons(ports[i]);
            int r = connect(s, (struct sockaddr *)&addr, sizeof addr);
            if (r < 0 && errno == EINPROGRESS) {
                /* Settled already on loopback: a peer means accepted. */
                struct sockaddr_in peer;
                socklen_t len = sizeof peer;
                r = getpeername(s, (struct sockaddr *)&peer, &len);
            }
            close(s);
            if (r == 0) {
                ports[i] = ports[--left]; /* open: drop it */
            } else {
                i++;
            }
        }
        if (left == 0) return 0;
        next.tv_nsec += cadence_ns;
        while (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {}
    }
}
