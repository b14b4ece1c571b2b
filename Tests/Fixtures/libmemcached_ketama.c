/* The reference for scalectl's ketama: libmemcached itself (Debian libmemcached-dev), with
 * MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, which selects MEMCACHED_DISTRIBUTION_CONSISTENT_WEIGHTED
 * and MD5 for both keys and points. No memcached runs: memcached_generate_hash() only reads
 * the continuum libmemcached builds when servers are added.
 *
 *   libmemcached_ketama continuum SERVERS          one "value server" line per point, in order
 *   libmemcached_ketama hashes SERVERS < KEYS      one "hash server" line per key
 *   libmemcached_ketama lookup SERVERS < KEYS      one "key<TAB>host:port" line per key
 *   libmemcached_ketama add SERVERS                one "servers points" line after each server
 *                                                  is added, flushed, so a line per server that
 *                                                  libmemcached took survives an abort
 *
 * SERVERS has one "host port weight" line per server. KEYS has one key per line (LF).
 * Built by the HashRing tests and by Benchmarks/ring.sh:
 *   cc -O2 -o libmemcached_ketama libmemcached_ketama.c $(pkg-config --cflags --libs libmemcached)
 */
#include <libmemcached/memcached.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libmemcached 1.1 keeps the continuum's item type private (src/libmemcached/continuum.hpp);
 * this is its layout, used only to print the points. The lookups use the public API. */
struct memcached_continuum_item_st {
  uint32_t index;
  uint32_t value;
};

static char names[4096][300];

static int trace_adds;

static memcached_st *load(const char *path, int *count) {
  FILE *f = fopen(path, "r");
  if (!f) { perror(path); exit(2); }
  memcached_st *m = memcached_create(NULL);
  if (memcached_behavior_set(m, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1) != MEMCACHED_SUCCESS) {
    fprintf(stderr, "cannot set MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED\n"); exit(2);
  }
  char host[256];
  unsigned port, weight;
  int n = 0;
  while (fscanf(f, "%255s %u %u", host, &port, &weight) == 3) {
    memcached_return_t rc = memcached_server_add_with_weight(m, host, (in_port_t)port, weight);
    if (rc != MEMCACHED_SUCCESS) { fprintf(stderr, "%s: %s\n", host, memcached_strerror(m, rc)); exit(2); }
    if (n < 4096) snprintf(names[n], sizeof names[n], "%s:%u", host, port);
    n++;
    if (trace_adds) { printf("%d %u\n", n, m->ketama.continuum_points_counter); fflush(stdout); }
  }
  fclose(f);
  if (memcached_behavior_get_distribution(m) != MEMCACHED_DISTRIBUTION_CONSISTENT_WEIGHTED) {
    fprintf(stderr, "distribution is not CONSISTENT_WEIGHTED\n"); exit(2);
  }
  *count = n;
  return m;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: %s continuum|hashes|lookup|add SERVERS\n", argv[0]); return 2; }
  int n = 0;
  trace_adds = strcmp(argv[1], "add") == 0;
  memcached_st *m = load(argv[2], &n);
  if (trace_adds) { memcached_free(m); return 0; }
  if (strcmp(argv[1], "continuum") == 0) {
    for (uint32_t i = 0; i < m->ketama.continuum_points_counter; i++)
      printf("%u %u\n", m->ketama.continuum[i].value, m->ketama.continuum[i].index);
    return 0;
  }
  int lookup = strcmp(argv[1], "lookup") == 0;
  if (!lookup && strcmp(argv[1], "hashes") != 0) { fprintf(stderr, "unknown mode %s\n", argv[1]); return 2; }
  static char out[1 << 16];
  setvbuf(stdout, out, _IOFBF, sizeof out);
  char *line = NULL;
  size_t capacity = 0;
  ssize_t length;
  while ((length = getline(&line, &capacity, stdin)) >= 0) {
    if (length > 0 && line[length - 1] == '\n') line[--length] = '\0';
    uint32_t server = memcached_generate_hash(m, line, (size_t)length);
    if (lookup) {
      fwrite(line, 1, (size_t)length, stdout);
      putchar('\t');
      fputs(names[server], stdout);
      putchar('\n');
    } else {
      printf("%u %u\n", memcached_generate_hash_value(line, (size_t)length, MEMCACHED_HASH_MD5), server);
    }
  }
  free(line);
  memcached_free(m);
  return 0;
}
