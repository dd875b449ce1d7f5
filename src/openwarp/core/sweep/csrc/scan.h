/*
 * The parts of openwarp.core.sweep._scan shared by its C files (ADR 0104):
 * the Table, the byte classes, hashing and the batched lookups of a scan.
 * _scan.c says what the extension does; table.c builds a Table; judge.c
 * cuts and judges tokens.
 */
#ifndef OPENWARP_SCAN_H
#define OPENWARP_SCAN_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* Bumped when the table's rules change, so a stale build is noticed. */
#define SCAN_ABI 5

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

enum verdict { NOTHING = 0, FLAGGED = 1, SPECIAL = 2 };

/* Shapes are counted up to these; longer or dottier texts share the last cell. */
#define SHAPE_DOTS 7
#define SHAPE_LEN 127
#define BLOOM_WORDS (1 << 16)

/* Byte classes, filled once at import. TOKEN is non-zero for the bytes of
 * TOKEN_RE, [a-z0-9_.:@%\-\x80-\xff], and tells which kind each is, so one
 * pass over a token says whether it has dots, separators or high bytes. */
enum { T_PLAIN = 1, T_DOT = 2, T_SEP = 4, T_HIGH = 8 };
extern unsigned char TOKEN[256];
extern unsigned char EDGE[256];  /* stripped from part ends: . - _ */
extern unsigned char ALNUM[256]; /* [A-Za-z0-9]: hash pieces */
extern unsigned char LOWER[256];  /* ASCII lower case, as bytes.lower() */

typedef struct {
    PyObject_HEAD
    /* A small Bloom filter (two bits in one 64-bit word per text) that stays
     * in the CPU's cache, in front of the table, which does not. */
    uint64_t *bloom;
    uint64_t bloom_mask; /* number of words - 1 */
    uint32_t *slots; /* open addressing, linear probing: 32-bit fingerprints, 0 = empty */
    uint64_t mask;   /* number of slots - 1 (a power of two) */
    Py_ssize_t count;
    /* shape[numeric][dots][length]: whether any text has that shape (see
     * shape_held); a text whose shape no indicator text has is not looked up,
     * which saves most of the table's cache misses (numbers, words, TLDs). */
    unsigned char shape[2][SHAPE_DOTS + 1][SHAPE_LEN + 1];
    int max_dots; /* the most dots in any text */
    uint32_t *cidr_lo; /* sorted, disjoint, inclusive ranges */
    uint32_t *cidr_hi;
    Py_ssize_t ncidr;
    int has_v6;
} Table;

/* ---- hashing and lookups (inline: they are the hot path) ---------------- */

/* FNV-1a over the bytes taken from the last to the first, so that while a
 * part is read right to left the hash of every suffix is at hand. */
static inline uint64_t
hash_reversed(const unsigned char *s, Py_ssize_t len)
{
    uint64_t h = FNV_OFFSET;
    for (Py_ssize_t i = len - 1; i >= 0; i--)
        h = (h ^ LOWER[s[i]]) * FNV_PRIME;
    return h;
}

/* Spread the hash's bits: the slot comes from the low bits, the fingerprint
 * from the high 32, the Bloom word from bits 40-55 and its two bits from 0-11. */
static inline uint64_t
finish(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static inline uint32_t
fingerprint(uint64_t key)
{
    uint32_t fp = (uint32_t)(key >> 32);
    return fp ? fp : 1;
}

static inline uint64_t
bloom_bits(uint64_t key)
{
    return (1ULL << (key & 63)) | (1ULL << ((key >> 6) & 63));
}

static inline int
in_bloom(const Table *t, uint64_t key)
{
    uint64_t bits = bloom_bits(key);
    return (t->bloom[(key >> 40) & t->bloom_mask] & bits) == bits;
}

/* Whether a finished hash is in the table proper. */
static inline int
probe(const Table *t, uint64_t key)
{
    uint32_t fp = fingerprint(key);
    for (uint64_t slot = key & t->mask;; slot = (slot + 1) & t->mask) {
        uint32_t stored = t->slots[slot];
        if (stored == fp)
            return 1;
        if (stored == 0)
            return 0;
    }
}

/* Whether some text has this shape: only digits and dots or not, how many
 * dots, how long. The same cells are used when building and when looking up,
 * so a text equal to an indicator text always has a marked shape. */
static inline int
shape_held(const Table *t, int numeric, Py_ssize_t dots, Py_ssize_t len)
{
    if (dots > t->max_dots)
        return 0;
    return t->shape[numeric][dots < SHAPE_DOTS ? dots : SHAPE_DOTS][len < SHAPE_LEN ? len : SHAPE_LEN];
}

/* ---- batched lookups ---------------------------------------------------- */

/* The Bloom filter and the table are bigger than the CPU's nearest caches,
 * so a lookup mostly waits for memory. A scan therefore collects the hashes
 * of many texts (across lines), asks the memory for all their Bloom words
 * at once (prefetch), then for the table slots of those that pass, and only
 * then reads them: the waits overlap instead of adding up. */
#define BATCH 32

typedef struct {
    const Table *t;
    uint64_t keys[BATCH]; /* finished hashes waiting to be looked up */
    Py_ssize_t starts[BATCH], lines[BATCH]; /* the line each came from */
    int n;
    Py_ssize_t start, index; /* the line being read: its offset and index */
    Py_ssize_t last;         /* index of the last line flagged, or -1 */
    PyObject *flagged;       /* list of (start, index) */
    int failed;              /* a Python error is set */
} Scan;

/* table.c */
void fill_classes(void);
int held(const Table *t, uint64_t h, int numeric, Py_ssize_t dots, Py_ssize_t len);
int fill_texts(Table *t, PyObject *texts);
int fill_cidr(Table *t, PyObject *ranges);

/* judge.c */
int judge_line(Scan *sc, const unsigned char *s, Py_ssize_t len);
void resolve(Scan *sc);
int has_mark(const unsigned char *s, Py_ssize_t len);
PyObject *canonical_kinds(PyObject *module, PyObject *values);

#endif
