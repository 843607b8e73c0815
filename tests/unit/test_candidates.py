"""Candidate generation: the bounded generators return what a brute-force scan returns."""

from __future__ import annotations

import numpy as np
from conftest import HashEncoder
from confuguard.models.index import NameIndex, target_text
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from confuguard import corpus as corpus_mod
from confuguard import names, postings
from confuguard.candidates import (
    CORE_EDIT_MIN,
    CORE_EXACT_MIN,
    MAX_EDIT,
    CandidateGenerator,
    fold,
    prepare_tables,
    squash,
    token_sequences,
)
from confuguard.corpus import from_rows
from confuguard.tokens import core
from confuguard.types import Ecosystem

name_st = st.text(alphabet="abcdeilmnorstu01-_", min_size=2, max_size=12).filter(
    lambda s: s[0].isalnum() and s[-1].isalnum()
)


def _corpus(raw: list[str]):
    return from_rows(Ecosystem.PYPI, [(n, i + 1, None) for i, n in enumerate(raw)])


@settings(max_examples=60, deadline=None)
@given(targets=st.lists(name_st, min_size=1, max_size=40, unique=True), query=name_st)
def test_edit_and_form_generators_equal_brute_force(targets, query):
    corpus = _corpus(targets)
    gen = CandidateGenerator(corpus)
    pkg = names.parse(query, Ecosystem.PYPI)
    key = names.key(pkg)
    found = gen.propose(pkg).found_by
    by_edit = {p for p, how in found.items() if "edit" in how}
    assert by_edit == {p for p, t in enumerate(corpus.targets) if OSA.distance(squash(key), squash(t.key)) <= MAX_EDIT}
    by_form = {p for p, how in found.items() if "form" in how}
    assert by_form == {p for p, t in enumerate(corpus.targets) if fold(t.key) == fold(key)}


def _core_match(q: str, forms: set[str]) -> bool:
    if len(q) < CORE_EXACT_MIN:
        return False
    return q in forms or (len(q) >= CORE_EDIT_MIN and any(
        len(f) >= CORE_EDIT_MIN and OSA.distance(q, f) <= 1 for f in forms))


core_name_st = st.builds(lambda pre, body, suf: pre + body + suf, st.sampled_from(["", "py", "lib", "python-", "node-"]),
                         st.text(alphabet="abcdelmnorstu", min_size=3, max_size=9), st.sampled_from(["", "-js", ".py", "-lib", "2"]))


@settings(max_examples=80, deadline=None)
@given(targets=st.lists(core_name_st, min_size=1, max_size=40, unique=True), query=core_name_st)
def test_core_generator_equals_brute_force(targets, query):
    corpus = _corpus(targets)
    gen = CandidateGenerator(corpus)
    pkg = names.parse(query, Ecosystem.PYPI)
    found = {p for p, how in gen.propose(pkg).found_by.items() if "core" in how}
    own = {squash(t.key) for t in corpus.targets}
    queries = {squash(str(pkg)), core(str(pkg))}
    for toks in token_sequences(str(pkg)):
        queries |= {"".join(toks[i:j]) for i in range(len(toks)) for j in range(i + 1, len(toks) + 1) if j - i < len(toks)}
    brute = set()
    for p, t in enumerate(corpus.targets):
        forms = {squash(t.key)} | ({core(t.key)} if core(t.key) not in own else set())
        if any(_core_match(q, forms) for q in queries):
            brute.add(p)
    assert found == brute


def test_core_generator_finds_typos_stacked_on_affixes():
    corpus = _corpus(["pycurl", "opencv-python", "matplotlib", "lodash", "lodash-node"])
    gen = CandidateGenerator(corpus)
    for suspect, expected in [("libcurl", "pycurl"), ("openvc", "opencv-python"), ("matplatlib-plus", "matplotlib")]:
        found = gen.propose(names.parse(suspect, Ecosystem.PYPI)).found_by
        assert any("core" in how and str(corpus.targets[p].package) == expected for p, how in found.items()), suspect
    # a core that is itself a popular name belongs to that package only
    found = gen.propose(names.parse("lodahs", Ecosystem.PYPI)).found_by
    assert "lodash-node" not in {str(corpus.targets[p].package) for p, how in found.items() if "core" in how}


@settings(max_examples=30, deadline=None)
@given(targets=st.lists(name_st, min_size=2, max_size=60, unique=True), query=name_st)
def test_flat_index_equals_brute_force_cosine(targets, query):
    corpus = _corpus(targets)
    enc = HashEncoder()
    vecs = enc.encode([target_text(t) for t in corpus.targets])
    index = NameIndex.build(vecs)
    q = enc.encode([query])
    sims, ids = index.search(q, 5)
    brute = np.sort(vecs @ q[0])[::-1][: len(ids[0])]
    assert np.allclose(sims[0], brute, atol=1e-5)


def test_scoped_and_namespaced_generators():
    corpus = from_rows(Ecosystem.NPM, [("@cicada/render", 1, None), ("@near-js/keystores", 2, None), ("lodash", 3, None)])
    gen = CandidateGenerator(corpus)
    for suspect, expected in [("cicada-render", "@cicada/render"), ("@meer-js/keystores", "@near-js/keystores"),
                              ("@evil/lodash", "lodash")]:
        found = gen.propose(names.parse(suspect, Ecosystem.NPM)).found_by
        assert expected in {str(corpus.targets[p].package) for p in found}, suspect


def test_index_cache_rebuilds_when_data_changes(hash_encoder):
    from confuguard.models.index import index_path, load_or_build
    from confuguard.models.wordvec import WordVectors

    words = WordVectors(["requests", "numpy", "pandas"], hash_encoder.encode(["requests", "numpy", "pandas"]))
    a = _corpus(["requests", "numpy"])
    b = _corpus(["requests", "numpy", "pandas"])
    assert len(load_or_build(a, words)) == 2
    assert index_path(a).is_file()
    assert len(load_or_build(b, words)) == 3
    assert not index_path(a).exists()  # the stale index was replaced
    index_path(b).write_bytes(b"truncated")
    assert len(load_or_build(b, words)) == 3  # an unreadable cache is rebuilt, not fatal


def test_word_table_is_extended_not_rebuilt(hash_encoder, tmp_path, monkeypatch):
    from confuguard.models.wordvec import load_or_extend, words_of

    monkeypatch.setenv("CONFUGUARD_CACHE_DIR", str(tmp_path))  # a word table of its own, whatever ran before

    calls = []

    def enc():
        calls.append(1)
        return hash_encoder

    t1 = load_or_extend({"python", "dateutil"}, enc)
    t2 = load_or_extend({"python", "dateutil"}, enc)  # cached: no encoding
    t3 = load_or_extend({"python", "kafka"}, enc)     # only the new word is encoded
    assert len(calls) == 2 and len(t1) == len(t2) == 2 and len(t3) == 3
    v1, v2 = t3.name_vector("dateutil-python"), t3.name_vector("python_dateutil")
    assert v1 is not None and np.allclose(v1, v2)     # reordering embeds identically
    assert t3.name_vector("unknown-words") is None
    assert words_of("pytz3-dev") == ("pytz", "3", "dev")


def test_corpus_cache_gives_the_same_targets(tmp_path):
    from confuguard import corpus

    f = tmp_path / "pypi.tsv"
    f.write_text("# source: test\nname\trank\tpopularity\nrequests\t1\t10\nPython_Dateutil\t2\t\nbad name\t3\t\n")
    first = corpus.load(Ecosystem.PYPI, f)   # parses and writes the cache
    second = corpus.load(Ecosystem.PYPI, f)  # reads the cache
    assert first.targets == second.targets and [t.key for t in second.targets] == ["requests", "python-dateutil"]
    f.write_text("name\trank\tpopularity\nnumpy\t1\t\n")
    assert [t.key for t in corpus.load(Ecosystem.PYPI, f).targets] == ["numpy"]  # a changed file is re-read
    f.write_text("name\trank\n")
    import pytest as _pytest

    from confuguard.errors import DataError
    with _pytest.raises(DataError, match="header"):
        corpus.load(Ecosystem.PYPI, f)


TARGETS = ["requests", "python-dateutil", "opencv-python", "pycurl", "matplotlib", "django-rest-framework",
           "numpy", "lodash", "mysql-connector", "beautifulsoup4"]
QUERIES = ["reqeusts", "dateutil-python", "openvc", "libcurl", "matplatlib-plus", "rest-framework-django",
           "numpyy", "mysql", "bs4-beautifulsoup", "zzz-unrelated"]


def test_lookup_tables_are_cached_and_a_damaged_cache_is_rebuilt(tmp_path):
    listing = tmp_path / "pypi.tsv"
    listing.write_text("name\trank\tpopularity\n" + "".join(f"{n}\t{i + 1}\t\n" for i, n in enumerate(TARGETS)))
    corpus = corpus_mod.load(Ecosystem.PYPI, listing)
    fresh = CandidateGenerator(corpus, cache=False)

    def same_as_fresh(gen: CandidateGenerator) -> bool:
        return all(dict(gen.propose(p).found_by) == dict(fresh.propose(p).found_by)
                   for p in (names.parse(q, Ecosystem.PYPI) for q in QUERIES))

    table = prepare_tables(corpus)
    assert table is not None and postings.load(table) is not None
    assert same_as_fresh(CandidateGenerator(corpus))
    stale, other = table.with_name("pypi-0000-1111.npz"), table.with_name("npm-0000-1111.npz")
    for damage in (b"not an npz", table.read_bytes()[: table.stat().st_size // 2]):
        stale.write_bytes(b"an older list's tables")
        other.write_bytes(b"another registry's tables")
        table.write_bytes(damage)
        assert same_as_fresh(CandidateGenerator(corpus))  # rebuilt, not a crash
        assert postings.load(table) is not None  # and saved again,
        assert not stale.exists() and other.exists()  # replacing only this registry's stale tables


def test_postings_round_trip_through_arrays():
    p = postings.Postings.of({"b": [3, 1], "a": [2], "": [0]})
    q = postings.Postings.from_arrays(p.arrays("m"), "m")
    assert q.keys() == ["", "a", "b"] and q.get("b") == [3, 1] and q.get("") == [0] and q.get("zz") == []
    empty = postings.Postings.from_arrays(postings.Postings.of({}).arrays("e"), "e")
    assert len(empty) == 0 and empty.get("a") == []
