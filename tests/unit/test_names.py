"""Identity and normalisation per registry."""

import pytest

from confuguard import names
from confuguard.errors import InputError
from confuguard.types import Ecosystem as E


@pytest.mark.parametrize(
    ("text", "eco", "display", "purl", "key"),
    [
        ("lodash", E.NPM, "lodash", "pkg:npm/lodash", "lodash"),
        ("@types/node", E.NPM, "@types/node", "pkg:npm/%40types/node", "@types/node"),
        ("JSONStream", E.NPM, "JSONStream", "pkg:npm/jsonstream", "jsonstream"),
        ("Python_Dateutil", E.PYPI, "Python_Dateutil", "pkg:pypi/python-dateutil", "python-dateutil"),
        ("zope.interface", E.PYPI, "zope.interface", "pkg:pypi/zope-interface", "zope-interface"),
        ("rails", E.RUBYGEMS, "rails", "pkg:gem/rails", "rails"),
        ("com.google.guava:guava", E.MAVEN, "com.google.guava:guava", "pkg:maven/com.google.guava/guava", "com.google.guava:guava"),
        ("com.google.guava:guava:33.0.0", E.MAVEN, "com.google.guava:guava", "pkg:maven/com.google.guava/guava", "com.google.guava:guava"),
        ("github.com/stretchr/testify", E.GOLANG, "github.com/stretchr/testify", "pkg:golang/github.com/stretchr/testify", "github.com/stretchr/testify"),
        ("github.com/go-redis/redis/v8", E.GOLANG, "github.com/go-redis/redis/v8", "pkg:golang/github.com/go-redis/redis#v8", "github.com/go-redis/redis"),
        ("golang.org/x/net/http2", E.GOLANG, "golang.org/x/net/http2", "pkg:golang/golang.org/x/net#http2", "golang.org/x/net"),
        ("gopkg.in/yaml.v3", E.GOLANG, "gopkg.in/yaml.v3", "pkg:golang/gopkg.in/yaml.v3", "gopkg.in/yaml"),
        ("tailscale.com", E.GOLANG, "tailscale.com", "pkg:golang/tailscale.com", "tailscale.com"),
        ("gorm.io/driver/mysql", E.GOLANG, "gorm.io/driver/mysql", "pkg:golang/gorm.io/driver/mysql", "gorm.io/driver/mysql"),
        ("go.uber.org/zap", E.GOLANG, "go.uber.org/zap", "pkg:golang/go.uber.org/zap", "go.uber.org/zap"),
        ("meta-llama/Llama-3.1-8B", E.HUGGINGFACE, "meta-llama/Llama-3.1-8B", "pkg:huggingface/meta-llama/Llama-3.1-8B", "meta-llama/llama-3.1-8b"),
        ("bert-base-uncased", E.HUGGINGFACE, "bert-base-uncased", "pkg:huggingface/bert-base-uncased", "bert-base-uncased"),
    ],
)
def test_parse_display_purl_key(text, eco, display, purl, key):
    pkg = names.parse(text, eco)
    assert str(pkg) == display
    assert names.purl(pkg) == purl
    assert names.key(pkg) == key


def test_pep503_spellings_are_one_package():
    keys = {names.key(names.parse(n, E.PYPI)) for n in ["python-dateutil", "Python_Dateutil", "python.dateutil", "PYTHON--dateutil"]}
    assert keys == {"python-dateutil"}


@pytest.mark.parametrize("purl", ["pkg:npm/%40types/node", "pkg:pypi/requests", "pkg:maven/org.slf4j/slf4j-api",
                                  "pkg:golang/github.com/gorilla/mux", "pkg:huggingface/google/gemma-2b", "pkg:gem/rails"])
def test_purl_round_trip(purl):
    eco = {"gem": E.RUBYGEMS}.get(purl[4:].split("/")[0]) or E(purl[4:].split("/")[0])
    assert names.purl(names.parse(purl, eco)) == purl


@pytest.mark.parametrize(
    ("text", "eco", "fragment"),
    [
        ("", E.PYPI, "empty"),
        ("-requests", E.PYPI, "PyPI names"),
        ("req uests", E.PYPI, "whitespace"),
        ("rеquests", E.PYPI, "PyPI names"),  # Cyrillic е
        ("_private", E.NPM, "cannot start"),
        ("@scope", E.NPM, "@scope/name"),
        ("a/b", E.NPM, "only after an @scope"),
        ("x" * 215, E.NPM, "214"),
        ("guava", E.MAVEN, "groupId:artifactId"),
        ("https://github.com/a/b", E.GOLANG, "URL scheme"),
        ("fmt", E.GOLANG, "domain"),
        ("github.com/onlyowner", E.GOLANG, "owner/repo"),
        ("github.com", E.GOLANG, "owner/repo"),
        ("a/b/c", E.HUGGINGFACE, "author/model"),
        ("bad--name", E.HUGGINGFACE, "--"),
        ("123", E.RUBYGEMS, "contain a letter"),
        ("pkg:npm/lodash", E.PYPI, "does not match"),
        ("foo\x1b[31m", E.NPM, "control characters"),
    ],
)
def test_invalid_names_rejected_with_reason(text, eco, fragment):
    with pytest.raises(InputError) as err:
        names.parse(text, eco)
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_registry_aliases():
    assert E.parse("gem") is E.RUBYGEMS and E.parse("go") is E.GOLANG and E.parse("HF") is E.HUGGINGFACE
    with pytest.raises(ValueError, match="unknown registry"):
        E.parse("cargo")
