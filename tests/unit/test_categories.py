"""Confusion-category detectors: real attack examples per registry that must fire, negatives that must not."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confuguard import names
from confuguard.categories import classify, sibling, skeleton, token_family_size
from confuguard.errors import InputError
from confuguard.types import Category, Ecosystem

C = Category
NPM, PYPI, GEM, MVN, GO, HF = (
    Ecosystem.NPM,
    Ecosystem.PYPI,
    Ecosystem.RUBYGEMS,
    Ecosystem.MAVEN,
    Ecosystem.GOLANG,
    Ecosystem.HUGGINGFACE,
)
NEUPANE = (Path(os.environ["CONFUGUARD_EVAL_DIR"]) if os.environ.get("CONFUGUARD_EVAL_DIR")
           else Path(__file__).resolve().parents[3] / "shared" / "eval") / "NeupaneDB_real_malware.csv"


def cats(suspect: str, target: str, eco: Ecosystem, **kw) -> list[Category]:
    return [f.category for f in classify(names.parse(suspect, eco), names.parse(target, eco), **kw)]


def fires(category: Category, cases: list[tuple[str, str, Ecosystem]]) -> None:
    bad = [(s, t, e.value, cats(s, t, e)) for s, t, e in cases if category not in cats(s, t, e)]
    assert not bad, f"{category.value} did not fire on: {bad}"


def silent(cases: list[tuple[str, str, Ecosystem]]) -> None:
    bad = [(s, t, e.value, cats(s, t, e)) for s, t, e in cases if cats(s, t, e)]
    assert not bad, f"fired on benign pairs: {bad}"


# ---------------------------------------------------------------------------------------------- positives


def test_typo() -> None:
    fires(
        C.TYPO,
        [
            ("crytpo-js", "crypto-js", NPM),
            ("babel-loadre", "babel-loader", NPM),
            ("lodahs", "lodash", NPM),
            ("axois", "axios", NPM),
            ("smplejson", "simplejson", PYPI),
            ("reqeusts", "requests", PYPI),
            ("djago", "django", PYPI),
            ("rest-clinet", "rest-client", GEM),
            ("activerecrod", "activerecord", GEM),
            ("org.evil:jackson-databnd", "com.fasterxml.jackson.core:jackson-databind", MVN),
            ("github.com/evil/testfy", "github.com/stretchr/testify", GO),
            # no length cap (Typomind stops at 35 characters)
            (
                "azure-mgmt-recoveryservicesbackup-passivestamp-extended",
                "azure-mgmt-recoveryservicesbackup-passivestamp-extendd",
                PYPI,
            ),
        ],
    )


def test_typo_detail_says_what_changed() -> None:
    (f,) = classify(names.parse("crytpo-js", NPM), names.parse("crypto-js", NPM))
    assert f.category is C.TYPO and "swaps" in f.detail


def test_short_names_need_a_finger_slip() -> None:
    # under 6 characters only swaps, dropped/doubled letters and neighbouring keys count
    assert C.TYPO in cats("chak", "chalk", NPM)
    assert C.TYPO in cats("hulp", "gulp", NPM)
    assert cats("zuid", "uuid", NPM) == []  # 'z' for 'u': far apart on the keyboard
    assert cats("qs", "ms", NPM) == []


def test_homoglyph_ascii_and_unicode() -> None:
    fires(
        C.HOMOGLYPH,
        [
            ("jeilyfish", "jellyfish", PYPI),
            ("diango", "django", PYPI),
            ("bitcoimd-rpc", "bitcoind-rpc", NPM),
            ("k0a_multer", "koa-multer", NPM),
            ("rnatplotlib", "matplotlib", PYPI),  # rn for m
            ("vvebpack", "webpack", NPM),  # vv for w
            ("c1ick", "click", PYPI),
        ],
    )
    assert C.DELIMITER in cats("k0a_multer", "koa-multer", NPM)
    # Unicode: the parser only accepts ASCII for most registries, so go through skeleton
    assert skeleton("rеquests") == "requests"  # Cyrillic е
    assert skeleton("ｌodash") == "lodash"  # fullwidth l
    assert skeleton("αxios") == "axios"  # Greek alpha
    assert skeleton("plain-ascii") == "plain-ascii"


def test_homoglyph_unicode_in_parsed_name() -> None:
    # a PackageId built directly (as the engine may for registries that allow it)
    from confuguard.types import PackageId

    f = classify(PackageId(HF, "Llama-3.1-8B", "meta-llamа"), PackageId(HF, "Llama-3.1-8B", "meta-llama"))
    assert f and f[0].category in (C.HOMOGLYPH, C.SCOPE)
    f = classify(PackageId(PYPI, "rеquests"), PackageId(PYPI, "requests"))
    assert [x.category for x in f] == [C.HOMOGLYPH]
    assert "cyrillic" in f[0].detail


def test_delimiter() -> None:
    fires(
        C.DELIMITER,
        [
            ("crossenv", "cross-env", NPM),
            ("active-support", "activesupport", NPM),
            ("nothing-js", "nothing.js", NPM),
            ("setup-tools", "setuptools", PYPI),
            ("easyinstall", "easy_install", PYPI),
            ("atlas-client", "atlas_client", GEM),
            ("acts-as_journalized", "acts_as_journalized", GEM),
        ],
    )


def test_affix() -> None:
    fires(
        C.AFFIX,
        [
            ("axios-http", "axios", NPM),
            ("twilio-npm", "twilio", NPM),
            ("commander-js", "commander", NPM),
            ("node-opencv", "opencv", NPM),
            ("jquery.js", "jquery", NPM),
            ("d3.js", "d3", NPM),
            ("mysqljs", "mysql", NPM),
            ("python3-dateutil", "dateutil", PYPI),
            ("mllearnlib", "mllearn", PYPI),
            ("matplatlib-plus", "matplotlib", PYPI),  # affix on top of a typo
            ("rails-official", "rails", GEM),
        ],
    )


def test_alternate_spelling() -> None:
    fires(
        C.ALTERNATE_SPELLING,
        [("colour-string", "color-string", NPM), ("colourama", "colorama", PYPI), ("normaliser", "normalizer", NPM)],
    )


def test_simplification() -> None:
    # `django-server` -> `django-server-guardian-api` is not reported: `django-<x>` is an extension family
    assert C.SIMPLIFICATION not in cats("django-server", "django-server-guardian-api", PYPI)
    fires(
        C.SIMPLIFICATION,
        [
            ("apidev-coop", "apidev-coop_cms", PYPI),
            ("smb", "pysmb", PYPI),
            ("dateutil", "python-dateutil", PYPI),
        ],
    )


def test_reordering() -> None:
    fires(
        C.REORDERING,
        [
            ("mysql-koa", "koa-mysql", NPM),
            ("import-mysql", "mysql-import", NPM),
            ("pythonkafka", "kafka-python", PYPI),
            ("dateutil-python", "python-dateutil", PYPI),
            ("libhtml5", "html5lib", PYPI),
            ("python-mysql", "MySQL-python", PYPI),
            ("python-nmap", "nmap-python", PYPI),
        ],
    )


def test_semantic_substitution() -> None:
    fires(
        C.SEMANTIC_SUBSTITUTION,
        [
            ("electron-native-notify", "electron-native-notification", NPM),
            ("python-sqlite", "pysqlite", PYPI),
            ("python-mongo", "pymongodb", PYPI),
            ("lodash-javascript", "lodash-js", NPM),
        ],
    )


def test_semantic_with_token_similarity() -> None:
    def sim(a: str, b: str) -> float:
        return 0.9 if {a, b} == {"fetch", "retrieve"} else 0.1

    assert C.SEMANTIC_SUBSTITUTION in cats("node-retrieve", "node-fetch", NPM, token_similarity=sim)
    assert C.SEMANTIC_SUBSTITUTION not in cats("node-retrieve", "node-fetch", NPM)
    assert cats("node-banana", "node-fetch", NPM, token_similarity=sim) == []


def test_asemantic_substitution() -> None:
    fires(
        C.ASEMANTIC_SUBSTITUTION,
        [("discord.app", "discord.js", NPM), ("discord.dll", "discord.js", NPM), ("libcurl", "pycurl", PYPI)],
    )


def test_grammatical_substitution() -> None:
    fires(
        C.GRAMMATICAL_SUBSTITUTION,
        [
            ("require-port", "requires-port", NPM),
            ("require-ports", "requires-port", NPM),
            ("coinpayment", "coinpayments", NPM),
            ("serializes", "serialize", NPM),
            ("body-parse-xml", "body-parser-xml", NPM),
            ("getcookies", "get-cookie", NPM),
            ("koa-body-parse", "koa-bodyparser", NPM),
        ],
    )


def test_homophonic() -> None:
    fires(
        C.HOMOPHONIC,
        [("buffer-zor", "buffer-xor", NPM), ("uglyfi-js", "uglify-js", NPM), ("asinc", "async", NPM), ("uglyfi.js", "uglify-js", NPM)],
    )


def test_version_suffix() -> None:
    fires(
        C.VERSION_SUFFIX,
        [
            ("requests2", "requests", PYPI),
            ("lodash-v4", "lodash", NPM),
            ("react-dom18", "react-dom", NPM),
            ("jquery.3", "jquery", NPM),
            ("mitmproxy2", "mitmproxy", PYPI),
            ("urllib", "urllib3", PYPI),
            ("rails5", "rails", GEM),
        ],
    )


def test_scope_npm() -> None:
    fires(
        C.SCOPE,
        [
            ("cicada-render", "@cicada/render", NPM),
            ("xterm-addon-clipboard", "@xterm/addon-clipboard", NPM),
            ("codemodel", "@autorest/codemodel", NPM),
            ("arm-botservice", "@azure/arm-botservice", NPM),
            ("core-client-1", "@azure/core-client", NPM),
            ("@meer-js/keystores", "@near-js/keystores", NPM),
            ("@typescript_eslinter/eslint", "@typescript-eslint/eslint-plugin", NPM),
            ("@babel-core/core", "@babel/core", NPM),
            ("@cross/env", "cross-env", NPM),
        ],
    )
    assert cats("core-client-1", "@azure/core-client", NPM)[:2] == [C.SCOPE, C.VERSION_SUFFIX]


def test_scope_maven_go_hf() -> None:
    fires(
        C.SCOPE,
        [
            ("org.fasterxml.jackson.core:jackson-databind", "com.fasterxml.jackson.core:jackson-databind", MVN),
            ("com.github.codingandcoding:maven-compiler-plugin", "org.apache.maven.plugins:maven-compiler-plugin", MVN),
            ("org.springfremework:spring-core", "org.springframework:spring-core", MVN),
            ("github.com/boltdb-go/bolt", "github.com/boltdb/bolt", GO),
            ("github.com/ynowk/kernal", "github.com/ynawk/kernal", GO),
            ("gitlab.com/gorilla/mux", "github.com/gorilla/mux", GO),
            ("github.com/sirupsen-go/logrus", "github.com/sirupsen/logrus", GO),
            ("meta-llamma/Llama-3.1-8B", "meta-llama/Llama-3.1-8B", HF),
            ("mistral-ai/Mistral-7B-v0.1", "mistralai/Mistral-7B-v0.1", HF),
            ("meta-llama3/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct", HF),
        ],
    )


def test_leaf_rules_on_namespaced_names() -> None:
    # names with '/' or ':' get every rule, on the artifact / repo / model part too
    assert C.TYPO in cats("github.com/stretchr-go/testfy", "github.com/stretchr/testify", GO)
    assert C.TYPO in cats("io.github.evil:guaava", "com.google.guava:guava", MVN) or C.TYPO in cats(
        "io.github.evil:guavva", "com.google.guava:guava", MVN
    )
    assert C.TYPO in cats("evil/Llama-3.1-8B-Instruc", "meta-llama/Llama-3.1-8B-Instruct", HF)


# ---------------------------------------------------------------------------------------------- negatives


def test_same_package_is_never_a_confusion() -> None:
    silent(
        [
            ("requests", "requests", PYPI),
            ("python-dateutil", "python_dateutil", PYPI),  # PEP 503: the same project
            ("Django", "django", PYPI),
            ("zope.interface", "zope-interface", PYPI),
            ("lodash", "lodash", NPM),
            ("@babel/core", "@babel/core", NPM),
            ("rails", "rails", GEM),
            ("github.com/gorilla/mux/v2", "github.com/gorilla/mux", GO),
            ("github.com/Sirupsen/logrus", "github.com/sirupsen/logrus", GO),
            ("com.google.guava:guava", "com.google.guava:guava", MVN),
            ("meta-llama/Llama-3.1-8B", "meta-llama/llama-3.1-8b", HF),
        ]
    )


def test_same_namespace_siblings_are_benign() -> None:
    silent(
        [
            ("@babel/core", "@babel/cli", NPM),
            ("@babel/parse", "@babel/parser", NPM),
            ("@azure/core-client", "@azure/core-clients", NPM),
            ("com.fasterxml.jackson.core:jackson-core", "com.fasterxml.jackson.core:jackson-databind", MVN),
            ("com.fasterxml.jackson.dataformat:jackson-dataformat-yaml", "com.fasterxml.jackson.core:jackson-core", MVN),
            ("org.apache.commons:commons-lang", "org.apache.commons:commons-lang3", MVN),
            ("github.com/stretchr/objx", "github.com/stretchr/testify", GO),
            ("github.com/sirupsen/logrus-go", "github.com/sirupsen/logrus", GO),
            ("golang.org/x/net", "golang.org/x/text", GO),
            ("meta-llama/Llama-3.2-8B", "meta-llama/Llama-3.1-8B", HF),
            ("mistralai/Mistral-7B-v0.2", "mistralai/Mistral-7B-v0.1", HF),
        ]
    )


def test_same_owner_slip_is_a_sibling_not_a_squat() -> None:
    # only the owner of github.com/stretchr can publish there (issue 17.5): classify stays silent,
    # `sibling` says how the names look alike
    for s, t, eco in [("github.com/stretchr/testfy", "github.com/stretchr/testify", GO),
                      ("@types/nodee", "@types/node", NPM),
                      ("com.fasterxml.jackson.core:jackson-databnd", "com.fasterxml.jackson.core:jackson-databind", MVN),
                      ("google-bert/bert-base-uncasd", "google-bert/bert-base-uncased", HF)]:
        assert cats(s, t, eco) == []
        assert [f.category for f in sibling(names.parse(s, eco), names.parse(t, eco))] == [C.TYPO], s
    # siblings that do not look alike are not reported at all
    assert sibling(names.parse("github.com/stretchr/objx", GO), names.parse("github.com/stretchr/testify", GO)) == ()


def test_extension_families_do_not_flood() -> None:
    silent(
        [
            ("pytest-xdist", "pytest", PYPI),
            ("pytest-cov", "pytest", PYPI),
            ("django-cors-headers", "django", PYPI),
            ("flask-login", "flask", PYPI),
            ("eslint-plugin-react", "eslint", NPM),
            ("eslint-plugin-react", "eslint-plugin-vue", NPM),
            ("babel-plugin-transform-runtime", "babel-plugin-module-resolver", NPM),
            ("@types/node", "node", NPM),
            ("@types/lodash", "lodash", NPM),
            ("lodash", "@types/lodash", NPM),
            ("react-dom", "react", NPM),
            ("react-router-dom", "react-router", NPM),
            ("rspec-rails", "rspec", GEM),
        ]
    )


def test_unrelated_names_and_namespaces() -> None:
    silent(
        [
            ("numpy", "pandas", PYPI),
            ("express", "react", NPM),
            ("flask", "django", PYPI),
            ("@foo/utils", "@bar/utils", NPM),
            ("@web-widget/react", "preact", NPM),
            ("someone/Llama-3.1-8B", "meta-llama/Llama-3.1-8B", HF),  # same model name, unrelated author
            ("github.com/myfork/mux", "github.com/gorilla/mux", GO),  # forks are normal on Go
            ("org.example:core", "com.other:core", MVN),
            ("logger", "log", NPM),
            ("render", "@cicada/render", NPM),  # a generic one-word leaf is not a scope copy
        ]
    )


def test_different_registries_never_match() -> None:
    assert classify(names.parse("requests", PYPI), names.parse("requests", NPM)) == ()


def test_findings_are_ordered_and_unique() -> None:
    for s, t, e in [("k0a_multer", "koa-multer", NPM), ("core-client-1", "@azure/core-client", NPM)]:
        f = classify(names.parse(s, e), names.parse(t, e))
        assert len({x.category for x in f}) == len(f)
        assert all(x.detail for x in f)


def test_token_family_size() -> None:
    assert token_family_size(PYPI, "pytest") > 1000
    assert token_family_size(NPM, "eslint-plugin") > 500
    assert token_family_size(NPM, "types") > 1000
    assert token_family_size(PYPI, "zzqxv-not-a-root") == 0
    assert token_family_size(GEM, "django") >= token_family_size(PYPI, "django") > 0


# ---------------------------------------------------------------------------------------------- data


def test_neupanedb_recall() -> None:
    if not NEUPANE.is_file():
        pytest.skip(f"{NEUPANE} not found: the shared evaluation data is not available here")
    reg = {"npm": NPM, "RubyGems": GEM, "pip": PYPI}
    hit = total = unparsed = same = 0
    misses = []
    with NEUPANE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            eco = reg[row["registry"]]
            try:
                s = names.parse(row["typosquat_pkg"], eco)
                t = names.parse(row["legitimate_pkg"], eco)
            except InputError:
                unparsed += 1
                continue
            if names.key(s) == names.key(t):
                same += 1  # the row names the package itself: never a confusion by definition
                continue
            total += 1
            if classify(s, t):
                hit += 1
            else:
                misses.append(f"{s} -> {t}")
    assert total > 1000, f"only {total} rows parsed ({unparsed} unparseable, {same} same key)"
    assert hit / total >= 0.95, f"recall {hit}/{total} = {hit / total:.3f}; misses: {misses[:30]}"


# ---------------------------------------------------------------------------------------------- properties

_NPM_NAME = st.from_regex(r"[a-z0-9][a-z0-9._~-]{0,30}", fullmatch=True)
_PYPI_NAME = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,30}[A-Za-z0-9])?", fullmatch=True)
_SCOPED = st.builds(lambda s, n: f"@{s}/{n}", st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True), _NPM_NAME)
_GO = st.builds(
    lambda h, o, r: f"{h}/{o}/{r}",
    st.sampled_from(["github.com", "gitlab.com"]),
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True),
    st.from_regex(r"[a-z0-9][a-z0-9._-]{0,12}", fullmatch=True),
)
_MVN = st.builds(
    lambda g, a: f"{g}:{a}",
    st.from_regex(r"(com|org|io)\.[a-z][a-z0-9]{0,8}(\.[a-z][a-z0-9]{0,6})?", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True),
)


def _pair(eco: Ecosystem, strat: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[Ecosystem, str, str]]:
    return st.tuples(st.just(eco), strat, strat)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        _pair(NPM, st.one_of(_NPM_NAME, _SCOPED)),
        _pair(PYPI, _PYPI_NAME),
        _pair(GEM, _PYPI_NAME),
        _pair(GO, _GO),
        _pair(MVN, _MVN),
        _pair(HF, st.builds(lambda a, m: f"{a}/{m}", _PYPI_NAME, _PYPI_NAME)),
    )
)
def test_never_raises_and_is_deterministic(case: tuple[Ecosystem, str, str]) -> None:
    eco, x, y = case
    try:
        s, t = names.parse(x, eco), names.parse(y, eco)
    except InputError:
        return
    first = classify(s, t)
    assert classify(s, t) == first
    assert isinstance(first, tuple)
    assert len({f.category for f in first}) == len(first)
    if names.key(s) == names.key(t):
        assert first == ()
    assert classify(t, t) == ()


@settings(max_examples=200, deadline=None)
@given(_NPM_NAME, st.sampled_from(["js", "-js", ".js", "2", "-v4", "s"]))
def test_mutations_of_a_name_are_seen(base: str, suffix: str) -> None:
    """Appending a filler/version/plural to a specific name is explained by some category."""
    if len(base.replace("-", "").replace(".", "").replace("_", "").replace("~", "")) < 6:
        return
    try:
        s, t = names.parse(base + suffix, NPM), names.parse(base, NPM)
    except InputError:
        return
    if names.key(s) != names.key(t):
        assert classify(s, t)


def test_shuffled_letters_are_typos() -> None:
    assert cats("rceat", "react", NPM) == [C.TYPO]       # a letter moved two places
    assert cats("degbu", "debug", NPM) == [C.TYPO]
    assert C.TYPO in cats("bitcionjslib", "bitcoinjs-lib", NPM)  # swap with the separator dropped
    assert cats("tcaer", "react", NPM) == []             # an anagram is not a slip


def test_typo_of_a_scoped_packages_bare_name_is_not_a_confusion() -> None:
    # users install `@lexical/clipboard`; an unscoped `iclipboard` imitates nothing they type
    assert cats("iclipboard", "@lexical/clipboard", NPM) == []
    assert C.SCOPE in cats("lexical-clipboard", "@lexical/clipboard", NPM)  # folding the scope still is


def test_two_slips_on_a_longer_name_are_typos() -> None:
    # a swap plus a dropped/doubled letter, first letter kept, >= 6 letters
    assert C.TYPO in cats("mogobd", "mongodb", NPM)
    assert C.TYPO in cats("regenraotr", "regenerator", NPM)
    # two drops read as a shortened name, two substitutions as another word: not typos
    assert C.TYPO not in cats("simple", "simple-is", NPM)
    assert C.TYPO not in cats("resistance", "persistence", PYPI)
    assert cats("reqeusts", "grequests", PYPI) == []  # the first letter dropped too
    assert cats("mogbd", "mongo", NPM) == []          # too short for two edits


def test_typo_in_the_core_once_ecosystem_markers_are_dropped() -> None:
    assert cats("openvc", "opencv-python", PYPI) == [C.TYPO]
    (f,) = classify(names.parse("openvc", PYPI), names.parse("opencv-python", PYPI))
    assert "core of 'opencv-python'" in f.detail and "swaps" in f.detail
    assert cats("zuid-js", "uuid", NPM) == []  # a short core still needs a finger slip


def test_version_glued_onto_the_name_before_a_filler() -> None:
    assert C.AFFIX in cats("pytz3-dev", "pytz", PYPI)
    assert cats("pytest3-xdist", "pytest", PYPI) == []  # the extension-family rule still holds


def test_long_numbers_are_identifiers_not_versions() -> None:
    assert cats("react-native-sha1", "react-native-sha256", NPM) == []
    assert cats("iso-8859-6", "iso-639-3", NPM) == []
    assert cats("mcp23008", "mcp", PYPI) == []
    assert C.VERSION_SUFFIX in cats("requests2", "requests", PYPI)
    assert C.VERSION_SUFFIX in cats("discord-selfbot-v11", "discord-selfbot-v13", NPM)


def test_inflection_is_not_a_separate_part() -> None:
    assert C.GRAMMATICAL_SUBSTITUTION not in cats("pytorch-es", "pytorch", PYPI)
    assert C.GRAMMATICAL_SUBSTITUTION in cats("cloudevent", "cloudevents", NPM)


def test_a_one_letter_part_is_an_affix_not_a_typo() -> None:
    # `v-`, `-x` set apart by separators are naming conventions, not finger slips
    assert cats("v-markdown-loader", "markdown-loader", NPM) == [C.AFFIX]
    assert cats("eslint-plugin-import-x", "eslint-plugin-import", NPM) == [C.AFFIX]
    assert cats("viewer", "v-viewer", NPM) == [C.SIMPLIFICATION]
    # glued on, the same letter is a slip
    assert C.TYPO in cats("lodashx", "lodash", NPM)
    assert C.TYPO in cats("react-domx", "react-dom", NPM)


# -- the one table of categories -----------------------------------------------------------------------


def test_every_category_has_exactly_one_rule():
    from confuguard.categories import RULE, RULES

    assert [r.category for r in RULES].count(C.TYPO) == 1
    assert sorted(c.value for c in RULE) == sorted(c.value for c in Category)
    assert len(RULES) == len(Category)


def test_rules_defer_to_and_need_only_rows_above():
    """Rows run in table order, so a row can only depend on the findings of the rows above it."""
    from confuguard.categories import RULES

    seen: set[Category] = set()
    for r in RULES:
        assert r.defers_to <= seen and r.needs <= seen, r.category
        assert 0.0 < r.strength <= 1.0 and r.rule.strip()
        seen.add(r.category)


def test_engine_scores_every_category_from_the_table():
    from confuguard.categories import RULE
    from confuguard.engine import CATEGORY_STRENGTH

    assert CATEGORY_STRENGTH == {c: RULE[c].strength for c in Category}


def test_a_deferring_rule_stays_silent_when_what_it_defers_to_fires():
    # `colour` -> `color` is one edit, but ALTERNATE_SPELLING explains it: TYPO defers to it
    assert cats("colour-string", "color-string", NPM)[:1] == [C.ALTERNATE_SPELLING]
    assert C.TYPO not in cats("colour-string", "color-string", NPM)
    # DELIMITER as a second finding needs a character-level one: a typo with other separators gets both
    assert cats("k0a_multer", "koa-multer", NPM) == [C.HOMOGLYPH, C.DELIMITER]


def test_readme_lists_the_rules_of_the_table():
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[2] / "scripts" / "readme_rules.py"
    run = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
