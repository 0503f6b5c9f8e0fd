"""The measuring child: one fresh interpreter per load, so no import or heap is shared.

Run as `python -m benchmarks.harness.worker TASK_JSON` (the parent does this); its answer is
the last stdout line, RESULT_PREFIX + JSON. A task says which dossier, how to load it (cold,
warm, or cold while writing the cache), and what else to measure in the same process: the
loaded screen's markers, the search index and queries, PyYAML's parse as an anchor.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .switches import import_model_modules, switch_off_fast_yaml

RESULT_PREFIX = "BENCH-RESULT "


def _maxrss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    VmHWM from /proc where there is one: ru_maxrss survives exec on Linux, so a
    child of a big parent would report the parent's peak as its own.
    """
    with contextlib.suppress(OSError):
        status = Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        if found:
            return int(found.group(1)) / 1024
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _cache_module() -> Any:
    try:
        from partnership_tui.model.store import dossiercache as cache
    except ImportError:
        return None
    return cache if hasattr(cache, "open_dossier") else None


def _search_module() -> Any:
    try:
        from partnership_tui.model.search import index as search
    except ImportError:
        return None
    return search if hasattr(search, "SearchIndex") else None


def _worker_load(root: str, mode: str, out: dict[str, Any]) -> Any:
    """Load as `mode` says and record the time of the call itself; return the dossier."""
    from partnership_tui.model.dossier.load import load_dossier

    cache = _cache_module()
    if mode in ("warm", "cold-populate") and cache is not None:
        spent: list[float] = []
        original = cache.full_load

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            result = original(*args, **kwargs)
            spent.append(time.perf_counter() - started)
            out["rss_after_load_mb"] = _maxrss_mb()
            return result

        cache.full_load = timed
        try:
            started = time.perf_counter()
            dossier = cache.open_dossier(root)
            total = time.perf_counter() - started
        finally:
            cache.full_load = original
        out["cache_miss"] = bool(spent)
        if mode == "warm":
            out["seconds"] = total
            return dossier
        if spent:
            out["seconds"] = spent[0]
            out["populate_seconds"] = total
            return dossier
    if mode == "warm":
        out["error"] = "no cache module"
        return None
    started, cpu = time.perf_counter(), time.process_time()
    # In the compact form, as a first open builds it (`dossiercache.full_load`), minus the
    # cache write; the object indexes (`compact=False`) are what no session uses.
    dossier = load_dossier(root, compact=True)
    out["seconds"] = time.perf_counter() - started
    # CPU time as well: on a machine that other work keeps busy it varies less than the wall.
    out["cpu_seconds"] = time.process_time() - cpu
    out["rss_after_load_mb"] = _maxrss_mb()
    return dossier


def _yaml_anchor(root: str) -> float:
    """PyYAML's C parser emitting every event of every YAML file: the floor of any YAML load."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    started = time.perf_counter()
    for path in sorted(Path(root).glob("*.yaml")):
        for _event in yaml.parse(path.read_text(encoding="utf-8"), Loader=loader):
            pass
    return time.perf_counter() - started


def _info(dossier: Any) -> dict[str, Any]:
    """What the parent needs to recognise the loaded screen, without loading anything itself."""
    title = f"{dossier.title} {dossier.description}".casefold()
    markers: list[str] = []
    # ids() and get(): the measuring process must not build (and keep) every record,
    # which the app never does, or the memory it reports would not be the app's.
    ids = getattr(dossier, "ids", None)
    for kind in ("company", "person", "product", "deal"):
        first = ids(kind)[:5] if ids else [r.id for r in dossier.by_kind(kind)[:5]]
        for record in (dossier.get(record_id) for record_id in first):
            name = " ".join(record.name.split())[:20].strip()
            if len(name) >= 4 and name.casefold() not in title:
                markers.append(name)
    # Words to type: entity names in the filter, frequent words of the first sources in search.
    counts: dict[str, int] = {}
    for source in dossier.sources[:20]:
        for token in re.findall(r"[a-z]{5,}", source.text.casefold()):
            counts[token] = counts.get(token, 0) + 1
    search_words = sorted(counts, key=lambda w: (-counts[w], w))[:8]
    return {
        "markers": markers,
        "search_words": search_words,
        "records": len(dossier),
        "sources": len(dossier.sources),
        "events": len(dossier.timeline_ids if ids else dossier.timeline),
        "text_mb": sum(len(s.text.encode("utf-8")) for s in dossier.sources) / 1e6,
    }


def pick_queries(dossier: Any, per_kind: int = 5, seed: int = 0) -> dict[str, list[str]]:
    """Queries drawn from the dossier itself, in the search language of model.search.query.

    rare: words in exactly one source; common: words in the most sources;
    phrase: two or three neighbouring words of a sentence, or a two-word name;
    prefix: the first four letters of a mid-frequency word, with "*".
    """
    import random

    rng = random.Random(seed)
    word = re.compile(r"[a-z]{3,}")
    frequency: dict[str, int] = {}
    for source in dossier.sources:
        for token in set(word.findall(source.text.casefold())):
            frequency[token] = frequency.get(token, 0) + 1
    ranked = sorted(frequency, key=lambda w: (-frequency[w], w))
    long_words = [w for w in ranked if len(w) >= 5]
    rare = sorted(w for w in long_words if frequency[w] == 1)
    rare = rng.sample(rare, min(per_kind, len(rare))) if rare else long_words[-per_kind:]
    common = long_words[:per_kind]
    middle = long_words[len(long_words) // 20 : len(long_words) // 4] or long_words
    prefixes = sorted({w[:4] for w in rng.sample(middle, min(len(middle), per_kind * 4))})
    prefixes = [f"{p}*" for p in rng.sample(prefixes, min(per_kind, len(prefixes)))]
    phrases: list[str] = []
    sources = [s for s in dossier.sources if s.sentences]
    for _ in range(per_kind * 20):
        if len(phrases) >= per_kind - 2 or not sources:
            break
        source = rng.choice(sources)
        start, end = rng.choice(source.sentences)
        words = re.findall(r"[A-Za-z]{3,}", source.text[start:end])
        size = rng.choice((2, 3))
        if len(words) > size:
            at = rng.randrange(len(words) - size)
            candidate = " ".join(words[at : at + size])
            # only words that stand next to each other in the text make a phrase
            if candidate.casefold() in " ".join(source.text[start:end].split()).casefold():
                phrases.append(f'"{candidate}"')
    each = getattr(dossier, "each_of_kind", dossier.by_kind)  # the same order, nothing kept
    names = [
        r.name
        for kind in ("company", "person")
        for r in each(kind)
        if re.fullmatch(r"[A-Za-z]+ [A-Za-z]+", r.name)
    ]
    phrases.extend(f'"{n}"' for n in rng.sample(names, min(len(names), per_kind - len(phrases))))
    return {"rare word": rare, "common word": common, "phrase": phrases, "prefix": prefixes}


def _needle(query: str) -> str:
    return query.strip('"').rstrip("*").casefold()


def find_rg() -> str | None:
    """ripgrep on PATH, or beside this interpreter (pip's `ripgrep` wheel puts it there)."""
    return shutil.which("rg") or shutil.which("rg", path=str(Path(sys.executable).parent))


def _rg_argv(rg: str, query: str, folder: str) -> list[str]:
    base = [rg, "--no-config", "-i", "-n", "--no-heading"]
    if query.endswith("*"):
        return [*base, "-e", r"\b" + re.escape(query.rstrip("*")), folder]
    return [*base, "-F", "--", query.strip('"'), folder]


def _worker_search(dossier: Any, root: str, repeat: int, rg: str | None) -> dict[str, Any]:
    search = _search_module()
    out: dict[str, Any] = {}
    if search is None:
        out["error"] = "no search module"
        return out
    if not repeat:  # the index only: for its build time and memory
        started = time.perf_counter()
        search.SearchIndex.build(dossier)
        out["index_seconds"] = time.perf_counter() - started
        out["rss_after_index_mb"] = _maxrss_mb()
        return out
    started = time.perf_counter()
    index = search.SearchIndex.build(dossier)
    out["index_seconds"] = time.perf_counter() - started
    out["backend"] = getattr(index, "backend", "?")
    out["rss_after_index_mb"] = _maxrss_mb()
    queries = pick_queries(dossier)
    out["queries"] = queries
    texts = [s.text for s in dossier.sources]
    folder = str(Path(root) / "sources")
    times: dict[str, list[float]] = {}
    scans: dict[str, list[float]] = {}
    rgs: dict[str, list[float]] = {}
    hits: dict[str, list[int]] = {}
    for kind, items in queries.items():
        times[kind], scans[kind], rgs[kind], hits[kind] = [], [], [], []
        for query in items:
            for _ in range(repeat):
                started = time.perf_counter()
                results = index.search(query, limit=50)
                times[kind].append(time.perf_counter() - started)
            hits[kind].append(int(getattr(results, "total", 0)))
            needle = _needle(query)
            for run in range(repeat):
                started = time.perf_counter()
                _found = [i for i, text in enumerate(texts) if needle in text.casefold()]
                took = time.perf_counter() - started
                scans[kind].append(took)
                if took > 0.02 and run >= 1:
                    break  # a slow anchor: two runs per query tell enough, and save time
            if rg:
                for _ in range(repeat):
                    started = time.perf_counter()
                    subprocess.run(_rg_argv(rg, query, folder), capture_output=True, check=False)
                    rgs[kind].append(time.perf_counter() - started)
    out.update(search_seconds=times, scan_seconds=scans, rg_seconds=rgs, hits=hits)
    # Last, and outside the peak memory reported for this open: storing the index and
    # opening it again (the next session's first search) hold extra copies of it here.
    out["rss_before_index_cache_mb"] = _maxrss_mb()
    from partnership_tui.model.search.indexcache import open_index

    if getattr(dossier, "fingerprint", None):
        open_index(dossier)  # stores it if it was not there yet
        opens, hits_cache = [], True
        for _ in range(max(1, min(repeat, 5))):
            started = time.perf_counter()
            reopened = open_index(dossier)
            opens.append(time.perf_counter() - started)
            hits_cache = hits_cache and bool(getattr(reopened, "from_cache", False))
            del reopened  # one copy at a time, as a session has
        if hits_cache:
            out["index_open_seconds"] = opens
    return out


def worker_main(task: dict[str, Any]) -> dict[str, Any]:
    """Entry point of a measuring child process: one load, maybe an index and searches."""
    import gc

    out: dict[str, Any] = {"rss_baseline_mb": 0.0}
    from partnership_tui.model.dossier import load  # noqa: F401  (imports are not timed)

    _cache_module()
    _search_module()
    if task["mode"] == "cold":
        # Every model module now, as the fast-YAML switch must (it patches them all): the
        # modules a load imports lazily would otherwise be timed in one row and not the other.
        # (Warm loads keep their lazy imports: a warm start never imports the YAML reader.)
        import_model_modules()
    if "fast-yaml" in task.get("off", ()):
        out["switched_off"] = switch_off_fast_yaml()
        if not out["switched_off"]:
            out["error"] = "no fast YAML reader to switch off"
            return out
    out["rss_baseline_mb"] = _maxrss_mb()
    root = task["dir"]
    dossier = _worker_load(root, task["mode"], out)
    if dossier is None:
        return out
    gc.freeze()  # as the app does once the dossier is loaded
    if task.get("info"):
        out["info"] = _info(dossier)
    peak: float | None = None
    if task.get("index") or task.get("search"):
        result = _worker_search(dossier, root, int(task.get("search") or 0), task.get("rg"))
        out["search"] = result
        peak = result.get("rss_before_index_cache_mb")
    out["rss_peak_mb"] = peak if peak is not None else _maxrss_mb()
    if task.get("yaml_anchor"):
        # Last: PyYAML's parse of every file is the anchor's memory, not the app's.
        out["yaml_seconds"] = _yaml_anchor(root)
    return out


def main(argv: list[str]) -> int:
    result = worker_main(json.loads(argv[0]))
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
