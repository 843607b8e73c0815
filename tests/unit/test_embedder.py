"""The NumPy MiniLM encoder gives the reference sentence-transformers vectors."""

import numpy as np
import pytest
from confuguard.models.embedder import MiniLMEncoder, name_text

NAMES = ["requests", "reqeusts", "python-dateutil", "dateutil-python", "@types/node", "meta-llama/Llama-3.1-8B",
         "x", "a-very-long-package-name-with-many-tokens-" * 4]


def test_name_text_splits_delimiters_and_camel_case():
    assert name_text("python_dateutil") == name_text("python-dateutil") == "python dateutil"
    assert name_text("@types/node") == "types node"
    assert name_text("reactDOM") == "react dom"


def test_vectors_are_normalised_and_deterministic():
    enc = MiniLMEncoder()
    a = enc.encode([name_text(n) for n in NAMES])
    b = enc.encode([name_text(n) for n in reversed(NAMES)])[::-1]
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.allclose(a, b, atol=1e-5)  # batching/ordering does not change a vector
    assert enc.encode([]).shape == (0, 384)


def test_token_reordering_lands_close_and_typo_does_not():
    enc = MiniLMEncoder()
    v = enc.encode([name_text(n) for n in ["python-dateutil", "dateutil-python", "requests", "reqeusts"]])
    assert float(v[0] @ v[1]) > 0.9


@pytest.mark.slow
def test_numpy_encoder_matches_sentence_transformers():
    pytest.importorskip("sentence_transformers", reason="reference encoder not installed (pip install .[index])")
    from confuguard.models.embedder import SentenceTransformerEncoder

    texts = [name_text(n) for n in NAMES]
    ours = MiniLMEncoder().encode(texts)
    ref = SentenceTransformerEncoder().encode(texts)
    assert np.min(np.sum(ours * ref, axis=1)) > 0.9999


def test_text_vectors_use_the_shipped_vocabulary_only():
    from confuguard.models.wordvec import TextVectors, text_vocabulary

    vocab = text_vocabulary()
    assert len(vocab) > 10_000 and list(vocab) == sorted(set(vocab))  # fixed by data/lexicon/tokens.tsv
    rng = np.random.default_rng(0)
    m = rng.normal(size=(3, 384)).astype(np.float32)
    tv = TextVectors({"http": 0, "client": 1, "promise": 2}, m / np.linalg.norm(m, axis=1, keepdims=True))
    assert tv.vector(["http"]) is None and tv.vector(["http", "unknownword"]) is None
    v = tv.vector(["http", "client", "unknownword"])
    assert v is not None and abs(float(np.linalg.norm(v)) - 1.0) < 1e-5


def test_the_word_table_is_read_once_and_again_after_a_rewrite(tmp_path):
    from confuguard.models import wordvec

    path = tmp_path / "words.npz"
    rng = np.random.default_rng(1)
    wordvec._write(path, wordvec.WordVectors(["http", "client"], rng.normal(size=(2, 384))))
    first = wordvec._read(path)
    assert first is not None and wordvec._read(path) is first  # the generator and the judge share one read
    wordvec._write(path, wordvec.WordVectors(["http", "client", "server"], rng.normal(size=(3, 384))))
    again = wordvec._read(path)
    assert again is not first and again.words == ["http", "client", "server"]
