#!/usr/bin/env python3
"""Derive the lexicon files in data/lexicon/ used by confuguard.tokens and confuguard.categories.

Deterministic and rerunnable: the same inputs give byte-identical outputs.

Inputs (none of them is copied; only counts and derived pairs are written):
  --packages DIR  folder with `pypi.tsv` and `npm.tsv` (first column = package name; first line = header),
                  default /work/.library/env/packages
  --dict DIR      Debian word lists `american-english` (package wamerican) and `british-english`
                  (package wbritish), default /usr/share/dict
Python's own `unicodedata` (for confusables.tsv).

Outputs (data/lexicon/):
  tokens.tsv       token<TAB>count: number of names containing the token as a whole chunk (chunks from
                   confuguard.tokens.raw_chunks), alphabetic tokens of >= 2 chars seen in >= MIN_TOKEN names
  families.tsv     root<TAB>pypi<TAB>npm: names of each registry whose first or last delimiter-separated
                   part (npm: or scope) is the root, or whose first/last two parts joined by '-' are
                   (`react-dom`), for roots with a total >= MIN_FAMILY
  words.txt        lowercase alphabetic American English words, 2..20 letters, no proper nouns
  spelling.tsv     american<TAB>british pairs: British-only words whose regular US form
                   (our/or, ise/ize, isation/ization, yse/yze, tre/ter, ogue/og, ence/ense, ll/l, ae/e, oe/e)
                   is an American-only word
  confusables.tsv  hex codepoint<TAB>ASCII: NFKD decompositions to ASCII letters/digits, Latin letters with
                   modifiers (by Unicode name), and a curated TR39-style table of Cyrillic/Greek/Armenian
                   look-alikes (CURATED_CONFUSABLES below)
  terms.json       curated lists kept as data (TERMS below)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from confuguard.tokens import raw_chunks  # noqa: E402

MIN_TOKEN = 8
MAX_TOKENS = 60000
MIN_FAMILY = 5

# Curated: term lists the detectors read. Edit here, rerun the script.
TERMS: dict[str, object] = {
    # Added terms that say nothing about what a package does: an ecosystem marker or a "trust me" word.
    # A target plus one of these fires AFFIX whatever the target's family size.
    "filler_strong": sorted(
        {
            "js", "javascript", "node", "nodejs", "npm", "py", "python", "python2", "python3", "py2", "py3",
            "pypi", "pip", "gem", "ruby", "rb", "golang", "java", "official", "real", "original", "latest",
            "new", "secure", "security", "safe", "fixed", "patched", "updated", "upgraded", "v1", "v2", "v3",
            "v4", "v5",
        }
    ),
    # Generic nouns that also name real extension packages (`redis-client`, `flask-api`): they fire
    # AFFIX only when the target is not a common family root.
    "filler_weak": sorted(
        {
            "api", "sdk", "client", "http", "https", "cli", "core", "util", "utils", "utility", "utilities",
            "helper", "helpers", "tool", "tools", "toolkit", "kit", "bot", "app", "server", "service",
            "wrapper", "binding", "bindings", "bin", "common", "base", "ext", "extra", "extras", "lite",
            "light", "mini", "min", "fast", "simple", "easy", "plugin", "framework", "support", "install",
            "installer", "setup", "web", "tiny", "micro", "native", "build", "cmd", "lib", "libs", "library",
            "pkg", "package", "module", "mod", "dev", "pro", "plus", "fix", "patch", "update", "es", "es5",
            "es6", "mjs", "cjs", "esm", "dist", "stable", "release", "beta", "alpha", "free", "full", "org",
            "com", "io", "master", "main", "go", "ts", "typescript",
        }
    ),
    # npm scopes that mirror other packages' names by design (type stubs): never a scope confusion.
    "mirror_scopes": ["types"],
    # Synonym / related-word groups for SEMANTIC_SUBSTITUTION (also used to align tokens).
    "synonyms": [
        ["js", "javascript", "node", "nodejs"],
        ["ts", "typescript"],
        ["py", "python", "python3", "py3"],
        ["rb", "ruby"],
        ["go", "golang"],
        ["util", "utils", "utility", "utilities", "helper", "helpers", "tool", "tools", "toolkit", "kit"],
        ["lib", "libs", "library", "libraries"],
        ["notify", "notification", "notifications", "notifier"],
        ["config", "configuration", "conf", "cfg", "settings"],
        ["auth", "authentication", "authenticate", "login"],
        ["db", "database"],
        ["doc", "docs", "documentation"],
        ["env", "environment"],
        ["app", "application"],
        ["msg", "message", "messages"],
        ["img", "image", "images"],
        ["async", "asynchronous"],
        ["crypto", "cryptography", "crypt"],
        ["sqlite", "sqlite3"],
        ["mongo", "mongodb"],
        ["postgres", "postgresql", "pg", "psql"],
        ["mysql", "mysqldb"],
        ["yaml", "yml"],
        ["jpeg", "jpg"],
        ["test", "tests", "testing", "spec"],
        ["cli", "cmd", "command", "commandline"],
        ["http", "https", "request", "requests"],
        ["parse", "parser", "parsing"],
        ["color", "colors", "colour", "colours", "chalk"],
        ["log", "logs", "logger", "logging"],
        ["fs", "file", "files", "filesystem"],
        ["dir", "directory", "folder"],
        ["str", "string", "strings", "text"],
        ["num", "number", "numbers"],
        ["obj", "object", "objects"],
        ["arr", "array", "arrays", "list"],
        ["fn", "func", "function", "functions"],
        ["win", "windows"],
        ["mac", "macos", "osx", "darwin"],
        ["bz", "bzip", "bzip2", "bz2"],
        ["gz", "gzip", "zlib"],
        ["zip", "unzip"],
        ["ws", "websocket", "websockets", "socket"],
        ["img", "pic", "picture"],
        ["min", "minify", "minified", "mini", "uglify"],
        ["cv", "opencv"],
        ["ml", "machinelearning"],
        ["ai", "openai"],
        ["jwt", "jsonwebtoken", "token"],
        ["uuid", "guid"],
        ["dt", "date", "datetime", "dateutil", "time"],
        ["ftp", "ftpd", "ftplib"],
        ["sql", "sqlite", "mysql"],
        ["mail", "email", "mailer", "smtp"],
        ["server", "srv", "serve"],
        ["plugin", "plugins", "addon", "addons", "extension", "ext"],
        ["component", "components"],
        ["webpack", "wp"],
        ["react", "reactjs"],
        ["vue", "vuejs"],
        ["bootstrap", "bs"],
        ["types", "typings"],
    ],
    # Two-letter tokens the segmenter may cut out of a glued chunk (`pysqlite` -> py, sqlite).
    "short_tokens": sorted(
        {
            "py", "js", "ts", "ml", "ai", "db", "ui", "io", "go", "rb", "cv", "pg", "fs", "ws", "os", "qt",
            "gl", "np", "tf", "vk", "wx", "ci", "cd", "ip", "id", "dl", "nn", "rl", "gh", "gl", "vm", "xx",
            "md", "3d", "2d", "ar", "vr", "bs", "hq", "jq", "mq", "ok", "up", "my", "on", "to", "in", "of",
        }
    ),
    # ASCII look-alike pairs for HOMOGLYPH (single characters, symmetric) and multi-character look-alikes.
    "lookalike_chars": [
        ["l", "1"], ["l", "i"], ["i", "1"], ["i", "j"], ["l", "|"], ["o", "0"], ["m", "n"], ["s", "5"],
        ["e", "3"], ["a", "4"], ["b", "6"], ["t", "7"], ["g", "9"], ["z", "2"], ["b", "8"], ["q", "9"],
    ],
    "lookalike_multi": [["rn", "m"], ["vv", "w"], ["cl", "d"], ["nn", "m"], ["ii", "u"], ["iii", "m"], ["lj", "y"]],
    # Spellings that sound alike (HOMOPHONIC also needs equal Metaphone and Soundex): symmetric pairs.
    "sound_alike": [
        ["c", "k"], ["c", "s"], ["k", "q"], ["s", "z"], ["x", "z"], ["x", "ks"], ["x", "cs"], ["f", "ph"],
        ["i", "y"], ["y", "ie"], ["ee", "ea"], ["ee", "i"], ["oo", "u"], ["g", "j"], ["w", "wh"], ["ck", "k"],
        ["ck", "c"], ["ks", "x"], ["kw", "qu"], ["cs", "x"], ["s", "ss"], ["z", "zz"], ["f", "ff"], ["t", "tt"],
        ["l", "ll"], ["ou", "ow"], ["ai", "ay"], ["ei", "ie"], ["ey", "y"], ["er", "or"], ["er", "ar"],
        ["or", "our"], ["k", "ch"], ["sh", "ch"], ["x", "ex"], ["u", "ew"], ["u", "you"], ["c", "ss"],
    ],
    # Lures of the malware campaigns published on npm and PyPI since 2022 (crypto exchanges and wallets,
    # Discord/Telegram token tools, game cheats), from the public reports of Phylum, Socket, Checkmarx,
    # ReversingLabs and Sonatype as we know them: a lookalike that adds one of these words is riskier.
    "campaign_terms": sorted({
        "binance", "bitget", "bitfinex", "bybit", "coinbase", "kraken", "kucoin", "okx", "upbit", "whitebit",
        "huobi", "mexc", "bitmex", "bithumb", "deribit", "poloniex", "bitstamp", "gateio",
        "wallet", "wallets", "crypto", "bitcoin", "btc", "ethereum", "solana", "web3", "nft", "metamask",
        "phantom", "usdt", "defi", "airdrop", "mnemonic", "seedphrase", "trc20", "erc20",
        "discord", "selfbot", "nitro", "grabber", "stealer", "webhook", "telegram", "roblox", "steam",
        "hack", "cheat", "cheats", "crack", "cracked", "keylogger", "spoof", "bypass",
    }),
    # Ecosystem markers an ASEMANTIC swap replaces in the target (`discord.js` -> `discord.dll`).
    "marker_terms": ["go", "js", "jsx", "lib", "net", "node", "php", "py", "rb", "rs", "ts"],
    # Technical jargon a squatter swaps in for an ecosystem marker (`discord.js` -> `discord.dll`).
    "generic_tech": sorted(
        {
            "js", "py", "lib", "app", "dll", "exe", "fix", "bot", "api", "sdk", "cli", "dev", "pro", "plus",
            "core", "util", "utils", "tool", "tools", "kit", "net", "io", "ts", "node", "jsx", "php", "rb",
            "go", "rs", "so", "bin", "pkg", "mod", "ext", "src", "dist", "app", "web", "http", "client",
            "server", "plugin", "addon", "helper", "helpers", "sys", "os", "cmd", "run", "main", "base",
            "std", "rpc", "ws", "wasm", "native", "gem", "jar", "whl", "npm", "pip", "build", "data",
        }
    ),
}

# Curated TR39-style confusables (visually identical in common fonts), non-ASCII -> ASCII.
CURATED_CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s",
    "і": "i", "ї": "i", "ј": "j", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y", "ɡ": "g",
    "ь": "b", "п": "n", "г": "r", "к": "k", "м": "m", "т": "t", "н": "h", "ш": "w", "ԍ": "g", "ɯ": "w",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q", "Ԝ": "W", "Ү": "Y", "Ӏ": "l", "З": "3",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c",
    "ε": "e", "γ": "y", "ω": "w", "β": "b", "η": "n", "μ": "u", "ϳ": "j", "ϝ": "f",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C",
    # Armenian
    "օ": "o", "ս": "u", "զ": "q", "հ": "h", "ո": "n", "ց": "g", "ա": "w", "ւ": "l", "Օ": "O", "Ս": "U",
    # Latin extras without a decomposition
    "ı": "i", "ɩ": "i", "ɪ": "i", "ł": "l", "ƚ": "l", "ɫ": "l", "ɑ": "a", "ɒ": "a", "ʋ": "u", "ɵ": "o",
    "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "ŧ": "t", "ƅ": "b", "ȷ": "j", "ʃ": "f", "ſ": "f",
    "ß": "b", "æ": "ae", "œ": "oe", "Æ": "AE", "Œ": "OE", "ĸ": "k", "ŉ": "n", "ƞ": "n",
    # punctuation that looks like name delimiters
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "﹣": "-", "－": "-",
    "․": ".", "‧": ".", "。": ".", "｡": ".", "·": ".", "＿": "_", "‗": "_",
    # digits / letters from other scripts commonly abused
    "Ꭺ": "A", "Ᏼ": "B", "Ꮯ": "C", "Ꭼ": "E", "Ꮋ": "H", "Ꮶ": "K", "Ꮇ": "M", "Ꮲ": "P", "Ꭲ": "T", "Ꮃ": "W",
    "ǀ": "l", "ℓ": "l", "∣": "l", "⁄": "/", "∕": "/",
}

_UK_TO_US = [
    ("isation", "ization"), ("isations", "izations"), ("ise", "ize"), ("ised", "ized"), ("ises", "izes"),
    ("ising", "izing"), ("iser", "izer"), ("isers", "izers"), ("yse", "yze"), ("ysed", "yzed"),
    ("yses", "yzes"), ("ysing", "yzing"), ("our", "or"), ("tre", "ter"), ("tres", "ters"), ("ogue", "og"),
    ("ogues", "ogs"), ("ence", "ense"), ("ll", "l"), ("ae", "e"), ("oe", "e"), ("mme", "m"), ("mmes", "ms"),
]


def _names(path: Path) -> list[str]:
    out = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        next(fh, None)
        for ln in fh:
            name = ln.split("\t", 1)[0].strip()
            if name:
                out.append(name)
    return out


def _family_roots(name: str) -> set[str]:
    """Family roots a name belongs to: its first and last delimiter-separated part (npm: the scope counts as
    the first part) and, for names of 3+ parts, its first two and last two parts joined by '-'."""
    low = name.lower()
    scope = None
    if low.startswith("@") and "/" in low:
        scope, low = low[1:].split("/", 1)
    parts = [p for p in re.split(r"[-_.~]+", low) if p]
    if scope:
        parts = [scope, *parts]
    if len(parts) < 2:
        return set()
    roots = {parts[0], parts[-1]}
    if len(parts) >= 3:
        roots.add(parts[0] + "-" + parts[1])
        roots.add(parts[-2] + "-" + parts[-1])
    return roots


def build(packages: Path, dictdir: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    fam = {"pypi": Counter(), "npm": Counter()}
    for reg in ("pypi", "npm"):
        for name in _names(packages / f"{reg}.tsv"):
            for tok in set(raw_chunks(name)):
                if tok.isalpha() and tok.isascii() and len(tok) >= 2:
                    counts[tok] += 1
            for root in _family_roots(name):
                fam[reg][root] += 1
    top = sorted((t for t, c in counts.items() if c >= MIN_TOKEN), key=lambda t: (-counts[t], t))[:MAX_TOKENS]
    with (out / "tokens.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# token\tnames containing it (PyPI + npm), see scripts/build_lexicon.py\n")
        for t in top:
            fh.write(f"{t}\t{counts[t]}\n")
    keys = sorted(
        t for t in set(fam["pypi"]) | set(fam["npm"])
        if fam["pypi"][t] + fam["npm"][t] >= MIN_FAMILY and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)?", t)
    )
    with (out / "families.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# token\tPyPI names using it as prefix/suffix family root\tnpm names (incl. as @scope)\n")
        for t in keys:
            fh.write(f"{t}\t{fam['pypi'][t]}\t{fam['npm'][t]}\n")

    def words(fname: str) -> set[str]:
        with (dictdir / fname).open(encoding="utf-8", errors="replace") as fh:
            return {w.strip() for w in fh if w.strip()}

    us_raw, uk_raw = words("american-english"), words("british-english")
    us = {w for w in us_raw if w.isalpha() and w.isascii() and w.islower() and 2 <= len(w) <= 20}
    uk = {w for w in uk_raw if w.isalpha() and w.isascii() and w.islower() and 2 <= len(w) <= 20}
    with (out / "words.txt").open("w", encoding="utf-8") as fh:
        fh.write("# lowercase American English words (Debian wamerican), see scripts/build_lexicon.py\n")
        for w in sorted(us):
            fh.write(w + "\n")
    pairs: set[tuple[str, str]] = set()
    for w in sorted(uk - us):
        for ukp, usp in _UK_TO_US:
            start = 0
            while True:
                i = w.find(ukp, start)
                if i < 0:
                    break
                cand = w[:i] + usp + w[i + len(ukp):]
                if cand in us and cand not in uk and len(cand) >= 3:
                    pairs.add((cand, w))
                start = i + 1
    with (out / "spelling.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# american\tbritish (Debian wamerican/wbritish + regular patterns), see scripts/build_lexicon.py\n")
        for a, b in sorted(pairs):
            fh.write(f"{a}\t{b}\n")

    conf: dict[int, str] = {}
    latin = re.compile(r"^LATIN (SMALL|CAPITAL) LETTER (?:SMALL CAPITAL )?([A-Z])(?: WITH .*)?$")
    latin2 = re.compile(r"^LATIN LETTER SMALL CAPITAL ([A-Z])$")
    for cp in range(0x80, 0x30000):
        ch = chr(cp)
        if unicodedata.category(ch)[0] not in "LNP":
            continue
        decomp = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if decomp and decomp.isascii() and decomp.isalnum() and len(decomp) <= 2:
            conf[cp] = decomp
            continue
        name = unicodedata.name(ch, "")
        m = latin.match(name)
        if m:
            conf[cp] = m.group(2).lower() if m.group(1) == "SMALL" else m.group(2)
            continue
        m = latin2.match(name)
        if m:
            conf[cp] = m.group(1).lower()
    for ch, asc in CURATED_CONFUSABLES.items():
        conf[ord(ch)] = asc
    with (out / "confusables.tsv").open("w", encoding="utf-8") as fh:
        fh.write("# hex codepoint\tASCII look-alike (unicodedata NFKD + Latin letter names + curated TR39-style table)\n")
        for cp in sorted(conf):
            fh.write(f"{cp:04X}\t{conf[cp]}\n")

    with (out / "terms.json").open("w", encoding="utf-8") as fh:
        json.dump(TERMS, fh, indent=1, sort_keys=True, ensure_ascii=True)
        fh.write("\n")
    for f in sorted(out.iterdir()):
        print(f"{f.name}: {f.stat().st_size:,} bytes")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--packages", type=Path, default=Path("/work/.library/env/packages"))
    ap.add_argument("--dict", type=Path, default=Path("/usr/share/dict"))
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "lexicon")
    a = ap.parse_args()
    for f in (a.packages / "pypi.tsv", a.packages / "npm.tsv", a.dict / "american-english", a.dict / "british-english"):
        if not f.is_file():
            sys.exit(f"missing input {f} (word lists: apt-get install wamerican wbritish)")
    build(a.packages, a.dict, a.out)


if __name__ == "__main__":
    main()
