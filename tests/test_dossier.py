"""A dossier opened from its compact (cached) form answers exactly like one loaded from YAML."""

from __future__ import annotations

import marshal
import pickle
import threading
from dataclasses import fields
from pathlib import Path

import pytest
from conftest import FIXTURE_DOSSIER

from partnership_tui.model import bundled_data_dir
from partnership_tui.model.build.records import KINDS, Citation, Event, Person, Role, Source
from partnership_tui.model.dossier import compact
from partnership_tui.model.dossier.dossier import Dossier
from partnership_tui.model.dossier.indexes import compact_from_records
from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.model.store import dossiercache as cache

UNKNOWN = ("no-such-record", "", "Src-1")


def assert_same_answers(fresh: Dossier, cached: Dossier) -> None:
    """Every public question, asked of every record (and a few unknown ids), in a cold order."""
    assert cached.title == fresh.title and cached.description == fresh.description
    assert len(cached) == len(fresh)
    ids = [record_id for kind in KINDS for record_id in fresh.ids(kind)]
    # Index questions first, before anything is decoded, so they cannot lean on the memo.
    for record_id in [*ids, *UNKNOWN]:
        assert (record_id in cached) == (record_id in fresh)
        assert cached.involving(record_id) == fresh.involving(record_id), record_id
        assert cached.events_of(record_id) == fresh.events_of(record_id), record_id
        assert cached.mentions_of(record_id) == fresh.mentions_of(record_id), record_id
        assert cached.mentions_in(record_id) == fresh.mentions_in(record_id), record_id
        assert cached.citations_in(record_id) == fresh.citations_in(record_id), record_id
        assert cached.reported_by(record_id) == fresh.reported_by(record_id), record_id
        assert cached.kind_of(record_id) == fresh.kind_of(record_id), record_id
    for record_id in [*ids, *UNKNOWN]:
        record = fresh.get(record_id)
        assert cached.get(record_id) == record, record_id
        assert cached.citations_of(record_id) == fresh.citations_of(record_id)
        if record is not None:
            assert cached[record_id] == record
            assert type(cached[record_id]) is type(record)
            assert cached.timeline_key(record) == fresh.timeline_key(record)
            assert cached.names(record) == fresh.names(record)
        else:
            with pytest.raises(KeyError):
                cached[record_id]
    for kind in KINDS:
        assert cached.ids(kind) == fresh.ids(kind)
        assert cached.by_kind(kind) == fresh.by_kind(kind)
    assert cached.timeline_ids == fresh.timeline_ids
    assert cached.timeline == fresh.timeline
    assert cached.sources == fresh.sources
    with pytest.raises(KeyError):
        cached.by_kind("planet")  # type: ignore[arg-type]


def round_trip(dossier: Dossier) -> Dossier:
    """Through pickle, as the cache stores it, so nothing leans on shared objects."""
    return Dossier.from_compact(pickle.loads(pickle.dumps(dossier.to_compact())))


@pytest.mark.parametrize("root", [FIXTURE_DOSSIER], ids=["fixture"])
def test_compact_answers_like_fresh(root: Path) -> None:
    fresh = load_dossier(root)
    assert_same_answers(fresh, round_trip(fresh))


@pytest.mark.bundled
def test_compact_answers_like_fresh_on_the_bundled_dossier() -> None:
    fresh = load_dossier(bundled_data_dir())
    assert_same_answers(fresh, round_trip(fresh))


def test_load_cached_answers_like_fresh(tmp_path: Path) -> None:
    cache.open_dossier(FIXTURE_DOSSIER)  # fills the cache
    cached = cache.open_dossier(FIXTURE_DOSSIER)
    assert cached.is_compact  # really served from the cache
    assert_same_answers(load_dossier(FIXTURE_DOSSIER), cached)


def test_records_are_built_once_and_on_demand() -> None:
    cached = round_trip(load_dossier(FIXTURE_DOSSIER))
    assert len(cached.timeline_ids) > 0 and not cached.built_ids()  # ids without records
    first = cached.timeline_ids[0]
    assert cached.get(first) is cached.get(first) is cached.timeline[0]
    assert all(
        cached.get(i) is e for i, e in zip(cached.timeline_ids, cached.timeline, strict=True)
    )


def test_decoded_records_share_ids_and_dates() -> None:
    cached = round_trip(load_dossier(FIXTURE_DOSSIER))
    events = [e for e in cached.timeline if e.involves]
    assert events
    for event in events:
        for ref in event.involves:
            assert (
                ref is cached.ids(cached.kind_of(ref))[cached.ids(cached.kind_of(ref)).index(ref)]
            )
    dated = [e.date for e in cached.timeline if e.date is not None]
    by_text = {d.text: d for d in dated}
    assert all(d is by_text[d.text] for d in dated)


def test_a_quote_that_is_not_the_source_text_survives() -> None:
    """The compact form derives quotes from offsets, unless the quote says otherwise."""
    source = Source("s", "S", "", (), text="Alpha beta gamma.", sentences=((0, 17),))
    odd = Citation("s", "not the text", 0, 5)
    dangling = Citation("elsewhere", "a quote", 3, 10)
    person = Person(
        "p",
        "P",
        "",
        (odd, dangling),
        roles=(Role("o", "chief", None, None, None, (Citation("s", "beta", 6, 10),)),),
    )
    org = Source("o", "O", "", ())
    event = Event("e", "E", "", (Citation("s", "Alpha", 0, 5),), involves=("p", "o"))
    fresh = Dossier([source, person, org, event])
    assert_same_answers(fresh, round_trip(fresh))


def test_a_dossier_pickles_through_its_compact_form() -> None:
    fresh = load_dossier(FIXTURE_DOSSIER)
    assert_same_answers(fresh, pickle.loads(pickle.dumps(fresh)))


def test_duplicate_ids_are_not_stored_compactly() -> None:
    one = Person("p", "P", "", ())
    with pytest.raises(ValueError):
        Dossier([one, Person("q", "Q", "", ()), one]).to_compact()


def test_concurrent_readers_get_equal_records() -> None:
    fresh = load_dossier(FIXTURE_DOSSIER)
    cached = round_trip(fresh)
    seen: list[tuple[object, ...]] = []

    def read() -> None:
        seen.append(tuple(cached.get(i) for kind in KINDS for i in cached.ids(kind)))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = tuple(fresh.get(i) for kind in KINDS for i in fresh.ids(kind))
    assert seen == [expected] * 4


def test_the_codec_knows_every_field() -> None:
    """A field added to a record must be stored by the cache, not silently dropped."""
    for cls, layout in compact._LAYOUT.items():
        assert [name for name, _ in layout] == [f.name for f in fields(cls) if f.init]


def test_an_unknown_field_type_is_refused() -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Odd:
        when: complex

    compact._SPECIAL[Odd] = {}
    try:
        with pytest.raises(TypeError, match=r"Odd\.when"):
            compact._init_fields(Odd)
    finally:
        del compact._SPECIAL[Odd]


def test_a_dropped_dossier_is_freed_without_the_collector() -> None:
    """No reference cycles: the app calls gc.freeze(), after which a cycle would never go."""
    import gc
    import weakref

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        fresh = load_dossier(FIXTURE_DOSSIER)
        cached = round_trip(fresh)
        for dossier in (fresh, cached):  # fill every kind of memo entry first
            for kind in KINDS:
                for record_id in dossier.ids(kind):
                    dossier.reported_by(record_id)
                    dossier.events_of(record_id)
                    dossier.mentions_of(record_id)
                    dossier.citations_in(record_id)
                    dossier.mentions_in(record_id)
        refs = [weakref.ref(fresh), weakref.ref(cached)]
        del fresh, cached, dossier
        assert [ref() for ref in refs] == [None, None]
    finally:
        if was_enabled:
            gc.enable()


def test_questions_about_unknown_ids_do_not_spoil_the_compact_form() -> None:
    fresh = load_dossier(FIXTURE_DOSSIER)
    for question in (fresh.involving, fresh.mentions_of, fresh.mentions_in, fresh.citations_in):
        question("no-such-record")
    fresh.reported_by("no-such-record")
    assert_same_answers(fresh, round_trip(fresh))


@pytest.mark.parametrize("lazy", [False, True])
def test_each_of_kind_walks_a_kind_in_order_without_keeping_it(lazy: bool) -> None:
    fresh = load_dossier(FIXTURE_DOSSIER)
    dossier = round_trip(fresh) if lazy else fresh
    for kind in KINDS:
        walked = list(dossier.each_of_kind(kind))
        assert [r.id for r in walked] == list(dossier.ids(kind))
        assert walked == list(fresh.by_kind(kind))
    if lazy:
        # One pass over everything (as the search index makes) keeps nothing built.
        built = dossier.built_ids()
        assert not any(record_id in built for record_id in dossier.ids("event"))


# --- the compact form built straight from the records (a first open) ------------------------


def _synthetic(tmp_path: Path) -> Path:
    import importlib
    import sys

    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here.parent))
    try:
        synth = importlib.import_module("benchmarks.synth")
    finally:
        sys.path.remove(str(here.parent))
    root = tmp_path / "synth"
    synth.generate(root, synth.spec_for("tiny", seed=11, entities=80, events=400, sources=12))
    return root


def _comparable(packed: compact.CompactDossier) -> dict[str, object]:
    """The compact form's fields as values: marshal's bytes depend on reference counts."""
    out = {f.name: getattr(packed, f.name) for f in fields(packed)}
    out["records"] = [packed.records[i] for i in range(len(packed.records))]
    out["texts"] = [packed.texts[i] for i in range(len(packed.texts))]
    out["citations_in"] = {k: marshal.loads(v) for k, v in packed.citations_in.items()}
    return out


@pytest.mark.parametrize("which", ["fixture", "synthetic", "bundled"])
def test_compact_from_records_equals_the_dossiers_own(which: str, tmp_path: Path) -> None:
    """Straight from the records or through Dossier(records): the same compact form, and a
    dossier loaded either way answers every question the same."""
    root = {"fixture": FIXTURE_DOSSIER, "bundled": bundled_data_dir()}.get(which)
    root = root or _synthetic(tmp_path)
    fresh = load_dossier(root)
    assert not fresh.is_compact  # the object indexes: the reference
    records = [fresh.get(record_id) for record_id in fresh.all_ids()]
    direct = compact_from_records(records, fresh.title, fresh.description)  # type: ignore[arg-type]
    assert _comparable(direct) == _comparable(fresh.to_compact())
    loaded = load_dossier(root, compact=True)
    assert loaded.is_compact
    assert _comparable(loaded.to_compact()) == _comparable(fresh.to_compact())
    assert_same_answers(fresh, loaded)


@pytest.mark.parametrize("which", ["fixture", "synthetic"])
def test_consumed_records_give_the_same_compact_form(which: str, tmp_path: Path) -> None:
    """Handing the records over (as the loader does) changes what is kept, not what is made."""
    root = FIXTURE_DOSSIER if which == "fixture" else _synthetic(tmp_path)
    fresh = load_dossier(root)
    records = [fresh.get(record_id) for record_id in fresh.all_ids()]
    kept = compact_from_records(records, fresh.title, fresh.description)  # type: ignore[arg-type]
    consumed = compact_from_records(
        records,  # type: ignore[arg-type]
        fresh.title,
        fresh.description,
        consume=True,
    )
    assert records == []
    assert _comparable(consumed) == _comparable(kept)
    assert_same_answers(fresh, Dossier.from_compact(consumed))


def test_refused_records_are_not_consumed() -> None:
    """A ValueError (not storable) leaves the caller its records to fall back on."""
    fresh = load_dossier(FIXTURE_DOSSIER)
    records = [fresh.get(record_id) for record_id in fresh.all_ids()]
    twice = [*records, records[0]]
    with pytest.raises(ValueError):
        compact_from_records(twice, consume=True)  # type: ignore[arg-type]
    assert twice == [*records, records[0]]


def test_a_closed_encoder_lets_go_of_its_tables_without_the_collector() -> None:
    """The compiled encoders make a cycle; close() breaks it, so the ids a load handed the
    encoder go when it does, though the collector is paused for the whole load."""
    import gc
    import sys

    fresh = load_dossier(FIXTURE_DOSSIER)
    order = {record_id: i for i, record_id in enumerate(fresh.all_ids())}
    records = [fresh[record_id] for record_id in order]
    texts = {r.id: r.text for r in records if isinstance(r, Source)}
    before = sys.getrefcount(order)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        encoder = compact.RecordEncoder(order, texts)
        for record in records:
            encoder.record(record)
        assert sys.getrefcount(order) > before
        encoder.close()
        del encoder
        assert sys.getrefcount(order) == before
    finally:
        if was_enabled:
            gc.enable()


def test_compiled_encoder_equals_the_field_by_field_one(tmp_path: Path) -> None:
    """Each class's encoding function gives what encoding each field by its rule gives."""
    for root in (FIXTURE_DOSSIER, bundled_data_dir(), _synthetic(tmp_path)):
        dossier = load_dossier(root)
        order = {record_id: i for i, record_id in enumerate(dossier.all_ids())}
        records = [dossier[record_id] for record_id in order]
        texts = {r.id: r.text for r in records if isinstance(r, Source)}
        encoder = compact.RecordEncoder(order, texts)
        for record in records:
            expected = tuple(
                order[record.id]
                if how == compact._TEXT and texts.get(record.id) is getattr(record, name)
                else encoder._value(how, getattr(record, name))
                for name, how in compact._LAYOUT[type(record)]
            )
            assert encoder.record(record) == expected, record.id
