"""XDR (RFC 4506) encoding and decoding driven by the type strings of the API definition.

A *layout* is a list of ``(name, type_string)`` pairs in wire order; values travel as a
list in the same order (``encode`` also accepts a dict keyed by name).

Type strings (the grammar shared with the API definition's wire layouts):

  int uint hyper uhyper bool double      plain XDR scalars
  char uchar short ushort                widened to 4 bytes each
  string                                 remote_nonnull_string (also spelled ``str``)
  string?                                remote_string: optional, None when absent
  uuid                                   opaque[16]; Python value: 16 bytes
  Dom Pool Vol Snap Chk Net              object handles (decode to DomRef, PoolRef, ...)
  T?                                     optional T (XDR pointer), None when absent
  TP<N>                                  typed parameters (remote_typed_param), at most N
  T<N>                                   variable array, at most N elements (``T<>``: no cap)
  T[N]                                   fixed array of exactly N elements
  char[N] char<N>                        C strings: str on the Python side, NUL-terminated
  opaque<N> opaque[N]                    raw bytes
  {a: T, b: U}                           anonymous struct (decodes to a dict), used by
                                         e.g. NODE_GET_CPU_STATS' {field: str, value: uhyper}
"""
import collections
import functools
import re
import struct
import uuid as _uuid

__all__ = [
    "XdrError", "encode", "decode", "encode_value", "decode_value", "codec",
    "DomRef", "PoolRef", "VolRef", "SnapRef", "ChkRef", "NetRef", "TypedParam",
    "typed_params_to_dict",
    "TP_INT", "TP_UINT", "TP_LLONG", "TP_ULLONG", "TP_DOUBLE", "TP_BOOLEAN", "TP_STRING",
]

# REMOTE_STRING_MAX: libvirt refuses longer remote_nonnull_strings.
STRING_MAX = 4194304
# Without an explicit cap (`T<>`), no array can be longer than a whole message anyway.
UNBOUNDED = 33554432


class XdrError(ValueError):
    """Raised for values that cannot be encoded and for malformed or truncated input."""


# ---- object handles -----------------------------------------------------------------

DomRef = collections.namedtuple("DomRef", "name uuid id")
PoolRef = collections.namedtuple("PoolRef", "name uuid")
VolRef = collections.namedtuple("VolRef", "pool name key")
SnapRef = collections.namedtuple("SnapRef", "name dom")
ChkRef = collections.namedtuple("ChkRef", "name dom")
NetRef = collections.namedtuple("NetRef", "name uuid")

# ---- typed parameters (virTypedParameterType) ------------------------------------------

TP_INT, TP_UINT, TP_LLONG, TP_ULLONG, TP_DOUBLE, TP_BOOLEAN, TP_STRING = range(1, 8)

TypedParam = collections.namedtuple("TypedParam", "field type value")


def typed_params_to_dict(params):
    """{field: value} as libvirt-python returns typed parameters."""
    return {p[0]: p[2] for p in params}


# ---- decoding input -----------------------------------------------------------------

class _Reader(object):
    """Cursor over the input; every read checks that enough bytes remain."""

    __slots__ = ("data", "pos")

    def __init__(self, data):
        self.data = memoryview(bytes(data))
        self.pos = 0

    def take(self, n):
        end = self.pos + n
        if end > len(self.data):
            raise XdrError("truncated input: need %d bytes at offset %d, only %d left"
                           % (n, self.pos, len(self.data) - self.pos))
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def unpack(self, st):
        return st.unpack(self.take(st.size))[0]


def _pad(n):
    return (4 - n % 4) % 4


# ---- codecs: one object per type string, with encode(out, value) / decode(reader) ------

class _Scalar(object):
    def __init__(self, name, fmt, lo, hi):
        self.name, self.st, self.lo, self.hi = name, struct.Struct(fmt), lo, hi

    def encode(self, out, value):
        # bool is accepted: libvirt's int fields double as booleans (autostart, active...)
        if not isinstance(value, int):
            raise XdrError("%s expects an int, got %r" % (self.name, value))
        if not self.lo <= value <= self.hi:
            raise XdrError("%s out of range: %r" % (self.name, value))
        out.append(self.st.pack(value))

    def decode(self, r):
        return r.unpack(self.st)


class _Bool(object):
    st = struct.Struct(">I")

    def encode(self, out, value):
        out.append(self.st.pack(1 if value else 0))

    def decode(self, r):
        v = r.unpack(self.st)
        if v > 1:
            raise XdrError("bool must be 0 or 1, got %d" % v)
        return v == 1


class _Double(object):
    st = struct.Struct(">d")

    def encode(self, out, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise XdrError("double expects a number, got %r" % (value,))
        out.append(self.st.pack(float(value)))

    def decode(self, r):
        return r.unpack(self.st)


_U32 = struct.Struct(">I")


def _encode_length(out, n, cap, what):
    if n > cap:
        raise XdrError("%s has %d elements, more than its maximum %d" % (what, n, cap))
    out.append(_U32.pack(n))


def _decode_length(r, cap, what):
    n = r.unpack(_U32)
    if n > cap:
        raise XdrError("%s announces %d elements, more than its maximum %d" % (what, n, cap))
    return n


def _to_utf8(value, what):
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise XdrError("%s expects a str, got %r" % (what, value))


def _from_utf8(raw):
    # surrogateescape: a daemon sending non-UTF-8 text must not make the whole reply unusable
    return bytes(raw).decode("utf-8", "surrogateescape")


class _String(object):
    def __init__(self, cap=STRING_MAX):
        self.cap = cap

    def encode(self, out, value):
        raw = _to_utf8(value, "string")
        if len(raw) > self.cap:
            raise XdrError("string of %d bytes exceeds its maximum %d" % (len(raw), self.cap))
        out.append(_U32.pack(len(raw)))
        out.append(raw + b"\0" * _pad(len(raw)))

    def decode(self, r):
        n = r.unpack(_U32)
        if n > self.cap:
            raise XdrError("string announces %d bytes, more than its maximum %d" % (n, self.cap))
        raw = r.take(n)
        r.take(_pad(n))
        return _from_utf8(raw)


class _Opaque(object):
    """opaque[N] (fixed=True) or opaque<N>."""

    def __init__(self, size, fixed):
        self.size, self.fixed = size, fixed

    def encode(self, out, value):
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise XdrError("opaque expects bytes, got %r" % (value,))
        raw = bytes(value)
        if self.fixed:
            if len(raw) != self.size:
                raise XdrError("opaque[%d] got %d bytes" % (self.size, len(raw)))
        else:
            _encode_length(out, len(raw), self.size, "opaque")
        out.append(raw + b"\0" * _pad(len(raw)))

    def decode(self, r):
        n = self.size if self.fixed else _decode_length(r, self.size, "opaque")
        raw = bytes(r.take(n))
        r.take(_pad(n))
        return raw


class _Uuid(_Opaque):
    """opaque[16]; also accepts a uuid.UUID or its text form when encoding."""

    def __init__(self):
        _Opaque.__init__(self, 16, True)

    def encode(self, out, value):
        if isinstance(value, _uuid.UUID):
            value = value.bytes
        elif isinstance(value, str):
            try:
                value = _uuid.UUID(value).bytes
            except ValueError:
                raise XdrError("not a UUID: %r" % (value,))
        _Opaque.encode(self, out, value)


class _CharString(object):
    """char[N] / char<N> as a C string: each byte widened to a 4-byte signed int.

    Fixed: N elements, NUL-padded (a str of up to N bytes). Variable: the bytes plus the
    terminating NUL, as libvirt sends them (NODE_GET_SECURITY_MODEL "none" -> 5 elements).
    Decodes to the text before the first NUL. bytes values are sent as they are.
    """

    def __init__(self, size, fixed, signed):
        self.size, self.fixed = size, fixed
        self.st = struct.Struct(">i" if signed else ">I")
        self.signed = signed

    def encode(self, out, value):
        raw = _to_utf8(value, "char array")
        if not self.fixed and isinstance(value, str):
            raw += b"\0"
        if self.fixed:
            if len(raw) > self.size:
                raise XdrError("char[%d] cannot hold %d bytes" % (self.size, len(raw)))
            raw = raw + b"\0" * (self.size - len(raw))
        else:
            _encode_length(out, len(raw), self.size, "char array")
        for b in raw:
            out.append(self.st.pack(b - 256 if self.signed and b > 127 else b))

    def decode(self, r):
        n = self.size if self.fixed else _decode_length(r, self.size, "char array")
        raw = bytes(r.unpack(self.st) & 0xFF for _ in range(n))
        return _from_utf8(raw.split(b"\0", 1)[0])


class _Optional(object):
    """XDR pointer: uint 0 (None) or 1 followed by the value."""

    def __init__(self, inner):
        self.inner = inner

    def encode(self, out, value):
        if value is None:
            out.append(_U32.pack(0))
        else:
            out.append(_U32.pack(1))
            self.inner.encode(out, value)

    def decode(self, r):
        flag = r.unpack(_U32)
        if flag == 0:
            return None
        if flag != 1:
            raise XdrError("optional presence flag must be 0 or 1, got %d" % flag)
        return self.inner.decode(r)


class _Array(object):
    def __init__(self, inner, size, fixed):
        self.inner, self.size, self.fixed = inner, size, fixed

    def encode(self, out, value):
        if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
            raise XdrError("array expects a list, got %r" % (value,))
        if self.fixed:
            if len(value) != self.size:
                raise XdrError("fixed array [%d] got %d elements" % (self.size, len(value)))
        else:
            _encode_length(out, len(value), self.size, "array")
        for i, item in enumerate(value):
            with _context("[%d]" % i):
                self.inner.encode(out, item)

    def decode(self, r):
        n = self.size if self.fixed else _decode_length(r, self.size, "array")
        result = []
        for i in range(n):
            with _context("[%d]" % i):
                result.append(self.inner.decode(r))
        return result


class _Struct(object):
    """Fields in order; decodes to `factory(*values)` (a namedtuple) or a dict."""

    def __init__(self, fields, factory=None):
        self.fields, self.factory = fields, factory

    def encode(self, out, value):
        for name, c in self.fields:
            with _context("." + name):
                c.encode(out, _field_of(value, name, self.fields))

    def decode(self, r):
        values = []
        for name, c in self.fields:
            with _context("." + name):
                values.append(c.decode(r))
        if self.factory is not None:
            return self.factory(*values)
        return dict(zip((n for n, _ in self.fields), values))


def _field_of(value, name, fields):
    if isinstance(value, dict):
        if name not in value:
            raise XdrError("missing field %r" % name)
        return value[name]
    if isinstance(value, (tuple, list)):
        if len(value) != len(fields):
            raise XdrError("expected %d fields, got %d" % (len(fields), len(value)))
        return value[[n for n, _ in fields].index(name)]
    try:
        return getattr(value, name)
    except AttributeError:
        raise XdrError("value %r has no field %r" % (value, name))


class _TypedParams(object):
    """remote_typed_param<N>: {field: string; union switch (int type) {...} value}."""

    def __init__(self, cap):
        self.cap = cap
        self.arms = {
            TP_INT: _INT, TP_UINT: _UINT, TP_LLONG: _HYPER, TP_ULLONG: _UHYPER,
            TP_DOUBLE: _DOUBLE, TP_BOOLEAN: _INT, TP_STRING: _STRING,
        }

    def encode(self, out, value):
        items = list(_typed_param_items(value))
        _encode_length(out, len(items), self.cap, "typed parameter list")
        for field, kind, v in items:
            with _context("[%r]" % field):
                arm = self.arms.get(kind)
                if arm is None:
                    raise XdrError("unknown typed parameter type %r" % (kind,))
                _STRING.encode(out, field)
                _INT.encode(out, kind)
                arm.encode(out, (1 if v else 0) if kind == TP_BOOLEAN else v)

    def decode(self, r):
        n = _decode_length(r, self.cap, "typed parameter list")
        result = []
        for i in range(n):
            with _context("[%d]" % i):
                field = _STRING.decode(r)
                kind = _INT.decode(r)
                arm = self.arms.get(kind)
                if arm is None:
                    raise XdrError("unknown typed parameter type %d for %r" % (kind, field))
                v = arm.decode(r)
                result.append(TypedParam(field, kind, bool(v) if kind == TP_BOOLEAN else v))
        return result


def _typed_param_items(value):
    """(field, type, value) triples from a list of triples or a dict.

    Dict values may be (type, value) pairs; bare values get a type from their Python
    type: bool BOOLEAN, int LLONG (ULLONG beyond 2**63-1), float DOUBLE, str STRING.
    Daemons check types per field, so pass explicit types when the field is not LLONG.
    """
    if not isinstance(value, dict):
        for item in value:
            if len(item) != 3:
                raise XdrError("typed parameter must be (field, type, value), got %r" % (item,))
            yield tuple(item)
        return
    for field, v in value.items():
        if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], int):
            yield field, v[0], v[1]
        elif isinstance(v, bool):
            yield field, TP_BOOLEAN, v
        elif isinstance(v, int):
            yield field, TP_LLONG if v < 2 ** 63 else TP_ULLONG, v
        elif isinstance(v, float):
            yield field, TP_DOUBLE, v
        elif isinstance(v, str):
            yield field, TP_STRING, v
        else:
            raise XdrError("cannot infer a typed parameter type for %r=%r" % (field, v))


# ---- error context: which field failed -------------------------------------------------

class _context(object):
    """Prefixes the path of the failing field to an XdrError raised inside the block."""

    __slots__ = ("part",)

    def __init__(self, part):
        self.part = part

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is XdrError or (exc_type is not None and issubclass(exc_type, XdrError)):
            path = getattr(exc, "path", "")
            exc.path = self.part + path
        elif exc_type is struct.error:
            raise XdrError("%s: %s" % (self.part, exc))
        return False


# ---- the type-string parser ---------------------------------------------------------

_INT = _Scalar("int", ">i", -2 ** 31, 2 ** 31 - 1)
_UINT = _Scalar("uint", ">I", 0, 2 ** 32 - 1)
_HYPER = _Scalar("hyper", ">q", -2 ** 63, 2 ** 63 - 1)
_UHYPER = _Scalar("uhyper", ">Q", 0, 2 ** 64 - 1)
_DOUBLE = _Double()
_STRING = _String()
_UUID = _Uuid()

_DOM = _Struct([("name", _STRING), ("uuid", _UUID), ("id", _INT)], DomRef)

_BASE = {
    "int": _INT,
    "uint": _UINT,
    "hyper": _HYPER,
    "uhyper": _UHYPER,
    "bool": _Bool(),
    "double": _DOUBLE,
    "char": _Scalar("char", ">i", -128, 127),
    "uchar": _Scalar("uchar", ">I", 0, 255),
    "short": _Scalar("short", ">i", -2 ** 15, 2 ** 15 - 1),
    "ushort": _Scalar("ushort", ">I", 0, 2 ** 16 - 1),
    "string": _STRING,
    "str": _STRING,
    "uuid": _UUID,
    "Dom": _DOM,
    "Pool": _Struct([("name", _STRING), ("uuid", _UUID)], PoolRef),
    "Vol": _Struct([("pool", _STRING), ("name", _STRING), ("key", _STRING)], VolRef),
    "Snap": _Struct([("name", _STRING), ("dom", _DOM)], SnapRef),
    "Chk": _Struct([("name", _STRING), ("dom", _DOM)], ChkRef),
    "Net": _Struct([("name", _STRING), ("uuid", _UUID)], NetRef),
}

_TOKEN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*|\d+|[{}:,?<>\[\]])")


def _tokenize(text):
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise XdrError("bad type string %r at %d" % (text, pos))
        tokens.append(m.group(1))
        pos = m.end()
    return tokens


class _Parser(object):
    def __init__(self, text):
        self.text, self.tokens, self.i = text, _tokenize(text), 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def next(self):
        tok = self.peek()
        if tok is None:
            raise XdrError("type string %r ends early" % self.text)
        self.i += 1
        return tok

    def expect(self, tok):
        got = self.next()
        if got != tok:
            raise XdrError("type string %r: expected %r, got %r" % (self.text, tok, got))

    def number(self):
        tok = self.next()
        if not tok.isdigit():
            raise XdrError("type string %r: expected a number, got %r" % (self.text, tok))
        return int(tok)

    def parse(self):
        c = self.type()
        if self.peek() is not None:
            raise XdrError("type string %r: unexpected %r" % (self.text, self.peek()))
        return c

    def type(self):
        tok = self.next()
        if tok == "{":
            return self.suffixes(self.struct(), None)
        if tok in ("TP", "opaque"):
            # these two only make sense with a size suffix
            open_ = self.next()
            if tok == "TP":
                if open_ != "<":
                    raise XdrError("type string %r: TP needs <N>" % self.text)
                cap = self.cap(">")
                return self.suffixes(_TypedParams(cap), None)
            if open_ not in ("<", "["):
                raise XdrError("type string %r: opaque needs <N> or [N]" % self.text)
            fixed = open_ == "["
            size = self.number() if fixed else self.cap(">")
            if fixed:
                self.expect("]")
            return self.suffixes(_Opaque(size, fixed), None)
        base = _BASE.get(tok)
        if base is None:
            raise XdrError("type string %r: unknown type %r" % (self.text, tok))
        return self.suffixes(base, tok)

    def cap(self, close):
        if self.peek() == close:
            self.next()
            return UNBOUNDED
        n = self.number()
        self.expect(close)
        return n

    def struct(self):
        fields = []
        while True:
            name = self.next()
            self.expect(":")
            fields.append((name, self.type()))
            tok = self.next()
            if tok == "}":
                return _Struct(fields)
            if tok != ",":
                raise XdrError("type string %r: expected ',' or '}', got %r" % (self.text, tok))

    def suffixes(self, c, base_name):
        while self.peek() in ("?", "<", "["):
            tok = self.next()
            if tok == "?":
                c = _Optional(c)
            else:
                fixed = tok == "["
                size = self.number() if fixed else self.cap(">")
                if fixed:
                    self.expect("]")
                if base_name in ("char", "uchar"):
                    c = _CharString(size, fixed, signed=(base_name == "char"))
                else:
                    c = _Array(c, size, fixed)
            base_name = None
        return c


@functools.lru_cache(maxsize=None)
def codec(type_string):
    """The codec for one type string (cached: layouts are reused for every call)."""
    return _Parser(type_string).parse()


# ---- public API -----------------------------------------------------------------------

def encode_value(type_string, value):
    out = []
    try:
        codec(type_string).encode(out, value)
    except XdrError as e:
        raise _with_path(e, "value")
    return b"".join(out)


def decode_value(type_string, data):
    return decode([("value", type_string)], data)[0]


def encode(layout, values):
    """Bytes of `values` (a list in layout order, or a dict by field name)."""
    layout = list(layout)
    if isinstance(values, dict):
        missing = [n for n, _ in layout if n not in values]
        if missing:
            raise XdrError("missing values for %s" % ", ".join(missing))
        values = [values[n] for n, _ in layout]
    else:
        values = list(values)
        if len(values) != len(layout):
            raise XdrError("layout has %d fields (%s), got %d values"
                           % (len(layout), ", ".join(n for n, _ in layout), len(values)))
    out = []
    for (name, type_string), value in zip(layout, values):
        try:
            codec(type_string).encode(out, value)
        except XdrError as e:
            raise _with_path(e, name)
        except struct.error as e:
            raise XdrError("%s: %s" % (name, e))
    return b"".join(out)


def decode(layout, data):
    """Values of `layout` read from `data`, which must be consumed exactly."""
    r = _Reader(data)
    result = []
    for name, type_string in layout:
        try:
            result.append(codec(type_string).decode(r))
        except XdrError as e:
            raise _with_path(e, name)
    if r.pos != len(r.data):
        raise XdrError("%d unexpected trailing bytes after the last field" % (len(r.data) - r.pos))
    return result


def _with_path(e, name):
    """A fresh XdrError whose message names the field (e.g. `domains[3].name`)."""
    path = name + getattr(e, "path", "")
    base = e.args[0] if e.args else "invalid value"
    err = XdrError("%s: %s" % (path, base))
    err.field = path
    return err

