/* Building a Table: byte classes, hashes of the texts, shapes, CIDR ranges. */
#include "scan.h"

unsigned char TOKEN[256];
unsigned char EDGE[256];
unsigned char ALNUM[256];
unsigned char LOWER[256];

void
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

/* Look a text up by its hash, if its shape is held (one at a time: ``has``). */
int
held(const Table *t, uint64_t h, int numeric, Py_ssize_t dots, Py_ssize_t len)
{
    uint64_t key = finish(h);
    return shape_held(t, numeric, dots, len) && in_bloom(t, key) && probe(t, key);
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

int
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

int
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
