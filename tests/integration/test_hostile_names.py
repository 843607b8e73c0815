"""Hostile names: over-long names are refused with a reason, and no name, whatever its length or
shape, escapes the parser with an exception or makes the candidate search do unbounded work.

Work is asserted on deterministic counters (`Proposals.probes`, the number of proposals that
reach classification), never on wall time; `bench/hostile_names.py` measures the time and memory.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confuguard import names
from confuguard.cli import main
from confuguard.engine import MAX_CLASSIFY, Engine, shortlist
from confuguard.errors import InputError
from confuguard.types import Ecosystem as E
from confuguard.types import Verdict

#: Every generator caps its lookups (word runs, one-deletion keys, word pairs) independently of
#: the name's length, so `probe_bound` is a constant per registry; ordinary names make tens.
PROBE_LIMIT = 12_000


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(encoder=None)


def _over_long(eco: E) -> str:
    cap = names.MAX_LENGTH[eco]
    return {
        E.MAVEN: "com.example:" + "a" * cap,
        E.GOLANG: "github.com/owner/" + "a" * cap,
        E.HUGGINGFACE: "author/" + "a" * cap,
    }.get(eco, "a" * (cap + 1))


def _ab(n: int, sep: str = "-") -> str:
    return sep.join(["ab"] * (n // 3))


def hostile(eco: E) -> list[str]:
    """Valid names just under the caps, in shapes that made the old generators cubic or quadratic."""
    cap = names.MAX_LENGTH[eco]
    if eco is E.MAVEN:
        return [_ab(250, ".") + ":" + _ab(250), "a" * 250 + ":" + "b" * 250]
    if eco is E.GOLANG:
        return ["github.com/" + _ab(200) + "/" + _ab(250), "example.com/" + "/".join(["ab"] * 160),
                "go.example.org/" + "/".join(["ab-ab"] * 80)]
    if eco is E.HUGGINGFACE:
        return [_ab(96) + "/" + _ab(96), "a" * 96]
    if eco is E.NPM:
        return [_ab(cap), "@" + _ab(60) + "/" + _ab(140), "a" * cap,
                "-".join(["react", "vue", "lodash", "express", "core", "utils"] * 5)]
    return [_ab(cap), ".".join(["a"] * (cap // 2)), "a" * cap,
            "-".join(["django", "requests", "numpy", "flask", "core", "utils"] * 6)]


@pytest.mark.parametrize("eco", list(E))
def test_over_long_name_is_invalid_with_a_reason(engine, eco):
    text = _over_long(eco)
    res = engine.check_name(text, eco)
    assert res.verdict is Verdict.INVALID
    assert len(res.reasons) == 1 and "at most" in res.reasons[0] and "\n" not in res.reasons[0]
    assert len(res.reasons[0]) < 300  # an excerpt of the name, not all of it


def test_npm_length_counts_the_scope(engine):
    assert engine.check_name("@" + "s" * 100 + "/" + "n" * 113, E.NPM).verdict is Verdict.INVALID
    assert engine.check_name("@" + "s" * 100 + "/" + "n" * 112, E.NPM).verdict is not Verdict.INVALID


def test_names_at_the_cap_are_judged(engine):
    for eco, text in ((E.PYPI, "a" * 255), (E.HUGGINGFACE, "a" * 96 + "/" + "b" * 96),
                      (E.MAVEN, "g" * 255 + ":" + "a" * 255), (E.GOLANG, "github.com/o/" + "r" * 255)):
        assert engine.check_name(text, eco).verdict is Verdict.CLEAN


def test_a_megabyte_name_is_refused_without_being_echoed(engine):
    text = "\u0430" * 1_000_000  # Cyrillic: would otherwise be folded to ASCII and judged
    res = engine.check_name(text, E.PYPI)
    assert res.verdict is Verdict.INVALID and len(res.reasons[0]) < 300
    assert len(res.query) <= names.MAX_INPUT


@pytest.mark.parametrize("eco", list(E))
def test_hostile_shapes_do_bounded_work(engine, eco):
    gen = engine.registry(eco).generator
    assert gen.probe_bound <= PROBE_LIMIT
    for text in hostile(eco):
        pkg = names.parse(text, eco)
        props = gen.propose(pkg)
        assert props.probes <= gen.probe_bound, (text[:40], props.probes)
        assert engine.check_name(text, eco).verdict is not Verdict.INVALID


@pytest.mark.parametrize(("text", "eco"), [("_", E.HUGGINGFACE), ("__", E.HUGGINGFACE), ("~", E.NPM),
                                         ("_:_", E.MAVEN), ("a.b/_", E.GOLANG)])
def test_names_without_letters_or_digits_are_judged(engine, text, eco):
    assert engine.check_name(text, eco).verdict is Verdict.CLEAN


def test_many_proposals_are_cut_to_the_most_direct():
    found = {pos: {"token"} for pos in range(1000)}
    found[999] = {"edit"}
    found[500] = {"affix", "token"}
    kept = shortlist(found, 10)
    assert len(kept) == 10 and kept[0] == 999 and kept[1] == 500 and kept[2:] == list(range(8))


def test_cli_over_long_name_one_line_exit_2(capsys):
    code = main(["check", "--registry", "pypi", "--no-embeddings", "--no-classifier", "-f", "json", "a" * 300])
    out, err = capsys.readouterr()
    assert code == 2 and json.loads(out)["verdict"] == "invalid"
    assert err.count("\n") == 1 and "Traceback" not in err and "at most 255" in err
    assert len(err) < 300


# -------------------------------------------------------------------------------------------------
# fuzz: arbitrary text per registry

_SEPS = "-_.~/:@"
_PIECE = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12),  # any non-surrogate Unicode
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789" + _SEPS, max_size=40),
    st.sampled_from(["react", "django", "requests", "lodash", "core", "utils", "py", "js", "v2", "rn", "github.com/",
                     "@types/", "com.google.", ":", "/", "\u0430", "\u0435", "\uff52"]),
)
_NAME = st.one_of(
    st.lists(_PIECE, max_size=12).map("".join),
    # long: a piece repeated up to and past the caps
    st.tuples(st.lists(_PIECE, min_size=1, max_size=3).map("".join), st.integers(1, 400),
              st.sampled_from(["", "-", ".", "/", ":"])).map(lambda t: t[2].join([t[0]] * t[1])),
)


@pytest.mark.parametrize("eco", list(E))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(text=_NAME)
def test_fuzz_no_exception_and_bounded_work(engine, eco, text):
    try:
        pkg = names.parse(text, eco)
    except InputError as exc:
        msg = str(exc)
        assert "\n" not in msg and len(msg) < 400
        pkg = None
    if pkg is not None:
        gen = engine.registry(eco).generator
        props = gen.propose(pkg)
        assert props.probes <= gen.probe_bound
        assert len(shortlist(props.found_by)) <= MAX_CLASSIFY
    res = engine.check_name(text, eco)
    assert (res.verdict is Verdict.INVALID) == (pkg is None)
    assert all("\n" not in r for r in res.reasons)
