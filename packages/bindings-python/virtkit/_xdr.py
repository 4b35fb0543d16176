"""XDR (RFC 4506) encoding and decoding driven by the wire tables of `_wire.py`.

A *layout* is a tuple of ``(name, descriptor)`` pairs in wire order, as `_wire.py` holds them
for every procedure and message; values travel as a list in the same order (``encode`` also
accepts a dict keyed by name). The descriptors (documented in `_wire.py`) are parsed from the API
definition by the generator: this module only interprets them, it has no grammar of its own.

Python values: ints for the integer types, ``bool`` for bool, str for strings and C char arrays,
16 bytes for ``uuid`` (a ``uuid.UUID`` or its text is accepted when encoding), bytes for
opaque, a namedtuple per object handle (`DomRef`, `PoolRef`, ...), None for an absent optional,
a list for arrays, a dict for an anonymous struct and a list of `TypedParam` for typed
parameters.
"""
import collections
import functools
import struct
import uuid as _uuid

from . import _wire

__all__ = [
    "XdrError", "encode", "decode", "encode_value", "decode_value", "codec",
    "DomRef", "PoolRef", "VolRef", "SnapRef", "ChkRef", "NetRef", "TypedParam",
    "typed_params_to_dict",
]

STRING_MAX = _wire.REMOTE_STRING_MAX
# Without an explicit cap, no array can be longer than a whole message anyway.
UNBOUNDED = _wire.VIR_NET_MESSAGE_MAX


class XdrError(ValueError):
    """Raised for values that cannot be encoded and for malformed or truncated input."""

    path = ""    # where inside the failing value, e.g. "[3].name", while the error propagates
    field = ""   # the whole field path, once the layout's field is known


# ---- object handles: one namedtuple per handle of the wire tables (DomRef, PoolRef, ...) ------

HANDLE_TUPLES = {
    name: collections.namedtuple(name + "Ref", [field for field, _ in layout])
    for name, (_xdr_name, layout) in _wire.HANDLES.items()
}
DomRef = HANDLE_TUPLES["Dom"]
PoolRef = HANDLE_TUPLES["Pool"]
VolRef = HANDLE_TUPLES["Vol"]
SnapRef = HANDLE_TUPLES["Snap"]
ChkRef = HANDLE_TUPLES["Chk"]
NetRef = HANDLE_TUPLES["Net"]

# ---- typed parameters ----------------------------------------------------------------------

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
                raise XdrError("not a UUID: %r" % (value,)) from None
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
        raise XdrError("value %r has no field %r" % (value, name)) from None


class _TypedParams(object):
    """remote_typed_param<N>: {field: string; union switch (int type) {...} value}."""

    def __init__(self, cap):
        self.cap = cap
        self.arms = {kind: codec(wire) for kind, wire in _wire.TYPED_PARAM_ARMS.items()}

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
                arm.encode(out, v)

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
                result.append(TypedParam(field, kind, arm.decode(r)))
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
            yield field, _wire.VIR_TYPED_PARAM_BOOLEAN, v
        elif isinstance(v, int):
            yield field, _wire.VIR_TYPED_PARAM_LLONG if v < 2 ** 63 else _wire.VIR_TYPED_PARAM_ULLONG, v
        elif isinstance(v, float):
            yield field, _wire.VIR_TYPED_PARAM_DOUBLE, v
        elif isinstance(v, str):
            yield field, _wire.VIR_TYPED_PARAM_STRING, v
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
            exc.path = self.part + exc.path
        elif exc_type is struct.error:
            raise XdrError("%s: %s" % (self.part, exc))
        return False


# ---- the interpreter of the wire tables' descriptors ----------------------------------------

_INT = _Scalar("int", ">i", -2 ** 31, 2 ** 31 - 1)
_UINT = _Scalar("uint", ">I", 0, 2 ** 32 - 1)
_HYPER = _Scalar("hyper", ">q", -2 ** 63, 2 ** 63 - 1)
_UHYPER = _Scalar("uhyper", ">Q", 0, 2 ** 64 - 1)
_DOUBLE = _Double()
_STRING = _String()
_UUID = _Uuid()

_SCALARS = {
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
    "uuid": _UUID,
}

# descriptor tag -> codec built from the descriptor's remaining items
_COMPOUND = {
    "optional": lambda inner: _Optional(codec(inner)),
    "array": lambda inner, cap: _Array(codec(inner), UNBOUNDED if cap is None else cap, False),
    "fixed": lambda inner, n: _Array(codec(inner), n, True),
    "typed_params": lambda cap: _TypedParams(cap),
    "opaque": lambda cap: _Opaque(UNBOUNDED if cap is None else cap, False),
    "fixed_opaque": lambda n: _Opaque(n, True),
    "chars": lambda cap, signed: _CharString(UNBOUNDED if cap is None else cap, False, signed),
    "fixed_chars": lambda n, signed: _CharString(n, True, signed),
    "struct": lambda fields: _Struct([(name, codec(d)) for name, d in fields]),
}


@functools.lru_cache(maxsize=None)
def codec(descriptor):
    """The codec for one descriptor of the wire tables (cached: layouts are reused for every call)."""
    if isinstance(descriptor, str):
        scalar = _SCALARS.get(descriptor)
        if scalar is not None:
            return scalar
        handle = _wire.HANDLES.get(descriptor)
        if handle is None:
            raise XdrError("unknown wire type %r" % (descriptor,))
        return _Struct([(name, codec(d)) for name, d in handle[1]], HANDLE_TUPLES[descriptor])
    build = _COMPOUND.get(descriptor[0]) if isinstance(descriptor, tuple) and descriptor else None
    if build is None:
        raise XdrError("unknown wire type %r" % (descriptor,))
    return build(*descriptor[1:])


# ---- public API -----------------------------------------------------------------------

def encode_value(descriptor, value):
    out = []
    try:
        codec(descriptor).encode(out, value)
    except XdrError as e:
        raise _with_path(e, "value") from None
    return b"".join(out)


def decode_value(descriptor, data):
    return decode([("value", descriptor)], data)[0]


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
    for (name, descriptor), value in zip(layout, values):
        try:
            codec(descriptor).encode(out, value)
        except XdrError as e:
            raise _with_path(e, name) from None
        except struct.error as e:
            raise XdrError("%s: %s" % (name, e)) from None
    return b"".join(out)


def decode(layout, data):
    """Values of `layout` read from `data`, which must be consumed exactly."""
    r = _Reader(data)
    result = []
    for name, descriptor in layout:
        try:
            result.append(codec(descriptor).decode(r))
        except XdrError as e:
            raise _with_path(e, name) from None
    if r.pos != len(r.data):
        raise XdrError("%d unexpected trailing bytes after the last field" % (len(r.data) - r.pos))
    return result


def _with_path(e, name):
    """A fresh XdrError whose message names the field (e.g. `domains[3].name`)."""
    path = name + e.path
    base = e.args[0] if e.args else "invalid value"
    err = XdrError("%s: %s" % (path, base))
    err.field = path
    return err

