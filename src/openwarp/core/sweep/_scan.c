/*
 * openwarp.core.sweep._scan -- stage 1 of the sweep in C (ADR 0104).
 *
 * A Table holds hashes of the indicator texts a match implies (the set's
 * "gate": domains, dotted quads, URL hosts, hashes, e-mail domains, ip:port
 * addresses) -- a Bloom filter that stays in cache, then an open-addressing
 * table of 32-bit fingerprints -- and the set's IPv4 CIDR blocks as sorted
 * disjoint ranges. Table.scan(piece) walks a piece of log once and says which
 * lines may hold a match, cutting tokens exactly as tokens.TokenMatcher does:
 *
 *   token  = a maximal run of [a-z0-9_.:@%-] or bytes >= 0x80 (TOKEN_RE);
 *   part   = a run of a token between ':' and '@', with '.', '-', '_'
 *            stripped from both ends;
 *   a part that is a decimal dotted quad is looked up as written, as its
 *            canonical form when zero-padded, and in the CIDR ranges;
 *   any other part is looked up whole and after each '.' (every parent
 *            domain on a label boundary), and when it is 32 bytes or longer
 *            each run of [a-z0-9] in it is looked up too (hashes).
 *
 * A line is "flagged" when one of its lookups hits: the exact Python check
 * then decides. A line is "special" when it holds what the table cannot
 * judge -- a byte >= 0x80 (internationalised names) or, when the set holds
 * IPv6, a token with "::" or six or more ':' -- and goes to the Python fast
 * path. The scan may over-report (hash collisions, text outside the
 * format's fields) but never under-report a line the exact rules accept.
 *
 * Letters are compared in ASCII lower case (as bytes.lower() makes them), so
 * the piece need not be lowered first. Every read is bounded by the piece's
 * length; no byte value is special to C (NUL bytes are ordinary non-token
 * bytes). The table is built once, before
 * the sweep's workers fork, and only read afterwards, so its pages stay
 * shared copy-on-write.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* Bumped when the table's rules change, so a stale build is noticed. */
#define SCAN_ABI 3

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
static unsigned char TOKEN[256];
static unsigned char EDGE[256];  /* stripped from part ends: . - _ */
static unsigned char ALNUM[256]; /* [a-z0-9]: hash pieces */
static unsigned char LOWER[256];  /* ASCII lower case, as bytes.lower() */

static void
fill_classes(void)
{
    for (int c = 0; c < 256; c++) {
        int upper = c >= 'A' && c <= 'Z';
        LOWER[c] = (unsigned char)(upper ? c - 'A' + 'a' : c);
        int lower = LOWER[c] >= 'a' && LOWER[c] <= 'z';
        int digit = c >= '0' && c <= '9';
        ALNUM[c] = (unsigned char)(lower || digit);
        EDGE[c] = (unsigned char)(c == '.' || c == '-' || c == '_');
        if (c == '.')
            TOKEN[c] = T_DOT;
        else if (c == ':' || c == '@')
            TOKEN[c] = T_SEP;
        else if (c >= 0x80)
            TOKEN[c] = T_HIGH;
        else if (lower || digit || c == '-' || c == '_' || c == '%')
            TOKEN[c] = T_PLAIN;
    }
}

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
     * shape_of); a text whose shape no indicator text has is not looked up,
     * which saves most of the table's cache misses (numbers, words, TLDs). */
    unsigned char shape[2][SHAPE_DOTS + 1][SHAPE_LEN + 1];
    int max_dots; /* the most dots in any text */
    uint32_t *cidr_lo; /* sorted, disjoint, inclusive ranges */
    uint32_t *cidr_hi;
    Py_ssize_t ncidr;
    int has_v6;
} Table;

/* ---- hashing ------------------------------------------------------------ */

/* FNV-1a over the bytes taken from the last to the first, so that while a
 * part is read right to left the hash of every suffix is at hand. */
static uint64_t
hash_reversed(const unsigned char *s, Py_ssize_t len)
{
    uint64_t h = FNV_OFFSET;
    for (Py_ssize_t i = len - 1; i >= 0; i--)
        h = (h ^ LOWER[s[i]]) * FNV_PRIME;
    return h;
}

/* Spread the hash's bits: the slot comes from the low bits, the fingerprint
 * from the high 32, the Bloom word from bits 40-55 and its two bits from 0-11. */
static uint64_t
finish(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static uint32_t
fingerprint(uint64_t key)
{
    uint32_t fp = (uint32_t)(key >> 32);
    return fp ? fp : 1;
}

static uint64_t
bloom_bits(uint64_t key)
{
    return (1ULL << (key & 63)) | (1ULL << ((key >> 6) & 63));
}

static int
in_bloom(const Table *t, uint64_t key)
{
    uint64_t bits = bloom_bits(key);
    return (t->bloom[(key >> 40) & t->bloom_mask] & bits) == bits;
}

/* Whether a finished hash is in the table proper. */
static int
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

static void
table_add(Table *t, uint64_t h)
{
    uint64_t key = finish(h);
    uint32_t fp = fingerprint(key);
    t->bloom[(key >> 40) & t->bloom_mask] |= bloom_bits(key);
    for (uint64_t slot = key & t->mask;; slot = (slot + 1) & t->mask) {
        if (t->slots[slot] == fp)
            return; /* the same text twice, or a fingerprint collision: both fine */
        if (t->slots[slot] == 0) {
            t->slots[slot] = fp;
            t->count++;
            return;
        }
    }
}

/* Whether some text has this shape: only digits and dots or not, how many
 * dots, how long. The same cells are used when building and when looking up,
 * so a text equal to an indicator text always has a marked shape. */
static int
shape_held(const Table *t, int numeric, Py_ssize_t dots, Py_ssize_t len)
{
    if (dots > t->max_dots)
        return 0;
    return t->shape[numeric][dots < SHAPE_DOTS ? dots : SHAPE_DOTS][len < SHAPE_LEN ? len : SHAPE_LEN];
}

/* Look a text up by its hash, if its shape is held (one at a time: ``has``). */
static int
held(const Table *t, uint64_t h, int numeric, Py_ssize_t dots, Py_ssize_t len)
{
    uint64_t key = finish(h);
    return shape_held(t, numeric, dots, len) && in_bloom(t, key) && probe(t, key);
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

/* Record a line as flagged (once, as far as cheaply known). */
static void
flag_line(Scan *sc, Py_ssize_t start, Py_ssize_t index)
{
    if (index == sc->last || sc->failed)
        return;
    sc->last = index;
    PyObject *pair = Py_BuildValue("(nn)", start, index);
    if (pair == NULL || PyList_Append(sc->flagged, pair) < 0)
        sc->failed = 1;
    Py_XDECREF(pair);
}

static void
resolve(Scan *sc)
{
    const Table *t = sc->t;
    int passed = 0;
    for (int i = 0; i < sc->n; i++)
        __builtin_prefetch(&t->bloom[(sc->keys[i] >> 40) & t->bloom_mask]);
    for (int i = 0; i < sc->n; i++) {
        if (!in_bloom(t, sc->keys[i]))
            continue;
        sc->keys[passed] = sc->keys[i];
        sc->starts[passed] = sc->starts[i];
        sc->lines[passed] = sc->lines[i];
        __builtin_prefetch(&t->slots[sc->keys[passed] & t->mask]);
        passed++;
    }
    for (int i = 0; i < passed; i++) {
        if (probe(t, sc->keys[i]))
            flag_line(sc, sc->starts[i], sc->lines[i]);
    }
    sc->n = 0;
}

/* Queue a text (by its hash) for lookup, if its shape is held. */
static void
ask(Scan *sc, uint64_t h, int numeric, Py_ssize_t dots, Py_ssize_t len)
{
    if (!shape_held(sc->t, numeric, dots, len))
        return;
    sc->keys[sc->n] = finish(h);
    sc->starts[sc->n] = sc->start;
    sc->lines[sc->n] = sc->index;
    if (++sc->n == BATCH)
        resolve(sc);
}

static void
mark_shape(Table *t, const unsigned char *s, Py_ssize_t len)
{
    int numeric = 1;
    Py_ssize_t dots = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        dots += s[i] == '.';
        numeric &= s[i] == '.' || (s[i] >= '0' && s[i] <= '9');
    }
    if (dots > t->max_dots)
        t->max_dots = dots > INT32_MAX ? INT32_MAX : (int)dots;
    t->shape[numeric][dots < SHAPE_DOTS ? dots : SHAPE_DOTS][len < SHAPE_LEN ? len : SHAPE_LEN] = 1;
}

/* ---- judging one part --------------------------------------------------- */

/* Whether a part is a decimal dotted quad (tokens.ipv4_int); its value and
 * whether an octet is zero-padded ("010"), which changes its text. */
static int
parse_quad(const unsigned char *p, Py_ssize_t len, uint32_t *value, int *padded)
{
    uint32_t result = 0;
    int octets = 0;
    *padded = 0;
    Py_ssize_t i = 0;
    while (octets < 4) {
        Py_ssize_t start = i;
        unsigned number = 0;
        while (i < len && i - start < 4 && p[i] >= '0' && p[i] <= '9')
            number = number * 10 + (unsigned)(p[i++] - '0');
        Py_ssize_t digits = i - start;
        if (digits == 0 || digits > 3 || number > 255)
            return 0;
        if (digits > 1 && p[start] == '0')
            *padded = 1;
        result = (result << 8) | number;
        octets++;
        if (octets < 4) {
            if (i >= len || p[i] != '.')
                return 0;
            i++;
        }
    }
    if (i != len)
        return 0;
    *value = result;
    return 1;
}

static int
in_cidr(const Table *t, uint32_t address)
{
    Py_ssize_t lo = 0, hi = t->ncidr; /* first range with cidr_lo > address */
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (t->cidr_lo[mid] <= address)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && address <= t->cidr_hi[lo - 1];
}

static void
judge_quad(Scan *sc, const unsigned char *p, Py_ssize_t len, uint32_t value, int padded)
{
    ask(sc, hash_reversed(p, len), 1, 3, len);
    if (padded) {
        char canonical[16];
        int n = snprintf(canonical, sizeof canonical, "%u.%u.%u.%u", value >> 24,
                         (value >> 16) & 255, (value >> 8) & 255, value & 255);
        if (n > 0 && n < (int)sizeof canonical)
            ask(sc, hash_reversed((const unsigned char *)canonical, n), 1, 3, n);
    }
    if (sc->t->ncidr > 0 && in_cidr(sc->t, value))
        flag_line(sc, sc->start, sc->index);
}

/* Every [a-z0-9] run of a long part, as tokens.TokenMatcher reads hashes. */
static void
judge_pieces(Scan *sc, const unsigned char *p, Py_ssize_t len)
{
    Py_ssize_t i = 0;
    while (i < len) {
        while (i < len && !ALNUM[p[i]])
            i++;
        Py_ssize_t start = i;
        int numeric = 1;
        for (; i < len && ALNUM[p[i]]; i++)
            numeric &= p[i] <= '9';
        if (i > start)
            ask(sc, hash_reversed(p + start, i - start), numeric, 0, i - start);
    }
}

/* The part whole and after each '.', read right to left in one pass; stops
 * once the suffix has more dots than any indicator text. */
static void
judge_name(Scan *sc, const unsigned char *p, Py_ssize_t len)
{
    uint64_t h = FNV_OFFSET;
    int numeric = 1;
    Py_ssize_t dots = 0;
    for (Py_ssize_t i = len - 1; i >= 0; i--) {
        if (p[i] == '.') {
            ask(sc, h, numeric, dots, len - 1 - i);
            if (++dots > sc->t->max_dots)
                return;
        } else if (p[i] < '0' || p[i] > '9') {
            numeric = 0;
        }
        h = (h ^ LOWER[p[i]]) * FNV_PRIME;
    }
    ask(sc, h, numeric, dots, len);
}

static void
judge_part(Scan *sc, const unsigned char *p, Py_ssize_t len)
{
    while (len > 0 && EDGE[p[0]]) {
        p++;
        len--;
    }
    while (len > 0 && EDGE[p[len - 1]])
        len--;
    if (len == 0)
        return;
    uint32_t value;
    int padded;
    if (len <= 15 && p[0] <= '9' && parse_quad(p, len, &value, &padded)) {
        judge_quad(sc, p, len, value, padded);
        return;
    }
    if (len >= 32)
        judge_pieces(sc, p, len);
    judge_name(sc, p, len);
}

/* ---- judging a token and a line ----------------------------------------- */

/* A token with ':' or '@': maybe IPv6, else judged part by part. */
static int
judge_split(Scan *sc, const unsigned char *s, Py_ssize_t len)
{
    Py_ssize_t colons = 0;
    int double_colon = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        if (s[i] == ':') {
            colons++;
            double_colon |= i > 0 && s[i - 1] == ':';
        }
    }
    if (sc->t->has_v6 && colons >= 2 && (double_colon || colons >= 6))
        return SPECIAL; /* may be IPv6 in some textual form */
    Py_ssize_t start = 0;
    for (Py_ssize_t i = 0; i <= len; i++) {
        if (i == len || s[i] == ':' || s[i] == '@') {
            judge_part(sc, s + start, i - start);
            start = i + 1;
        }
    }
    return NOTHING;
}

/* Queue a token's lookups; SPECIAL when the table cannot judge it.
 * ``kinds`` is the OR of the TOKEN classes of the token's bytes. */
static int
judge_token(Scan *sc, const unsigned char *s, Py_ssize_t len, unsigned kinds)
{
    if (kinds & T_HIGH)
        return SPECIAL; /* an internationalised name: the Python path */
    if (kinds & T_SEP)
        return judge_split(sc, s, len);
    if (!(kinds & T_DOT)) {
        /* One dotless part (a word, a number, a hash): only its length can
         * rule it out without hashing, whether it is all digits or not. */
        while (len > 0 && EDGE[s[0]]) {
            s++;
            len--;
        }
        while (len > 0 && EDGE[s[len - 1]])
            len--;
        if (len == 0 || !(shape_held(sc->t, 0, 0, len) || shape_held(sc->t, 1, 0, len)))
            return NOTHING;
    }
    judge_part(sc, s, len);
    return NOTHING;
}

/* Queue a line's lookups (the verdicts come from ``resolve``); SPECIAL as
 * soon as a token the table cannot judge is seen. */
static int
judge_line(Scan *sc, const unsigned char *s, Py_ssize_t len)
{
    Py_ssize_t i = 0;
    while (i < len) {
        while (i < len && !TOKEN[s[i]])
            i++;
        Py_ssize_t start = i;
        unsigned kinds = 0;
        for (; i < len && TOKEN[s[i]]; i++)
            kinds |= TOKEN[s[i]];
        if (i > start && judge_token(sc, s + start, i - start, kinds) == SPECIAL)
            return SPECIAL;
    }
    return NOTHING;
}

/* ---- defanged text ------------------------------------------------------ */

/* Whether ``c`` at ``s[i]`` begins or ends one of prefilter.DEFANG_MARKS:
 * "[." "(." "{." "dot]" "dot)" "[@" "[at]" "[:" "[/" "xxp" "fxp". */
static int
mark_around(const unsigned char *s, Py_ssize_t len, Py_ssize_t i)
{
    unsigned char next = i + 1 < len ? LOWER[s[i + 1]] : 0;
    switch (s[i]) {
    case '[':
        return next == '.' || next == '@' || next == ':' || next == '/' ||
               (i + 3 < len && next == 'a' && LOWER[s[i + 2]] == 't' && s[i + 3] == ']');
    case '(':
    case '{':
        return next == '.';
    case ']':
    case ')':
        return i >= 3 && LOWER[s[i - 3]] == 'd' && LOWER[s[i - 2]] == 'o' &&
               LOWER[s[i - 1]] == 't';
    default:
        return 0;
    }
}

/* "xxp" or "fxp" around the 'x' at ``s[i]``. */
static int
x_mark(const unsigned char *s, Py_ssize_t len, Py_ssize_t i)
{
    unsigned char before = i > 0 ? LOWER[s[i - 1]] : 0;
    return i + 1 < len && LOWER[s[i + 1]] == 'p' && (before == 'x' || before == 'f');
}

/* Every mark holds one of a few rare bytes ("[({])", or the 'x' before
 * 'p'): find each with memchr (vectorised in the C library, far faster than
 * testing every byte here) and look around it. */
static int
has_mark(const unsigned char *s, Py_ssize_t len)
{
    static const char anchors[] = "[({])xX";
    for (const char *a = anchors; *a; a++) {
        const unsigned char *at = s, *end = s + len;
        while (at < end && (at = memchr(at, *a, (size_t)(end - at))) != NULL) {
            Py_ssize_t i = at - s;
            if (LOWER[*at] != 'x' ? mark_around(s, len, i) : x_mark(s, len, i))
                return 1;
            at++;
        }
    }
    return 0;
}

/* ---- the Python type ---------------------------------------------------- */

static int
fill_cidr(Table *t, PyObject *ranges)
{
    PyObject *seq = PySequence_Fast(ranges, "cidr ranges must be a sequence");
    if (seq == NULL)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    t->cidr_lo = PyMem_Calloc((size_t)n + 1, sizeof(uint32_t));
    t->cidr_hi = PyMem_Calloc((size_t)n + 1, sizeof(uint32_t));
    if (t->cidr_lo == NULL || t->cidr_hi == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned long lo, hi;
        PyObject *pair = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyArg_ParseTuple(pair, "kk", &lo, &hi) || lo > hi || hi > 0xffffffffUL ||
            (i > 0 && lo <= t->cidr_hi[i - 1])) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "cidr ranges must be sorted, disjoint IPv4");
            Py_DECREF(seq);
            return -1;
        }
        t->cidr_lo[i] = (uint32_t)lo;
        t->cidr_hi[i] = (uint32_t)hi;
    }
    t->ncidr = n;
    Py_DECREF(seq);
    return 0;
}

static int
fill_texts(Table *t, PyObject *texts)
{
    PyObject *seq = PySequence_Fast(texts, "texts must be a sequence of bytes");
    if (seq == NULL)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    uint64_t size = 16, words = 64;
    while (size < (uint64_t)n * 2 + 16) /* load factor at most one half */
        size <<= 1;
    while (words < (uint64_t)n / 16 && words < BLOOM_WORDS) /* ~4 bits a text, <= 512 KB */
        words <<= 1;
    t->slots = PyMem_Calloc((size_t)size, sizeof(uint32_t));
    t->bloom = PyMem_Calloc((size_t)words, sizeof(uint64_t));
    t->bloom_mask = words - 1;
    if (t->slots == NULL || t->bloom == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    t->mask = size - 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        char *data;
        Py_ssize_t len;
        if (PyBytes_AsStringAndSize(item, &data, &len) < 0) {
            Py_DECREF(seq);
            return -1;
        }
        table_add(t, hash_reversed((const unsigned char *)data, len));
        mark_shape(t, (const unsigned char *)data, len);
    }
    Py_DECREF(seq);
    return 0;
}

static int
Table_init(Table *self, PyObject *args, PyObject *kwds)
{
    static char *keywords[] = {"texts", "cidr4", "has_v6", NULL};
    PyObject *texts, *cidr;
    int has_v6 = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO|p", keywords, &texts, &cidr, &has_v6))
        return -1;
    if (self->slots != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Table is already built");
        return -1;
    }
    self->has_v6 = has_v6;
    if (fill_texts(self, texts) < 0 || fill_cidr(self, cidr) < 0)
        return -1;
    return 0;
}

static void
Table_dealloc(Table *self)
{
    PyMem_Free(self->slots);
    PyMem_Free(self->bloom);
    PyMem_Free(self->cidr_lo);
    PyMem_Free(self->cidr_hi);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int
ready(const Table *self)
{
    if (self->slots == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Table was not built");
        return 0;
    }
    return 1;
}

static PyObject *
Table_scan(Table *self, PyObject *arg)
{
    Py_buffer view;
    if (!ready(self) || PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    const unsigned char *s = view.buf;
    Py_ssize_t n = view.len, newlines = 0;
    Scan sc = {.t = self, .last = -1, .flagged = PyList_New(0)};
    PyObject *special = PyList_New(0);
    if (sc.flagged == NULL || special == NULL)
        goto fail;
    for (Py_ssize_t start = 0; start < n && !sc.failed; sc.index++) {
        const unsigned char *eol = memchr(s + start, '\n', (size_t)(n - start));
        Py_ssize_t end = eol == NULL ? n : eol - s;
        newlines += eol != NULL;
        sc.start = start;
        if (judge_line(&sc, s + start, end - start) == SPECIAL) {
            PyObject *pair = Py_BuildValue("(nn)", start, sc.index);
            if (pair == NULL || PyList_Append(special, pair) < 0)
                sc.failed = 1;
            Py_XDECREF(pair);
        }
        start = end + 1;
    }
    resolve(&sc);
    if (sc.failed)
        goto fail;
    PyBuffer_Release(&view);
    return Py_BuildValue("(NNn)", sc.flagged, special, newlines);
fail:
    Py_XDECREF(sc.flagged);
    Py_XDECREF(special);
    PyBuffer_Release(&view);
    return NULL;
}

static PyObject *
Table_defanged(Table *self, PyObject *arg)
{
    (void)self; /* the marks are the same for every table */
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    int found = has_mark(view.buf, view.len);
    PyBuffer_Release(&view);
    return PyBool_FromLong(found);
}

static PyObject *
Table_has(Table *self, PyObject *arg)
{
    char *data;
    Py_ssize_t len;
    if (!ready(self) || PyBytes_AsStringAndSize(arg, &data, &len) < 0)
        return NULL;
    const unsigned char *text = (const unsigned char *)data;
    uint64_t h = hash_reversed(text, len);
    Py_ssize_t dots = 0;
    int numeric = 1;
    for (Py_ssize_t i = 0; i < len; i++) {
        dots += text[i] == '.';
        numeric &= text[i] == '.' || (text[i] >= '0' && text[i] <= '9');
    }
    return PyBool_FromLong(held(self, h, numeric, dots, len));
}

static Py_ssize_t
Table_len(Table *self)
{
    return self->count;
}

static PyObject *
count_lines(PyObject *module, PyObject *arg)
{
    (void)module;
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    const unsigned char *s = view.buf, *end = s + view.len;
    Py_ssize_t count = 0;
    while (s < end && (s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
        count++;
        s++;
    }
    PyBuffer_Release(&view);
    return PyLong_FromSsize_t(count);
}

static PyMethodDef module_methods[] = {
    {"count_lines", count_lines, METH_O, "count_lines(data) -> int: the number of b'\\n' in data."},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef Table_methods[] = {
    {"scan", (PyCFunction)Table_scan, METH_O,
     "scan(piece) -> (flagged, special, newlines): (start, line index) of the lines of a\n"
     "piece that may hold a match, of those the table cannot judge (for the\n"
     "Python fast path), and the number of line ends in the piece."},
    {"defanged", (PyCFunction)Table_defanged, METH_O,
     "defanged(low) -> bool: whether the piece holds a defanged mark."},
    {"has", (PyCFunction)Table_has, METH_O, "has(text) -> bool: whether text's hash is held."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods Table_as_sequence = {.sq_length = (lenfunc)Table_len};

static PyTypeObject TableType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "openwarp.core.sweep._scan.Table",
    .tp_basicsize = sizeof(Table),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Table(texts, cidr4, has_v6=False): hashed indicator texts and IPv4 ranges.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Table_init,
    .tp_dealloc = (destructor)Table_dealloc,
    .tp_methods = Table_methods,
    .tp_as_sequence = &Table_as_sequence,
};

static struct PyModuleDef scan_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_scan",
    .m_doc = "Stage 1 of the sweep in C (ADR 0104).",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__scan(void)
{
    fill_classes();
    if (PyType_Ready(&TableType) < 0)
        return NULL;
    PyObject *module = PyModule_Create(&scan_module);
    if (module == NULL)
        return NULL;
    if (PyModule_AddIntConstant(module, "ABI", SCAN_ABI) < 0 ||
        PyModule_AddObjectRef(module, "Table", (PyObject *)&TableType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
