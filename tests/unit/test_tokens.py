"""Tokenisation and word segmentation of package names."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from confuguard import lexicon
from confuguard.tokens import chunks, flat, raw_chunks, segment, tokenize


def test_delimiters_digits_and_camel_case() -> None:
    assert tokenize("react-dom18") == ("react", "dom", "18")
    assert tokenize("lodash.v4") == ("lodash", "v", "4")
    assert tokenize("DiscordSafety") == ("discord", "safety")
    assert tokenize("JSONStream") == ("json", "stream")
    assert raw_chunks("MySQL-python") == ("my", "sql", "python")
    assert tokenize("MySQL-python") == ("mysql", "python")  # glued form is a known token: not split


def test_word_segmentation_of_glued_names() -> None:
    assert tokenize("pythonkafka") == ("python", "kafka")
    assert tokenize("libhtml5") == ("lib", "html", "5")
    assert tokenize("mysqljs") == ("mysql", "js")
    assert tokenize("getcookies") == ("get", "cookies")
    assert tokenize("coinpayments") == ("coin", "payments")


def test_frequent_tokens_and_unknown_words_stay_whole() -> None:
    for w in ("requests", "setuptools", "matplotlib", "tensorflow", "typescript"):
        assert tokenize(w) == (w,)
    # typos are not shredded into fragments
    assert tokenize("reqeusts") == ("reqeusts",)
    assert tokenize("bitcionjslib") == ("bitcionjslib",)
    assert segment("abcd") == ("abcd",)


def test_flat_and_chunks() -> None:
    assert flat("Foo_Bar.baz-1") == "foobarbaz1"
    assert chunks("@babel/core") == ("babel", "core")


def test_lexicon_loaded() -> None:
    assert lexicon.token_count("python") > 1000
    assert lexicon.is_english("color")
    assert lexicon.spelling()["color"] == "colour"
    assert lexicon.spelling()["colour"] == "color"
    assert lexicon.confusables()["а"] == "a"  # Cyrillic a
    assert "js" in lexicon.term_set("filler_strong")


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=40))
def test_tokenize_total_and_lossless(text: str) -> None:
    toks = tokenize(text)
    assert all(t and t == t.lower() for t in toks)
    assert "".join(toks) == flat(text)
    assert tokenize(text) == toks


def test_core_drops_ecosystem_markers_but_keeps_short_names() -> None:
    from confuguard.tokens import core

    assert core("pycurl") == core("libcurl") == "curl"
    assert core("opencv-python") == "opencv"
    assert core("chart.js") == "chart"
    assert core("requests2") == "requests"
    assert core("numpy") == "numpy"            # 'num' would be too short to mean anything
    assert core("python-ftp") == "pythonftp"   # nor 'ftp'
