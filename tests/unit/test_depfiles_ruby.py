"""RubyGems dependency files: Gemfile and Gemfile.lock."""

from __future__ import annotations

from pathlib import Path

from confuguard.depfiles import INVALID_NAME, PARSE, parse_file
from confuguard.types import Ecosystem

PROJECTS = Path(__file__).parent.parent / "fixtures" / "projects"


def found(outcome) -> list[tuple[str, int]]:
    assert all(d.ecosystem is Ecosystem.RUBYGEMS for d in outcome.dependencies)
    return [(d.name, d.line) for d in outcome.dependencies]


def test_gemfile_literal_gems_only():
    out = parse_file(PROJECTS / "ruby" / "Gemfile")
    assert out.errors == []
    # commented-out gems and `path:` gems are not dependencies from the registry
    assert found(out) == [("rai1s", 5), ("puma", 6), ("pg", 7), ("rspec-rails", 11)]
    assert out.dependencies[3].column == 3


def test_gemfile_lock_specs_of_gem_sections():
    out = parse_file(PROJECTS / "ruby" / "Gemfile.lock")
    assert out.errors == []
    assert found(out) == [
        ("activesupport", 4),
        ("concurrent-ruby", 7),
        ("i18n", 8),
        ("nokogiri", 10),
        ("pg", 12),
        ("puma", 13),
        ("racc", 14),
        ("rai1s", 15),
    ]  # PATH gems (mylocal) are local


def test_gemfile_lock_malformed(tmp_path):
    f = tmp_path / "Gemfile.lock"
    f.write_text("GEM\n  remote: https://gems.mirror.example.invalid/\n  specs:\n    rails (7.1.3\n")
    out = parse_file(f)
    assert [(e.file, e.line, e.kind) for e in out.errors] == [(f, 4, PARSE)]


def test_gemfile_invalid_name(tmp_path):
    f = tmp_path / "Gemfile"
    f.write_text('source "https://gems.mirror.example.invalid"\ngem "bad name"\ngem "rack"\n')
    out = parse_file(f)
    assert found(out) == [("rack", 3)]
    assert [(e.line, e.kind) for e in out.errors] == [(2, INVALID_NAME)]
