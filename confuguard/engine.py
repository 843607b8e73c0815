"""The detection engine: name -> candidates -> categories -> verdict. Built once, used many times.

    engine = Engine()                       # nothing loaded yet
    result = engine.check_name("reqeusts", Ecosystem.PYPI)
    result.verdict, result.candidates[0].target

Corpora, generators and FAISS indexes load lazily per registry, once, behind a lock, so
the CLI, the sweep and the HTTP service share one engine.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence

import numpy as np
from rapidfuzz.distance import OSA, Levenshtein

from confuguard import corpus as corpus_mod
from confuguard import names, namespaces
from confuguard.batching import grouped
from confuguard.candidates import CandidateGenerator, squash
from confuguard.categories import RULES, classify, sibling, skeleton
from confuguard.corpus import Corpus
from confuguard.errors import InputError
from confuguard.models.embedder import Encoder, default_encoder
from confuguard.models.index import Embeddings, load_embeddings
from confuguard.types import (
    Candidate,
    Category,
    CheckResult,
    Ecosystem,
    Finding,
    PackageId,
    Verdict,
)
from confuguard.wide import wide_findings

MAX_CANDIDATES = 5
#: At most this many proposed targets of one name are classified, so no name costs more than
#: a few tens of milliseconds (ordinary names have far fewer once pruned). The first kept are
#: those found by the most direct generators, then by more generators, then the most popular.
MAX_CLASSIFY = 160
_DIRECT = frozenset({"edit", "form", "leaf", "namespace", "core"})
#: Why a wide look-alike (`confuguard.wide`) is benign when no classifier judges.
WIDE_UNJUDGED = "named like a popular package in a way plugins and forks are named too; alerted only on evidence from its record"

#: What the name-level pass (`Engine.propose_many`) gives for one package: its result when it is
#: itself popular, else its candidates, to be judged.
Proposed = CheckResult | tuple[Candidate, ...]

#: Confusability floor per category: how strongly the category alone says "looks the same" (`categories.RULES`).
CATEGORY_STRENGTH: dict[Category, float] = {r.category: r.strength for r in RULES}
_BULK = 512
log = logging.getLogger(__name__)
#: Short names (4-5 characters) need a finger-slip edit to count as typos, except for the most
#: popular targets: any one-character change of one of these is reported (`numipy` for `numpy`).
TOP_TARGETS = 100
#: Targets ranked past this (npm's 25,001-50,000) are the long tail: they are there to catch the
#: attacks aimed at them (typos, dependency confusion on `@azure/arm-*`), so only character-level
#: tricks (typo, look-alike characters) and namespace confusion count against them. Word and
#: separator rules (affix, word forms, reordering, delimiters) on a name this far down the list
#: match ordinary naming far more often than an attack.
TAIL_RANK = 25000
_TAIL_CATEGORIES = frozenset(r.category for r in RULES if r.tail)

#: Judges candidates: gets the suspect and its candidates (best first), returns them with
#: `threat_probability`, `verdict` (SUSPICIOUS or BENIGN) and `reasons` filled.
Judge = Callable[[PackageId, tuple[Candidate, ...]], tuple[Candidate, ...]]


class _Registry:
    """What the engine holds for one registry."""

    def __init__(self, corpus: Corpus, generator: CandidateGenerator) -> None:
        self.corpus = corpus
        self.generator = generator
        self.by_key = corpus.by_key()


class Engine:
    """Finds the popular packages a name imitates and says how."""

    def __init__(
        self,
        corpora: dict[Ecosystem, Corpus] | None = None,
        *,
        encoder: Callable[[], Encoder] | None = default_encoder,
        embeddings: Callable[[Corpus, Callable[[], Encoder] | None], Embeddings] = load_embeddings,
        judge: Judge | None = None,
    ) -> None:
        """`corpora` overrides the bundled lists; `encoder=None` disables the embedding generator
        (the encoder only runs to build word vectors missing from the cache);
        `judge` (the benign classifier) decides each candidate's verdict, else every candidate is suspicious."""
        self._corpora = {(c.ecosystem, c.kind): c for c in (corpora or {}).values()}
        self.judge = judge
        self.threads = -1
        """Threads for the bulk edit-distance scan (-1: all cores); worker processes set 1."""
        self._encoder_factory = encoder
        self._embeddings_loader = embeddings
        self._registries: dict[tuple[Ecosystem, str | None], _Registry] = {}
        self._lock = threading.RLock()

    def registry(self, ecosystem: Ecosystem, kind: str | None = None) -> _Registry:
        """The loaded state of one registry's target list (loads it on first use); `kind` picks another
        list of the registry (`dataset`: Hugging Face datasets)."""
        slot = (ecosystem, kind)
        reg = self._registries.get(slot)
        if reg is None:
            with self._lock:
                reg = self._registries.get(slot)
                if reg is None:
                    started = time.perf_counter()
                    corpus = self._corpora.get(slot) or corpus_mod.load(ecosystem, kind=kind)
                    factory = None
                    if self._encoder_factory is not None:
                        enc = self._encoder_factory
                        factory = lambda c=corpus: self._embeddings_loader(c, enc)  # noqa: E731
                    reg = _Registry(corpus, CandidateGenerator(corpus, factory))
                    self._registries[slot] = reg
                    log.info("%s: %d targets loaded in %.2f s", corpus.label, len(corpus.targets),
                             time.perf_counter() - started)
        return reg

    def warm(self, ecosystems: Iterable[Ecosystem]) -> None:
        """Load corpora, word vectors and indexes now rather than on the first check."""
        for eco in ecosystems:
            self.registry(eco).generator.embeddings  # noqa: B018 (loads them)

    def check_name(self, text: str, ecosystem: Ecosystem) -> CheckResult:
        """Check one name as typed by a user (invalid names give an INVALID result, not an error)."""
        return self.check_names([text], ecosystem)[0]

    def check_names(self, texts: Sequence[str], ecosystem: Ecosystem) -> list[CheckResult]:
        """Check many names of one registry; invalid ones come back with verdict INVALID."""
        results: list[CheckResult | None] = [None] * len(texts)
        valid: list[tuple[int, PackageId]] = []
        for i, text in enumerate(texts):
            try:
                valid.append((i, names.parse(text, ecosystem)))
            except InputError as exc:
                results[i] = self._invalid(text, ecosystem, str(exc))
        for (i, _), res in zip(valid, self.check_many([p for _, p in valid])):
            results[i] = res
        return [r for r in results if r is not None]

    def check(self, pkg: PackageId) -> CheckResult:
        """Check one parsed package."""
        return self.check_many([pkg])[0]

    def check_many(self, pkgs: Sequence[PackageId]) -> list[CheckResult]:
        """Check parsed packages (any mix of registries); embeddings and edit scans run in bulk."""
        return self.judge_all(pkgs, self.propose_many(pkgs))

    def propose_many(self, pkgs: Sequence[PackageId]) -> list[Proposed]:
        """The name-level half of `check_many`: per package its result when it is itself popular, else its
        candidates, not yet judged. It reads no metadata and no store, so forked workers can run it."""
        return grouped(pkgs, lambda p: (p.ecosystem, p.kind),
                       lambda group, part: self._propose_chunk(self.registry(*group), part), chunk=_BULK)

    def judge_all(self, pkgs: Sequence[PackageId], proposed: Sequence[Proposed]) -> list[CheckResult]:
        """The results of `propose_many`'s output for `pkgs`: the judge decides each candidate."""
        return [p if isinstance(p, CheckResult) else _result(pkg, self._judged(pkg, p)) for pkg, p in zip(pkgs, proposed)]

    def _propose_chunk(self, reg: _Registry, pkgs: list[PackageId]) -> list[Proposed]:
        gen = reg.generator
        results: list[Proposed | None] = [None] * len(pkgs)
        todo: list[int] = []
        for i, pkg in enumerate(pkgs):
            target = reg.by_key.get(names.key(pkg))
            if target is not None:
                results[i] = CheckResult(
                    query=str(pkg), ecosystem=pkg.ecosystem, verdict=Verdict.POPULAR, package=pkg,
                    reasons=(f"{target.package} is itself a popular {names.kind_label(pkg)} (rank {target.rank})",),
                )
            else:
                todo.append(i)
        if not todo:
            return [r for r in results if r is not None]
        near = gen.near_keys_many([names.key(pkgs[i]) for i in todo], workers=self.threads)
        vectors = {j: v for j, i in enumerate(todo) if (v := gen.vector(pkgs[i])) is not None}
        for j, i in enumerate(todo):
            pkg = pkgs[i]
            props = gen.propose(pkg, vectors.get(j), near_keys=near[j])
            results[i] = self._candidates(reg, pkg, props.found_by, vectors.get(j))
        return [r for r in results if r is not None]

    def _judged(self, pkg: PackageId, cands: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
        """Candidates with verdicts: the judge decides those not decided already (same-namespace siblings), in place."""
        todo = tuple(c for c in cands if c.verdict is None)
        done = self.judge(pkg, todo) if todo and self.judge else _unjudged(todo)
        if len(done) != len(todo):  # a judge that drops candidates: keep what it returned, then the siblings
            return tuple(done) + tuple(c for c in cands if c.verdict is not None)
        it = iter(done)
        return tuple(next(it) if c.verdict is None else c for c in cands)

    def _candidates(self, reg: _Registry, pkg: PackageId, found: dict[int, set[str]], vector: np.ndarray | None) -> tuple[Candidate, ...]:
        if not found:
            return ()
        targets = reg.corpus.targets
        positions = sorted(found) if len(found) <= MAX_CLASSIFY else sorted(shortlist(found))
        sims: dict[int, float] = {}
        emb = reg.generator.embeddings if vector is not None else None
        if emb is not None and vector is not None:
            vecs = emb.index.index.reconstruct_batch(np.asarray(positions, dtype=np.int64))
            sims = dict(zip(positions, (vecs @ vector).tolist()))
        key = names.key(pkg)
        cands = []
        for pos in positions:
            t = targets[pos]
            findings = classify(pkg, t.package)
            same_owner = () if findings else sibling(pkg, t.package)
            dist = OSA.distance(key, t.key)
            if same_owner:
                cands.append(_sibling(pkg, t, same_owner, dist, found[pos]))
                continue
            findings, wide = target_findings(pkg, t, findings, dist)
            if not findings:
                continue
            sim = sims.get(pos)
            # a wide shape says little on its own: it ranks by name and embedding similarity only
            score = max(
                0.0 if wide else max(CATEGORY_STRENGTH[f.category] for f in findings),
                Levenshtein.normalized_similarity(squash(key), squash(t.key)),
                sim or 0.0,
            )
            cands.append(Candidate(
                target=t.package, target_rank=t.rank, findings=findings, score=round(min(1.0, score), 4),
                edit_distance=dist, embedding_similarity=None if sim is None else round(sim, 4),
                found_by=frozenset(found[pos]), needs_evidence=wide,
            ))
        cands.sort(key=lambda c: (-c.score, c.target_rank))
        return tuple(_drop_echoes(cands)[:MAX_CANDIDATES])

    def _invalid(self, text: str, ecosystem: Ecosystem, reason: str) -> CheckResult:
        """INVALID result; a non-ASCII name whose ASCII skeleton imitates a target says so."""
        cands: tuple[Candidate, ...] = ()
        if len(text) > names.MAX_INPUT:
            text = text[: names.MAX_INPUT]  # what is reported of a name no registry allows, not all of it
        elif not text.isascii() and len(text) <= names.max_length(ecosystem):
            ascii_form = skeleton(text)
            try:
                pkg = names.parse(ascii_form, ecosystem)
            except InputError:
                pkg = None
            if pkg is not None:
                reg = self.registry(ecosystem, pkg.kind)
                target = reg.by_key.get(names.key(pkg))
                if target is not None:
                    finding = Finding(Category.HOMOGLYPH, f"non-ASCII look-alike characters spell {target.package}")
                    cands = (Candidate(target.package, target.rank, (finding,), 1.0, 0, None, frozenset({"form"})),)
                else:
                    cands = tuple(
                        Candidate(c.target, c.target_rank, (Finding(Category.HOMOGLYPH, "non-ASCII look-alike characters"),) + c.findings,
                                  c.score, c.edit_distance, c.embedding_similarity, c.found_by)
                        for c in self.check(pkg).candidates
                    )
        reasons = (reason,) + ((f"imitates {cands[0].target} with look-alike characters",) if cands else ())
        return CheckResult(query=text, ecosystem=ecosystem, verdict=Verdict.INVALID, candidates=cands, reasons=reasons)


def shortlist(found: dict[int, set[str]], limit: int = MAX_CLASSIFY) -> list[int]:
    """The `limit` proposed positions most worth classifying (direct generators, agreement, popularity)."""
    return sorted(found, key=lambda pos: (not (found[pos] & _DIRECT), -len(found[pos]), pos))[:limit]


#: A target this many times less popular than another candidate's, and within ECHO_EDITS of
#: its name, is that package's own echo (`loadash` next to `lodash`): only the original is reported.
ECHO_RANK_RATIO = 10
ECHO_EDITS = 1


def target_findings(pkg: PackageId, t: corpus_mod.Target, findings: tuple[Finding, ...],
                    dist: int) -> tuple[tuple[Finding, ...], bool]:
    """The findings a candidate on popular target `t` carries, given the confusion rules' `findings` and the
    keys' edit distance: a one-typo slip of a top name counts, a tail target only for its own categories, and
    where no rule fires, a wide shape (`confuguard.wide`). Second: whether it is a wide (`needs_evidence`) one."""
    if not findings and dist == 1 and t.rank <= TOP_TARGETS and len(t.key) >= 4 and t.namespace is None:
        findings = (Finding(Category.TYPO, f"one typo away from '{t.key}', one of the {TOP_TARGETS} most "
                                           f"popular {pkg.ecosystem.value} packages"),)
    if t.rank > TAIL_RANK:
        findings = findings if any(f.category in _TAIL_CATEGORIES for f in findings) else ()
    if findings:
        return findings, False
    wide = wide_findings(pkg, t)
    return wide, bool(wide)


def _drop_echoes(cands: list[Candidate]) -> list[Candidate]:
    """Candidates minus the targets that are themselves look-alikes of a far more popular candidate target."""
    keys = [squash(names.key(c.target)) for c in cands]
    return [
        c for i, c in enumerate(cands)
        if not any(
            d.target_rank * ECHO_RANK_RATIO <= c.target_rank and OSA.distance(keys[i], keys[j], score_cutoff=ECHO_EDITS) <= ECHO_EDITS
            for j, d in enumerate(cands) if j != i
        )
    ]


def _sibling(pkg: PackageId, t: corpus_mod.Target, findings: tuple[Finding, ...], dist: int,
             found_by: set[str]) -> Candidate:
    """A look-alike in the target's own namespace: shown, and benign because only the owner can publish there."""
    score = max(CATEGORY_STRENGTH[f.category] for f in findings)
    return Candidate(target=t.package, target_rank=t.rank, findings=findings, score=score, edit_distance=dist,
                     embedding_similarity=None, found_by=frozenset(found_by), threat_probability=0.0,
                     verdict=Verdict.BENIGN, reasons=(namespaces.owner_only(pkg),))


def _unjudged(cands: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Without a classifier every candidate is suspicious, but a wide look-alike, which needs evidence no one weighed."""
    return tuple(
        dataclasses.replace(c, verdict=Verdict.BENIGN, reasons=(WIDE_UNJUDGED,)) if c.needs_evidence
        else dataclasses.replace(c, verdict=Verdict.SUSPICIOUS)
        for c in cands
    )


def _result(pkg: PackageId, cands: tuple[Candidate, ...]) -> CheckResult:
    if not cands:
        return CheckResult(query=str(pkg), ecosystem=pkg.ecosystem, verdict=Verdict.CLEAN, package=pkg,
                           reasons=(f"no popular {names.kind_label(pkg)} is imitated",))
    threats = [c for c in cands if c.verdict is Verdict.SUSPICIOUS]
    best = threats[0] if threats else cands[0]
    detail = "; ".join(f"{f.category.value}: {f.detail}" for f in best.findings[:2])
    if threats:
        reason = f"imitates {best.target} (rank {best.target_rank}): {detail}"
        verdict = Verdict.SUSPICIOUS
    else:
        reason = f"resembles {best.target} ({detail}) but looks harmless"
        verdict = Verdict.BENIGN
    if best.reasons:
        reason += f"; {best.reasons[0]}"
    ordered = tuple(threats) + tuple(c for c in cands if c.verdict is not Verdict.SUSPICIOUS)
    return CheckResult(query=str(pkg), ecosystem=pkg.ecosystem, verdict=verdict, package=pkg,
                       candidates=ordered, reasons=(reason,))
