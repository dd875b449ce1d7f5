/* Cutting a piece into lines, tokens and parts, and judging them (ADR 0104). */
#include "scan.h"

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

void
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
         * rule it out without hashing, whether it is all digits or not --
         * unless it is long enough to hold a hash among other characters
         * ("<md5>%", "x_<sha1>"), whose runs judge_pieces reads. */
        while (len > 0 && EDGE[s[0]]) {
            s++;
            len--;
        }
        while (len > 0 && EDGE[s[len - 1]])
            len--;
        if (len == 0)
            return NOTHING;
        if (len < 32 && !(shape_held(sc->t, 0, 0, len) || shape_held(sc->t, 1, 0, len)))
            return NOTHING;
    }
    judge_part(sc, s, len);
    return NOTHING;
}

/* Queue a line's lookups (the verdicts come from ``resolve``); SPECIAL as
 * soon as a token the table cannot judge is seen. */
int
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
int
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
