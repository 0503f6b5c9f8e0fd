"""A fast reader for the plain YAML that dossier files are written in, or a clear "not this one".

libyaml's event stream costs 6-8 s for a 37 MB dossier before a single node is
built, and folding its events into nodes costs as much again. Dossier files
use a small, regular part of YAML: block mappings and sequences, one entry per
line, values that are plain, quoted or single-line flow collections, and
folded or literal block scalars (`summary: >-`, `note: |`) with a plain header. This
module reads exactly that part, line by line, into the same nodes (with the
same positions) as `yamlsafe.read_yaml_events` would build.

It never reports a problem: anything outside that part, anything doubtful and
anything wrong (a duplicate key, a tab, an anchor, an unclosed quote, a null
value, deep nesting...) raises `Unsupported`, and the caller reads the file
again through libyaml, which gives the exact refusal or error message with its
position. So this path only has to be right about what it accepts; the tests
compare both readers on generated documents and on every dossier we have.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import chain

from .nodes import Map, Node, Scalar, Seq


class Unsupported(Exception):
    """The text is outside the subset read here: use the full reader."""


# Deep enough for every dossier file (they nest 6 levels); the full reader owns the limit.
MAX_FAST_DEPTH = 12

# One line: indentation, an optional "- ", an optional simple "key:", then the rest.
_LINES = re.compile(
    r"^( *)(- +|-$)?(?:([A-Za-z0-9_][A-Za-z0-9_.-]*)(: +|:$))?(.*)$", re.MULTILINE
).findall

# What may follow a value on its line: nothing, spaces, or spaces and a comment.
_TAIL_OK = re.compile(r"(?: +(?:#.*)?)?").fullmatch

# Quoted scalars that stay on one line.
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"').match
_SINGLE = re.compile(r"'((?:[^']|'')*)'").match

# A plain scalar in a flow collection: words separated by single spaces, no indicators.
_FLOW_PLAIN = re.compile(
    r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^\s,\[\]{}#:]| (?=[^\s,\[\]{}#:]))*"
).match
_SIMPLE_FLOW = re.compile(
    r"\[([A-Za-z0-9_][A-Za-z0-9_.-]*(?:, [A-Za-z0-9_][A-Za-z0-9_.-]*)*)\]"
).fullmatch
_FLOW_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.-]*): +").match
_SPACES = re.compile(r" *").match

# First characters a block plain scalar may not start with (they mean something else).
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")

_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_HEX = re.compile(r"[0-9A-Fa-f]+").fullmatch


def _unescape(inner: str) -> str:
    """The value of a double-quoted scalar's inside, for the escapes libyaml knows."""
    out: list[str] = []
    index = 0
    while True:
        slash = inner.find("\\", index)
        if slash == -1:
            out.append(inner[index:])
            return "".join(out)
        out.append(inner[index:slash])
        code = inner[slash + 1]
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            index = slash + 2
            continue
        width = _HEX_ESCAPES.get(code)
        digits = inner[slash + 2 : slash + 2 + width] if width else ""
        if not width or len(digits) != width or not _HEX(digits):
            raise Unsupported("escape")
        value = int(digits, 16)
        if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
            raise Unsupported("escape")
        out.append(chr(value))
        index = slash + 2 + width


def _quoted(rest: str, line: int, col: int) -> tuple[Scalar, int]:
    """A quoted scalar at the start of `rest`; returns it and where it ends in `rest`."""
    if rest[0] == '"':
        end = rest.find('"', 1)
        if end == -1:
            raise Unsupported("multi-line quote")
        inner = rest[1:end]
        if "\\" in inner:
            match = _DOUBLE(rest)
            if match is None:
                raise Unsupported("multi-line quote")
            return Scalar(line, col, _unescape(match.group(1)), False), match.end()
        return Scalar(line, col, inner, False), end + 1
    match = _SINGLE(rest)
    if match is None:
        raise Unsupported("multi-line quote")
    return Scalar(line, col, match.group(1).replace("''", "'"), False), match.end()


def _flow(rest: str, line: int, col: int, depth: int) -> tuple[Node, int]:
    """A flow sequence or mapping that closes on its line; returns it and where it ends."""
    if depth >= MAX_FAST_DEPTH:
        raise Unsupported("deep")
    is_map = rest[0] == "{"
    close = "}" if is_map else "]"
    node: Map | Seq = Map(line, col) if is_map else Seq(line, col)
    index = _SPACES(rest, 1).end()
    if index < len(rest) and rest[index] == close:
        return node, index + 1
    while True:
        key: Scalar | None = None
        if is_map:
            match = _FLOW_KEY(rest, index)
            if match is None:
                raise Unsupported("flow key")
            key = Scalar(line, col + index, match.group(1), True)
            index = match.end()
        if index >= len(rest):
            raise Unsupported("multi-line flow")
        first = rest[index]
        if first == '"' or first == "'":
            item, used = _quoted(rest[index:], line, col + index)
            index += used
        elif first == "[" or first == "{":
            item, used = _flow(rest[index:], line, col + index, depth + 1)
            index += used
        else:
            match = _FLOW_PLAIN(rest, index)
            if match is None:
                raise Unsupported("flow item")
            item = Scalar(line, col + index, match.group(), True)
            index = match.end()
        if key is not None:
            items = node.items  # type: ignore[union-attr]
            if key.value in items:
                raise Unsupported("duplicate key")
            items[key.value] = (key, item)
        else:
            node.items.append(item)  # type: ignore[union-attr, arg-type]
        index = _SPACES(rest, index).end()
        if index >= len(rest):
            raise Unsupported("multi-line flow")
        if rest[index] == close:
            return node, index + 1
        if rest[index] != ",":
            raise Unsupported("flow separator")
        index = _SPACES(rest, index + 1).end()


def _value(rest: str, line: int, col: int, depth: int) -> Node:
    """The node a line's value stands for; `rest` is non-empty and not a comment."""
    first = rest[0]
    if (
        first not in _NOT_PLAIN_START
        and rest[-1] != " "
        and rest[-1] != ":"
        and ": " not in rest
        and " #" not in rest
    ):
        return Scalar(line, col, rest, True)  # the usual plain scalar, checked as below
    if first == '"' or first == "'":
        node, end = _quoted(rest, line, col)
    elif first == "[" or first == "{":
        node, end = _flow(rest, line, col, depth)
    else:
        if first in _NOT_PLAIN_START:
            raise Unsupported("indicator")
        cut = rest.find(" #")
        value = (rest if cut == -1 else rest[:cut]).rstrip(" ")
        if ": " in value or value[-1] == ":":
            raise Unsupported("colon in plain scalar")
        return Scalar(line, col, value, True)
    if end < len(rest) and not _TAIL_OK(rest, end):
        raise Unsupported("text after a value")
    return node


def _simple_flow(rest: str, line: int, col: int) -> Seq | None:
    """`[a, b-c, d.e]`, the way ids are listed, without the general flow reader's loop."""
    match = _SIMPLE_FLOW(rest)
    if match is None:
        return None
    seq = Seq(line, col)
    items = seq.items
    at = col + 1
    for word in match.group(1).split(", "):
        items.append(Scalar(line, at, word, True))
        at += len(word) + 2
    return seq


# Block scalar headers read here: style and chomping, no indentation digit, no comment.
_BLOCK_HEADERS = frozenset(("|", "|-", "|+", ">", ">-", ">+"))

Line = tuple[str, str, str, str, str]


def _block_scalar(
    header: str, lines: Iterator[Line], parent_col: int, line: int, col: int
) -> tuple[Scalar, int, Line | None]:
    """A folded or literal block scalar whose header (`>-`, `|` ...) ends line `line`.

    Its lines are taken from `lines` (the reader's own iterator); returns the
    scalar, how many lines it took, and the line that ended it (to be read
    next) or None at the end of the text. `parent_col` is the 0-based column of
    the collection the scalar is a value in: its text must be indented past it.
    Follows libyaml's scanner (`yaml_parser_scan_block_scalar`) line for line:
    a break between two lines that do not start with a space folds to a space
    (`>`), each empty line is a newline, and the chomping indicator keeps the
    final break (clip), drops it (`-`) or keeps the trailing empty lines (`+`).
    Leading empty lines, an empty scalar and anything else unusual: Unsupported.
    """
    header = header.rstrip(" ")
    if header not in _BLOCK_HEADERS:
        raise Unsupported("block scalar header")
    folded = header[0] == ">"
    chomp = header[1:]
    try:
        raw = "".join(next(lines))
    except StopIteration:
        raise Unsupported("empty block scalar") from None
    indent = len(raw) - len(raw.lstrip(" "))
    if indent == len(raw) or indent <= parent_col:
        raise Unsupported("empty block scalar or leading empty line")
    out: list[str] = []
    used = 1
    leading_break = ""  # the previous text line's own break
    trailing = 0  # empty lines since the previous text line
    leading_blank = False  # the previous text line started with a space (more indented)
    ended: Line | None = None
    while True:
        text = raw[indent:]
        trailing_blank = text[:1] == " "
        if folded and leading_break and not leading_blank and not trailing_blank:
            if not trailing:
                out.append(" ")
        else:
            out.append(leading_break)
        if trailing:
            out.append("\n" * trailing)
            trailing = 0
        leading_blank = trailing_blank
        out.append(text)
        leading_break = "\n"
        empty_last = False  # the line just taken was an empty one
        raw = ""
        for parts in lines:
            raw = "".join(parts)
            spaces = len(raw) - len(raw.lstrip(" "))
            if spaces == len(raw) and spaces <= indent:
                trailing += 1  # an empty line: its break counts if a line follows it
                used += 1
                empty_last = True
                raw = ""
                continue
            if spaces < indent:
                ended = parts
            break
        else:  # the end of the text: the last line taken has no break after it
            if empty_last:
                trailing -= 1
            else:
                leading_break = ""
            break
        if ended is not None:
            break
        used += 1
        empty_last = False
    if chomp == "":
        out.append(leading_break)
    elif chomp == "+":
        out.append(leading_break)
        out.append("\n" * trailing)
    return Scalar(line, col, "".join(out), False), used, ended


# Lines are split this many characters at a time: the regex runs in C either way, but the
# split lines of a whole 30 MB file (a tuple of five strings each) would take ~300 MB at once.
CHUNK_CHARS = 1 << 20


def _split_lines(text: str) -> Iterator[Line]:
    """`_LINES(text)`, one chunk of whole lines at a time, so only a chunk's parts are alive."""
    size = len(text)
    if size <= CHUNK_CHARS:
        return iter(_LINES(text))

    def pieces() -> Iterator[str]:
        start = 0
        while size - start > CHUNK_CHARS:
            cut = text.find("\n", start + CHUNK_CHARS)
            if cut == -1:
                break
            yield text[start:cut]  # its line break is the one between two chunks
            start = cut + 1
        yield text[start:]

    return chain.from_iterable(map(_LINES, pieces()))


class Pieces:
    """A large text as pieces of whole lines, each let go as soon as it is read.

    `read_subset` given Pieces never holds the whole text: the first open's peak falls at
    the end of the largest file, its text and all its records alive at once (31 MB of
    text for the large benchmark dossier). The pieces are used up by one read; a caller
    that gets Unsupported must read the file again. `release`, if given, is called after
    each piece (model.read.release: freed pieces sit in glibc's heap until trimmed).

    The pieces are kept as UTF-8 and each decoded when read: while they are cut, the
    whole text is alive beside them, and a text with one character past Latin-1 (a
    curly quote) takes two or four bytes a character as a str. The large benchmark
    dossier's events file (31 MB, 57 MB as a str) peaked at +59 MB here, the first
    open's high-water mark; as UTF-8 the pieces take 31 MB (decoding them all again
    costs ~0.05 s). "surrogatepass" both ways: any str comes back exactly.
    """

    def __init__(
        self, text: str, size: int = CHUNK_CHARS, release: Callable[[], None] | None = None
    ) -> None:
        parts: list[bytes] = []
        start = 0
        while len(text) - start > size:
            cut = text.find("\n", start + size)
            if cut == -1:
                break
            # its line break is the one between two pieces
            parts.append(text[start:cut].encode("utf-8", "surrogatepass"))
            start = cut + 1
        parts.append(text[start:].encode("utf-8", "surrogatepass"))
        parts.reverse()
        self._parts = parts
        self._release = release
        self.lines = 0  # lines in the pieces handed out so far

    def drain(self) -> Iterator[str]:
        """Each piece in order, checked for what the reader refuses, then forgotten here."""
        parts = self._parts
        release = self._release
        while parts:
            part = parts.pop().decode("utf-8", "surrogatepass")
            if _ODD_BREAKS(part):
                raise Unsupported("tab or unusual line break")
            self.lines += part.count("\n") + 1
            yield part
            del part
            if release is not None:
                release()


_ODD_BREAKS = re.compile("[\t\r\x85\u2028\u2029]").search


def read_subset(text: str | Pieces, on_item: Callable[[Node], object] | None = None) -> Node | None:
    """The tree of `text` if it is in the subset read here; raise Unsupported otherwise.

    One loop over the lines, with the commonest line ("key: value" in the
    mapping the previous line was in) handled first in as few steps as
    possible: the loop is most of the cost of reading a large dossier.

    With `on_item`, when the document is a sequence, each of its entries is
    handed to `on_item` as soon as the next one starts (the last at the end) and
    is not kept in the returned (then empty) sequence: a caller that builds a
    record per entry never holds a whole large file's tree. Unsupported may
    still be raised after some entries were handed over; the caller undoes them.
    `text` may be given as Pieces, each piece let go once read.
    """
    if isinstance(text, Pieces):
        base = chain.from_iterable(map(_LINES, text.drain()))
    else:
        if "\t" in text or "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
            raise Unsupported("tab or unusual line break")
        base = _split_lines(text)
    root: Node | None = None
    # Open block containers, innermost last, with the 0-based column of their entries;
    # `top` and `top_col` are the innermost one, kept in locals because every line asks,
    # and `items` is top's dict when top is a mapping that takes a "key: value" line.
    nodes: list[Map | Seq] = []
    cols: list[int] = []
    top: Map | Seq | None = None
    top_col = -1
    items: dict[str, tuple[Scalar, Node]] | None = None
    # A "key:" or "-" whose value is the block that the next lines open.
    pending_map: Map | None = None
    pending_key: Scalar | None = None
    pending_seq: Seq | None = None
    pending_col = -1
    not_plain_start = _NOT_PLAIN_START
    number = 0
    # A block scalar takes its lines from `lines` itself; the line that ends it is put back
    # in front (`chain`) and the loop started again on that: no cost to the other lines.
    lines: Iterator[Line] = base
    while True:
        for spaces, dash, key, sep, rest in lines:
            number += 1
            if key and not dash and items is not None and len(spaces) == top_col and rest:
                # "key: value" in the current mapping.
                first = rest[0]
                col = top_col + len(key) + len(sep) + 1
                if first == '"' and rest.find('"', 1) == len(rest) - 1 and "\\" not in rest:
                    value: Node | None = Scalar(number, col, rest[1:-1], False)
                elif (
                    first not in not_plain_start
                    and rest[-1] != " "
                    and rest[-1] != ":"
                    and ": " not in rest
                    and " #" not in rest
                ):
                    value = Scalar(number, col, rest, True)
                elif first == "[":
                    value = _simple_flow(rest, number, col) or _value(rest, number, col, len(nodes))
                elif first == "#":
                    value = None  # "key:  # comment": the general path below
                elif first == ">" or first == "|":
                    if key in items:
                        raise Unsupported("duplicate key")
                    value, used, after = _block_scalar(rest, lines, top_col, number, col)
                    items[key] = (Scalar(number, top_col + 1, key, True), value)
                    number += used
                    if after is not None:
                        lines = chain((after,), base)  # read the line that ended it next
                        break
                    continue
                else:
                    value = _value(rest, number, col, len(nodes))
                if value is not None:
                    if key in items:
                        raise Unsupported("duplicate key")
                    items[key] = (Scalar(number, top_col + 1, key, True), value)
                    continue
            if not key and not dash:
                if not rest or rest[0] == "#":
                    continue  # blank line or comment
                raise Unsupported("bare scalar line")
            indent = len(spaces)
            if pending_col >= 0:
                # The previous line's value is the block this line opens.
                if indent <= pending_col:
                    raise Unsupported("empty value")
                if len(nodes) >= MAX_FAST_DEPTH:
                    raise Unsupported("deep")
                top = Seq(number, indent + 1) if dash else Map(number, indent + 1)
                if pending_key is not None:
                    pending_map.items[pending_key.value] = (pending_key, top)  # type: ignore[union-attr]
                else:
                    pending_seq.items.append(top)  # type: ignore[union-attr]
                nodes.append(top)
                cols.append(indent)
                top_col = indent
                pending_col = -1
                pending_map = pending_key = pending_seq = None
            elif indent != top_col:
                if root is None:
                    root = top = Seq(number, indent + 1) if dash else Map(number, indent + 1)
                    nodes.append(top)
                    cols.append(indent)
                    top_col = indent
                else:
                    while cols and cols[-1] > indent:
                        cols.pop()
                        nodes.pop()
                    if not cols or cols[-1] != indent:
                        raise Unsupported("indentation")
                    top, top_col = nodes[-1], indent
            if rest and rest[0] == "#":
                rest = ""
            if dash:
                if type(top) is not Seq:
                    raise Unsupported("dash in a mapping")
                if on_item is not None and top is root and top.items:
                    on_item(top.items.pop())  # a new entry of the document: the last one is done
                if not key:
                    items = None
                    if not rest:
                        pending_seq, pending_col = top, indent
                    else:
                        col = indent + len(dash) + 1
                        if rest[0] == ">" or rest[0] == "|":
                            value, used, after = _block_scalar(rest, lines, indent, number, col)
                            top.items.append(value)
                            number += used
                            if after is not None:
                                lines = chain((after,), base)
                                break
                        else:
                            top.items.append(_value(rest, number, col, len(nodes)))
                    continue
                # "- key: value": the item is a mapping whose keys sit after the dash.
                if len(nodes) >= MAX_FAST_DEPTH:
                    raise Unsupported("deep")
                top_col = indent + len(dash)
                compact = Map(number, top_col + 1)
                top.items.append(compact)
                nodes.append(compact)
                cols.append(top_col)
                top = compact
            elif type(top) is not Map:
                raise Unsupported("key in a sequence")
            items = top.items
            if key in items:
                raise Unsupported("duplicate key")
            key_node = Scalar(number, top_col + 1, key, True)
            if not rest:
                pending_map, pending_key, pending_col = top, key_node, top_col  # type: ignore[assignment]
                items = None
                continue
            col = top_col + len(key) + len(sep) + 1
            if rest[0] == ">" or rest[0] == "|":
                value, used, after = _block_scalar(rest, lines, top_col, number, col)
                items[key] = (key_node, value)
                number += used
                if after is not None:
                    lines = chain((after,), base)
                    break
                continue
            items[key] = (key_node, _value(rest, number, col, len(nodes)))
        else:
            break
    if pending_col >= 0:
        raise Unsupported("empty value at the end")
    expected = text.lines if isinstance(text, Pieces) else text.count("\n") + 1
    if number != expected:  # pragma: no cover - one match per line, always
        raise Unsupported("line split")
    if on_item is not None and type(root) is Seq and root.items:
        on_item(root.items.pop())
    return root
