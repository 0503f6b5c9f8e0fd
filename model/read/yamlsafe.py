"""A strict YAML reader: plain data only, every value a string, every node with its position.

PyYAML's composers and constructors are never used. Events from the parser
(libyaml's when present) are folded into a small tree here, iteratively, so:
anchors/aliases are refused before anything could expand them, tags such as
`!!python/object` are refused before anything could construct them, nesting
is capped before anything recursive sees it (PyYAML's C composer crashes near
depth 25,000), and scalars keep the text the user wrote (`no` stays "no").
"""

from __future__ import annotations

import re

import yaml

from .nodes import Map, Node, Scalar, Seq
from .problems import Problem

try:
    from yaml import CSafeLoader as _EventLoader

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader  # type: ignore[assignment]

    HAVE_LIBYAML = False

MAX_DEPTH = 16
_NOT_PRINTABLE = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ufeff]")


class YamlProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text of a file, or a Problem naming the line and column of the first bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a leading byte-order mark is allowed by YAML; drop it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblems(
            [
                Problem(
                    path,
                    line,
                    col,
                    f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded",
                    "save the file as UTF-8",
                )
            ]
        ) from None
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        index, code = bad.start(), ord(bad.group())
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        what = {0: "NUL byte", 0x1B: "raw ESC character", 0xFEFF: "byte-order mark"}.get(
            code, f"control character U+{code:04X}"
        )
        raise YamlProblems(
            [Problem(path, line, col, f"{what} in the file", "remove it; YAML text is printable")]
        )
    return text


def read_yaml(text: str, path: str) -> Node | None:
    """Parse one YAML document into a tree; None for an empty file.

    Dossier files are read by the fast line reader when they keep to its
    subset (they all do when written as documented); anything else, and every
    file with a problem, goes through libyaml's events, which give the exact
    refusal or error with its position.
    """
    from .yamlfast import Unsupported, read_subset

    try:
        return read_subset(text)
    except Unsupported:
        return read_yaml_events(text, path)


def read_yaml_events(text: str, path: str) -> Node | None:
    """Parse one YAML document from libyaml's event stream: any YAML, every refusal and error."""
    deep = first_too_deep(text)
    if deep is not None:
        line, col = deep
        raise YamlProblems([_too_deep(path, line, col)])
    problems: list[Problem] = []
    stack: list[Node] = []
    pending_key: list[Scalar | None] = []
    root: Node | None = None
    documents = 0

    def attach(node: Node) -> bool:
        nonlocal root
        if not stack:
            root = node
            return True
        parent = stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
            return True
        assert isinstance(parent, Map)
        key = pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                problems.append(
                    Problem(
                        path, node.line, node.col, "a key must be plain text", "use a simple key"
                    )
                )
                return False
            pending_key[-1] = node
            return True
        if key.value in parent.items:
            first = parent.items[key.value][0]
            problems.append(
                Problem(
                    path,
                    key.line,
                    key.col,
                    f"duplicate key {key.value!r} (first at line {first.line})",
                    "keep one of them",
                )
            )
        else:
            parent.items[key.value] = (key, node)
        pending_key[-1] = None
        return True

    try:
        for event in yaml.parse(text, Loader=_EventLoader):
            mark = event.start_mark
            line, col = mark.line + 1, mark.column + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    problems.append(
                        Problem(path, line, col, "more than one YAML document", "remove the '---'")
                    )
                    break
                continue
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(
                        path, line, col, "aliases (*name) are not allowed", "write the value out"
                    )
                )
                break
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                problems.append(
                    Problem(
                        path, line, col, "anchors (&name) are not allowed", "write the value out"
                    )
                )
                break
            if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
                tag = event.tag
                if tag is not None and tag not in ("!", "tag:yaml.org,2002:str"):
                    problems.append(
                        Problem(path, line, col, f"tag {tag!r} is not allowed", "remove the tag")
                    )
                    break
            if isinstance(event, yaml.ScalarEvent):
                plain = event.implicit[0] and event.style in (None, "")
                if not attach(Scalar(line, col, event.value, plain)):
                    break
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                if len(stack) >= MAX_DEPTH:
                    problems.append(_too_deep(path, line, col))
                    break
                node: Node = (
                    Seq(line, col) if isinstance(event, yaml.SequenceStartEvent) else Map(line, col)
                )
                if not attach(node):
                    break
                stack.append(node)
                pending_key.append(None)
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                stack.pop()
                pending_key.pop()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        problems.append(Problem(path, line, col, f"YAML syntax: {what}", _syntax_hint(what)))
    except yaml.YAMLError as exc:  # reader errors and the like carry no mark
        problems.append(Problem(path, 1, 1, f"YAML error: {exc}", "check the file is plain YAML"))
    if problems:
        raise YamlProblems(problems)
    return root


# --- Nesting, checked before any YAML library sees the text --------------------------------
#
# PyYAML's own limits move between releases (6.0.4's scanner refuses 1,000 open flow
# brackets while reading ahead, before the first event reaches us), and its C composer
# crashes near depth 25,000. So the depth is measured here first, on the raw text, with
# the same count and position the event loop below would give: one level per block or
# flow collection. The scan is a lower bound (a collection it cannot see is left to the
# event loop, which refuses the same way), so it never refuses a file the loader accepts.

_QUOTED = {
    "'": re.compile(r"'(?:[^']|'')*'", re.DOTALL),
    '"': re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL),
}
_BLOCK_PLAIN = re.compile(r"[^\n]*?(?=:(?:[ \t]|$)|[ \t]#|$)", re.MULTILINE)
_FLOW_PLAIN = re.compile(r"(?:[^\n,\[\]{}#]|(?<![ \t])#)*?(?=:[ \t\n,\[\]{}]|[,\[\]{}\n]|[ \t]#|$)")
_TOKEN = re.compile(r"[^\s,\[\]{}]*")
_INDENT = re.compile(r"[ \t]*")


def first_too_deep(text: str, limit: int = MAX_DEPTH) -> tuple[int, int] | None:
    """The 1-based line and column of the first collection nested deeper than `limit`, or None.

    Linear in the text. A quoted scalar left open, or anything else the scan does not
    understand, ends it with None: the parser then reports the real problem.
    """
    blocks: list[tuple[int, bool]] = []  # open block collections: (column, is_sequence)
    flow = 0  # open flow collections
    flow_indent = 0  # indentation of the line that opened the outermost flow collection
    line_start = 0
    line_no = 1
    indent = 0
    p = 0
    n = len(text)
    at_line_start = True
    value_start = True  # the next token may open a node
    plain_parent = -2  # after a plain value: lines indented past this column continue it

    def opens() -> bool:
        return len(blocks) + flow + 1 > limit

    while p < n:
        if at_line_start:
            at_line_start = False
            spaces = _INDENT.match(text, p).end()
            if spaces >= n or text[spaces] in "\n#":
                nl = text.find("\n", spaces)
                if nl < 0:
                    return None
                p, line_start, line_no, at_line_start = nl + 1, nl + 1, line_no + 1, True
                continue
            indent = spaces - line_start
            p = spaces
            if not flow and indent > plain_parent >= -1:
                nl = text.find("\n", p)  # a plain scalar's continuation line
                p = n if nl < 0 else nl
                continue
            plain_parent = -2
            if flow and indent <= flow_indent:
                flow = 0  # a flow collection cannot continue here; the parser will say why
            if not flow:
                is_entry = text.startswith("- ", p) or text.startswith("-\n", p) or p + 1 == n
                while blocks and (
                    blocks[-1][0] > indent
                    or (blocks[-1][0] == indent and blocks[-1][1] and not is_entry)
                ):
                    blocks.pop()
                value_start = True
        c = text[p]
        col = p - line_start
        if c == "\n":
            p, line_start, line_no = p + 1, p + 1, line_no + 1
            at_line_start = True
            continue
        if c in " \t":
            p += 1
            continue
        if c == "#" and (p == line_start or text[p - 1] in " \t"):
            nl = text.find("\n", p)
            p = n if nl < 0 else nl
            continue
        if flow:
            if c in "[{":
                if opens():
                    return line_no, col + 1
                flow += 1
                p += 1
            elif c in "]}":
                flow -= 1
                p += 1
            elif c == "," or (c in "?:" and (p + 1 == n or text[p + 1] in " \t\n")):
                p += 1
            elif c in "'\"":
                m = _QUOTED[c].match(text, p)
                if m is None:
                    return None
                line_no += text.count("\n", p, m.end())
                if "\n" in m.group():
                    line_start = text.rfind("\n", p, m.end()) + 1
                p = m.end()
            else:
                end = _FLOW_PLAIN.match(text, p).end()
                p = end + 1 if end < n and text[end] == ":" else max(end, p + 1)
            continue
        # Block context.
        if not value_start:
            nl = text.find("\n", p)
            p = n if nl < 0 else nl
            continue
        if c == "-" and (p + 1 == n or text[p + 1] in " \t\n"):
            if not blocks or blocks[-1][0] < col or (blocks[-1][0] == col and not blocks[-1][1]):
                if opens():
                    return line_no, col + 1
                blocks.append((col, True))
            p += 1
            continue
        if c in "?:" and (p + 1 == n or text[p + 1] in " \t\n"):
            if c == "?" and (not blocks or blocks[-1][0] < col):  # an explicit key opens a map
                if opens():
                    return line_no, col + 1
                blocks.append((col, False))
            p += 1
            continue
        if c in "[{":
            if opens():
                return line_no, col + 1
            flow, flow_indent = 1, indent
            p += 1
            continue
        if c in "|>":
            # A block scalar: its lines are the blank ones and those indented past this one.
            nl = text.find("\n", p)
            while nl >= 0:
                nxt = _INDENT.match(text, nl + 1).end()
                if nxt < n and text[nxt] != "\n" and nxt - (nl + 1) <= indent:
                    break
                nl = text.find("\n", nxt)
            if nl < 0:
                return None
            line_no += text.count("\n", p, nl)
            p = nl
            value_start = False
            continue
        if c in "&!*":
            p = max(_TOKEN.match(text, p).end(), p + 1)
            continue
        if c in "'\"":
            m = _QUOTED[c].match(text, p)
            if m is None:
                return None
            end = m.end()
            line_no += text.count("\n", p, end)
            if "\n" in m.group():
                line_start = text.rfind("\n", p, end) + 1
        else:
            end = _BLOCK_PLAIN.match(text, p).end()
        rest = _INDENT.match(text, end).end()
        if text.startswith(":", rest) and (rest + 1 == n or text[rest + 1] in " \t\n"):
            if not blocks or blocks[-1][0] < col:
                if opens():
                    return line_no, col + 1
                blocks.append((col, False))
            p = rest + 1
            continue
        value_start = False
        if c not in "'\"":
            plain_parent = blocks[-1][0] if blocks else -1
        p = end
    return None


def _too_deep(path: str, line: int, col: int) -> Problem:
    return Problem(
        path, line, col, f"nested deeper than {MAX_DEPTH} levels", "flatten the structure"
    )


def _syntax_hint(problem: str) -> str:
    if "mapping values" in problem:
        return "quote values that contain ': '"
    if "found character '\\t'" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "expected <block end>" in problem or "expected ','" in problem:
        return "check the indentation and brackets of the lines above"
    if "found undefined alias" in problem or "found unexpected end" in problem:
        return "check for an unclosed quote or bracket"
    return "check quoting and indentation near this point"
