/*
 * The resolver oracle: what glibc's res_ninit() makes of resolv.conf files.
 * Run inside `unshare --mount --uts` with OUT bind-mounted over /etc/resolv.conf
 * (see resolv-run.ts). For each case file DIR/<i> (i < N) it copies the bytes
 * into OUT (same inode, so the bind mount shows them), gives OUT a distinct
 * mtime (glibc caches the file by inode, size and times) and, in a forked
 * child, calls res_ninit() and prints the state: nameservers, search list
 * (the legacy dnsrch view), ndots, timeout, attempts and option bits.
 * Bytes outside printable ASCII are printed as \xHH. A child that does not
 * finish within 0.5 s is killed and the case reported as `hang`.
 * Usage: resolv-oracle DIR N OUT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <resolv.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void put(const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c > 0x20 && c < 0x7f && c != '\\') putchar(c);
    else printf("\\x%02x", c);
  }
}

static const struct { const char *name; unsigned long bit; } FLAGS[] = {
  { "rotate", RES_ROTATE },
  { "edns0", RES_USE_EDNS0 },
  { "single-request-reopen", RES_SNGLKUPREOP },
  { "single-request", RES_SNGLKUP },
  { "no-tld-query", RES_NOTLDQUERY },
  { "use-vc", RES_USEVC },
#ifdef RES_NORELOAD
  { "no-reload", RES_NORELOAD },
#endif
#ifdef RES_TRUSTAD
  { "trust-ad", RES_TRUSTAD },
#endif
#ifdef RES_NOAAAA
  { "no-aaaa", RES_NOAAAA },
#endif
};

static int dump(void) {
  struct __res_state st;
  memset(&st, 0, sizeof st);
  if (res_ninit(&st) != 0) { printf("init-failed\n"); return 1; }
  for (int i = 0; i < st.nscount; i++) {
    char buf[INET6_ADDRSTRLEN];
    struct sockaddr_in6 *s6 = st._u._ext.nsaddrs[i];
    if (s6 && s6->sin6_family == AF_INET6) {
      inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof buf);
      printf("ns 6 %s %u\n", buf, (unsigned)s6->sin6_scope_id);
    } else {
      inet_ntop(AF_INET, &st.nsaddr_list[i].sin_addr, buf, sizeof buf);
      printf("ns 4 %s %u\n", buf, (unsigned)ntohs(st.nsaddr_list[i].sin_port));
    }
  }
  for (int i = 0; i < MAXDNSRCH + 1 && st.dnsrch[i]; i++) {
    printf("search ");
    put(st.dnsrch[i]);
    putchar('\n');
  }
  printf("ndots %u\ntimeout %d\nattempts %d\nflags", (unsigned)st.ndots, st.retrans, st.retry);
  for (size_t i = 0; i < sizeof FLAGS / sizeof FLAGS[0]; i++)
    if (st.options & FLAGS[i].bit) printf(" %s", FLAGS[i].name);
  putchar('\n');
  res_nclose(&st);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 4) return 2;
  int n = atoi(argv[2]);
  static char data[1 << 20];
  for (int i = 0; i < n; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%d", argv[1], i);
    FILE *in = fopen(path, "rb");
    if (!in) { perror(path); return 2; }
    size_t len = fread(data, 1, sizeof data, in);
    fclose(in);
    int fd = open(argv[3], O_WRONLY | O_TRUNC);
    if (fd < 0 || write(fd, data, len) != (ssize_t)len) { perror(argv[3]); return 2; }
    struct timespec times[2] = { { 1000000000 + i, 0 }, { 1000000000 + i, 0 } };
    futimens(fd, times);
    close(fd);
    printf("case %d\n", i);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) { int r = dump(); fflush(stdout); _exit(r); }
    /* glibc can loop forever in res_ninit() (a `sortlist` line with a `\r`): give up after 0.5 s. */
    int status, waited = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
      struct timespec ms = { 0, 1000000 };
      nanosleep(&ms, NULL);
      if (++waited == 500) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        printf("hang\n");
        break;
      }
    }
    printf("end\n");
    fflush(stdout);
  }
  return 0;
}
