/* Which indicator values are already in normal form (``loaders._canonical``).
 *
 * A million-line feed is mostly plain lower-case domains, dotted quads and
 * hashes; telling those apart here, one pass per value, spares the loader a
 * regular expression per line. The rules are exactly those of the loader's
 * ``_CANONICAL_RE`` for its domain, ip[:port] and hash alternatives (the
 * property test in tests/core/indicators holds the two to each other); anything
 * else, URLs included, is answered 0 and takes the loader's general path. */
#include "scan.h"

enum { K_OTHER, K_DOMAIN, K_IPV4, K_IP_PORT, K_MD5, K_SHA1, K_SHA256 };

static int
is_lower_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* One label of s[0:len]: 1-63 bytes of [a-z0-9_-], no '-' at either end; the
 * last label (the TLD) starts with a letter and has no '_'. */
static int
good_label(const unsigned char *s, Py_ssize_t len, int tld)
{
    if (len < 1 || len > 63 || s[0] == '-' || s[len - 1] == '-')
        return 0;
    if (tld && !(s[0] >= 'a' && s[0] <= 'z'))
        return 0;
    for (Py_ssize_t i = 0; i < len; i++)
        if (!(is_lower_alnum(s[i]) || s[i] == '-' || (s[i] == '_' && !tld)))
            return 0;
    return 1;
}

static int
is_domain(const unsigned char *s, Py_ssize_t n)
{
    if (n > 253)
        return 0;
    Py_ssize_t start = 0, labels = 0;
    for (;;) {
        Py_ssize_t end = start;
        while (end < n && s[end] != '.')
            end++;
        if (!good_label(s + start, end - start, end == n))
            return 0;
        labels++;
        if (end == n)
            return labels >= 2;
        start = end + 1;
    }
}

/* A decimal number of 1-`most` digits without a leading zero (0 itself is
 * fine) at s[*at]; its value, or -1. */
static long
number_at(const unsigned char *s, Py_ssize_t n, Py_ssize_t *at, int most)
{
    Py_ssize_t i = *at;
    long value = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && i - *at < most)
        value = value * 10 + (s[i++] - '0');
    if (i == *at || (s[*at] == '0' && i - *at > 1) || (i < n && s[i] >= '0' && s[i] <= '9'))
        return -1;
    *at = i;
    return value;
}

static int
ip_kind(const unsigned char *s, Py_ssize_t n)
{
    Py_ssize_t at = 0;
    for (int octet = 0; octet < 4; octet++) {
        if (octet > 0 && (at >= n || s[at++] != '.'))
            return K_OTHER;
        long value = number_at(s, n, &at, 3);
        if (value < 0 || value > 255)
            return K_OTHER;
    }
    if (at == n)
        return K_IPV4;
    if (s[at++] != ':' || at >= n || s[at] == '0')
        return K_OTHER;
    long port = number_at(s, n, &at, 5);
    return port > 0 && port < 65536 && at == n ? K_IP_PORT : K_OTHER;
}

static int
hash_kind(const unsigned char *s, Py_ssize_t n)
{
    if (n != 32 && n != 40 && n != 64)
        return K_OTHER;
    for (Py_ssize_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return K_OTHER;
    return n == 32 ? K_MD5 : n == 40 ? K_SHA1 : K_SHA256;
}

static int
kind_of(PyObject *item)
{
    if (!PyUnicode_Check(item) || !PyUnicode_IS_ASCII(item))
        return K_OTHER;
    const unsigned char *s = PyUnicode_1BYTE_DATA(item);
    Py_ssize_t n = PyUnicode_GET_LENGTH(item);
    if (n == 0)
        return K_OTHER;
    if (s[0] >= '0' && s[0] <= '9') {
        int kind = ip_kind(s, n);
        if (kind != K_OTHER)
            return kind;
    }
    int kind = hash_kind(s, n);
    return kind != K_OTHER ? kind : is_domain(s, n) ? K_DOMAIN : K_OTHER;
}

PyObject *
canonical_kinds(PyObject *module, PyObject *values)
{
    (void)module;
    PyObject *seq = PySequence_Fast(values, "values must be a sequence of str");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyBytes_FromStringAndSize(NULL, n);
    if (out != NULL) {
        char *codes = PyBytes_AS_STRING(out);
        for (Py_ssize_t i = 0; i < n; i++)
            codes[i] = (char)kind_of(PySequence_Fast_GET_ITEM(seq, i));
    }
    Py_DECREF(seq);
    return out;
}
