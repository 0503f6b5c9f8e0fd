"""Sentence splitting over a large corpus: ours, and any library splitter that is installed.

Why: search and mention linking split every source, so the splitter's speed over
a big dossier matters, and a hand-written one must show it is not slower than a
library (standards: libraries first). The corpus is the bundled articles repeated
to the size asked, so that the prose is real; the hostile rows time texts made to
make a splitter slow (unclosed quotes, runs of stops), where the time must stay
linear.

Usage::

    python benchmarks/sentences.py [--mb 10] [--repeat 3]

Library rows (pysbd, sentencex, blingfire, syntok) appear only when the library
is importable; none is a dependency of the project. Each library gets the text a
line at a time, as ours splits at every line break anyway.
"""

from __future__ import annotations

import argparse
import importlib
import time
from collections.abc import Callable, Iterator

from partnership_tui.model import bundled_data_dir
from partnership_tui.model.build.text import split_sentences

Splitter = Callable[[str], int]


def corpus(megabytes: float) -> str:
    """The bundled articles, repeated to `megabytes` million characters."""
    texts = [
        p.read_text(encoding="utf-8") for p in sorted(bundled_data_dir().glob("sources/*.txt"))
    ]
    one = "\n\n".join(texts)
    copies = max(1, round(megabytes * 1_000_000 / len(one)))
    return "\n\n".join([one] * copies)


def hostile(megabytes: float) -> dict[str, str]:
    """Texts shaped to make splitters slow, of about `megabytes` million characters."""
    size = int(megabytes * 1_000_000)
    prose = "He said \u201cno way. It is done. "
    return {
        "one line, an unclosed \u201c per sentence": prose * (size // len(prose)),
        "a run of full stops": "." * size + "x",
        "initials only": "a. " * (size // 3),
        "line breaks only": "\n" * size,
    }


def _lines(split_line: Callable[[str], int]) -> Splitter:
    def split(text: str) -> int:
        return sum(split_line(line) for line in text.split("\n") if line.strip())

    return split


def library_splitters() -> Iterator[tuple[str, Splitter]]:
    """The splitters of installed libraries, each counting the sentences of a text."""
    try:
        sentencex = importlib.import_module("sentencex")
    except ImportError:
        pass
    else:
        yield "sentencex", _lines(lambda line: len(sentencex.get_sentence_boundaries("en", line)))
    try:
        pysbd = importlib.import_module("pysbd")
    except ImportError:
        pass
    else:
        segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
        yield "pysbd", _lines(lambda line: len(segmenter.segment(line)))
    try:
        blingfire = importlib.import_module("blingfire")
    except ImportError:
        pass
    else:
        yield (
            "blingfire",
            _lines(lambda line: len(blingfire.text_to_sentences_and_offsets(line)[1])),
        )
    try:
        syntok = importlib.import_module("syntok.segmenter")
    except ImportError:
        pass
    else:
        yield (
            "syntok",
            _lines(lambda line: sum(1 for p in syntok.analyze(line) for _ in p)),
        )


def best_of(split: Splitter, text: str, repeat: int) -> tuple[float, int]:
    """The fastest of `repeat` runs, in seconds, and the sentence count."""
    times: list[float] = []
    count = 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = split(text)
        times.append(time.perf_counter() - started)
    return min(times), count


def rows(
    megabytes: float, repeat: int, libraries: bool = True
) -> Iterator[tuple[str, str, float, int]]:
    """(splitter, text, seconds, sentences) for ours and each installed library.

    Libraries get the corpus and the unclosed-quote line (the hostile text a real
    article can come close to); only ours gets the other hostile texts.
    """
    ours: Splitter = lambda text: len(split_sentences(text))  # noqa: E731
    splitters = [("partnership-tui", ours)]
    if libraries:
        splitters += list(library_splitters())
    text = corpus(megabytes)
    texts = hostile(megabytes / 10)
    for name, split in splitters:
        seconds, count = best_of(split, text, repeat)
        yield name, f"bundled articles, {len(text) / 1e6:.1f} MB", seconds, count
        for label, bad in texts.items():
            if split is ours or label.startswith("one line"):
                seconds, count = best_of(split, bad, 1)
                yield name, f"{label}, {len(bad) / 1e6:.1f} MB", seconds, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=10.0, help="corpus size (default 10)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the best counts")
    args = parser.parse_args(argv)
    print(f"{'splitter':<16} {'seconds':>8} {'sentences':>10}  text")
    for name, label, seconds, count in rows(args.mb, args.repeat):
        print(f"{name:<16} {seconds:>8.3f} {count:>10}  {label}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
