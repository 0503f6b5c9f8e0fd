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
from typing import Any

import msgspec

from ..dossier.compact import CompactDossier

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


def encode(header: object, compact: CompactDossier) -> tuple[bytes, bytes]:
    """The payload's two parts, to be written one after the other."""
    head = _ENCODER.encode(header)
    return len(head).to_bytes(_LENGTH, "big") + head, _ENCODER.encode(compact)


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
