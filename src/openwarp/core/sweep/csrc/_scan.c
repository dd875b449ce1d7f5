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
 * bytes). The table is built once, before the sweep's workers fork, and only
 * read afterwards, so its pages stay shared copy-on-write.
 *
 * Files: scan.h (the Table, hashing, batched lookups), table.c (building a
 * Table), judge.c (cutting and judging lines), this file (the Python type).
 */
#include "scan.h"

/* ---- the Python type ---------------------------------------------------- */

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
    {"canonical_kinds", canonical_kinds, METH_O,
     "canonical_kinds(values) -> bytes: per str, 1 domain, 2 IPv4, 3 ip:port, 4 MD5,\n"
     "5 SHA-1, 6 SHA-256 when it is already in normal form, else 0 (kinds.c)."},
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
