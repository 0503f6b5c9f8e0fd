"""The dossier cache's payload as data only: msgpack through msgspec, never pickle.

msgspec decodes into the exact types of `CompactDossier` (tuples stay tuples,
integer columns come back as `array`s), and refuses anything of another shape,
so what comes out is either the compact dossier that was stored or an error.
It is only ever decoded after `model.store.sealed` has checked the file's MAC.
(The per-record values inside the compact form's heaps are `marshal` bytes,
decoded later when a record is first asked for: marshal is not safe on
crafted bytes, so it too only ever sees bytes under a verified MAC.)

The payload is the header (what the dossier was built from and by what code)
then the body, each its own msgpack document, so a header that no longer
matches is known without decoding the body.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import msgspec

from ..dossier.compact import Blobs, CompactDossier

_ARRAY = 1  # msgpack extension code of an array: its typecode, then its bytes
_TYPECODES = frozenset("bBhHiIlLqQfd")


def _enc_hook(obj: Any) -> Any:
    if isinstance(obj, array):
        return msgspec.msgpack.Ext(_ARRAY, obj.typecode.encode() + obj.tobytes())
    raise NotImplementedError(f"cannot store {type(obj).__name__}")


def _ext_hook(code: int, data: memoryview) -> Any:
    raw = bytes(data)  # msgspec 0.18.6 (our lowest) hands over a view whose len() is off
    if code != _ARRAY or not raw:
        raise ValueError(f"unknown extension {code}")
    typecode = chr(raw[0])
    if typecode not in _TYPECODES:
        raise ValueError(f"unknown typecode {typecode!r}")
    out = array(typecode)
    if (len(raw) - 1) % out.itemsize:
        raise ValueError("an array of partial items")
    out.frombytes(raw[1:])
    return out


def _dec_hook(kind: type, obj: Any) -> Any:
    if kind is array and isinstance(obj, array):
        return obj
    raise NotImplementedError(f"not a {kind.__name__}")


_ENCODER = msgspec.msgpack.Encoder(enc_hook=_enc_hook)
_BODY = msgspec.msgpack.Decoder(CompactDossier, ext_hook=_ext_hook, dec_hook=_dec_hook)
_HEADER = msgspec.msgpack.Decoder()
_LENGTH = 8


def encode(header: object, compact: CompactDossier) -> Iterator[bytes]:
    """The payload in parts, to be written one after the other: the header, then the body.

    The body's parts joined are exactly `msgspec` encoding the compact dossier whole
    (a test holds them equal), made one field at a time and the byte heaps passed on
    as they are, so a first open never holds the whole body's bytes (46 MB for the
    large benchmark dossier) beside the dossier: a cache write peaked at +46 MB.
    """
    head = _ENCODER.encode(header)
    yield len(head).to_bytes(_LENGTH, "big") + head
    yield from _fields_of(compact)


def _fields_of(value: CompactDossier | Blobs) -> Iterator[bytes]:
    """A dataclass as msgspec writes it (a map of its fields by name, in order), in parts."""
    names = [f.name for f in fields(value)]
    yield _map_header(len(names))
    for name in names:
        item = getattr(value, name)
        yield _ENCODER.encode(name)
        if isinstance(item, Blobs):
            yield from _fields_of(item)
        elif type(item) is bytes and len(item) > 0xFFFF:
            yield b"\xc6" + len(item).to_bytes(4, "big")  # msgpack bin 32, as msgspec writes it
            yield item  # the heap itself: no copy
        else:
            yield _ENCODER.encode(item)


def _map_header(count: int) -> bytes:
    if count < 16:
        return bytes([0x80 | count])  # msgpack fixmap
    return b"\xde" + count.to_bytes(2, "big")  # map 16 (the compact form has 13 fields)


def decode_header(payload: memoryview) -> tuple[Any, memoryview]:
    """The header, and the rest of the payload (the body, not yet decoded).

    ValueError for anything that is not a header (it never is, under a good MAC).
    """
    if len(payload) < _LENGTH:
        raise ValueError("no header")
    size = int.from_bytes(payload[:_LENGTH], "big")
    if size > len(payload) - _LENGTH:
        raise ValueError("header longer than the file")
    try:
        header = _HEADER.decode(payload[_LENGTH : _LENGTH + size])
    except msgspec.DecodeError as exc:
        raise ValueError(str(exc)) from None
    return header, payload[_LENGTH + size :]


def decode_body(body: memoryview) -> CompactDossier:
    try:
        return _BODY.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ValueError(str(exc)) from None
