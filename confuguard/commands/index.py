"""`confuguard index build`: build (or rebuild) the cached FAISS indexes and candidate lookup tables."""

from __future__ import annotations

import argparse
import time

from confuguard.commands import show_help
from confuguard.ecosystems import spec
from confuguard.errors import ExitCode
from confuguard.types import Ecosystem


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `index` subcommand."""
    p = sub.add_parser("index", help="manage the cached embedding indexes")
    isub = p.add_subparsers(dest="index_command", metavar="ACTION")
    b = isub.add_parser("build", help="encode the word vectors, build the FAISS index and the candidate lookup tables of each registry's popular names")
    b.add_argument("-r", "--registry", action="append", default=None,
                   help="registry to build (repeatable; default: all)")
    b.add_argument("--encoder", choices=["numpy", "sentence-transformers"], default="numpy",
                   help="encoder for missing word vectors: numpy (default) or the reference sentence-transformers; same vectors")
    b.add_argument("--force", action="store_true", help="rebuild the indexes and tables even if fresh ones are cached")
    b.set_defaults(func=build)
    p.set_defaults(func=show_help(p))


def build(args: argparse.Namespace) -> int:
    """Build the word vectors and indexes and report their size and time."""
    from confuguard import corpus
    from confuguard.candidates import prepare_tables
    from confuguard.models.embedder import MiniLMEncoder, SentenceTransformerEncoder
    from confuguard.models.index import index_path, load_embeddings

    ecos = [Ecosystem.parse(r) for r in args.registry] if args.registry else list(Ecosystem)
    encoder = SentenceTransformerEncoder if args.encoder == "sentence-transformers" else MiniLMEncoder
    for eco in ecos:
        for kind in spec(eco).kinds:
            start = time.perf_counter()
            c = corpus.load(eco, kind=kind)
            emb = load_embeddings(c, encoder, rebuild=args.force)
            tables = prepare_tables(c, force=args.force)
            print(f"{c.label}: {len(emb.index)} names indexed ({len(emb.words)} word vectors) in "
                  f"{time.perf_counter() - start:.1f}s -> {index_path(c)}, lookup tables -> {tables}")
    return ExitCode.OK
