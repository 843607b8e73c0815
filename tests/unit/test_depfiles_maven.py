"""Maven coordinates: pom.xml (safe XML) and simple Gradle scripts."""

from __future__ import annotations

from pathlib import Path

from confuguard.depfiles import PARSE, parse_file
from confuguard.types import Ecosystem

PROJECTS = Path(__file__).parent.parent / "fixtures" / "projects"


def found(outcome) -> list[tuple[str, int]]:
    assert all(d.ecosystem is Ecosystem.MAVEN for d in outcome.dependencies)
    return [(d.name, d.line) for d in outcome.dependencies]


def test_pom_dependencies_plugins_parent():
    out = parse_file(PROJECTS / "maven" / "pom.xml")
    assert out.errors == []
    assert found(out) == [
        ("org.springframework.boot:spring-boot-starter-parent", 6),
        ("com.google.guava:guava", 18),
        ("org.fasterxml.jackson.core:jackson-databind", 23),  # its <exclusion> is not a dependency
        ("junit:junit", 38),  # ${project.groupId}:demo-common is skipped (property)
        ("org.apache.maven.plugins:maven-compiler-plugin", 47),  # default plugin groupId
        ("org.springframework.boot:spring-boot-maven-plugin", 51),
    ]
    assert out.dependencies[2].column == 5


def test_pom_doctype_and_entities_are_refused():
    path = PROJECTS / "malformed" / "xml-doctype" / "pom.xml"
    out = parse_file(path)
    assert out.dependencies == []
    assert [(e.file, e.line, e.kind) for e in out.errors] == [(path, 2, PARSE)]
    assert "DOCTYPE" in out.errors[0].message


def test_pom_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top-secret")
    f = tmp_path / "pom.xml"
    f.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        "<project><dependencies><dependency><groupId>a</groupId><artifactId>&x;</artifactId>"
        "</dependency></dependencies></project>\n"
    )
    out = parse_file(f)
    assert out.dependencies == [] and [(e.line, e.kind) for e in out.errors] == [(2, PARSE)]


def test_pom_truncated_names_line():
    path = PROJECTS / "malformed" / "xml-truncated" / "pom.xml"
    out = parse_file(path)
    assert [(e.file, e.line, e.kind) for e in out.errors] == [(path, 9, PARSE)]
    assert out.errors[0].message.startswith("invalid XML")


def test_non_pom_xml_root(tmp_path):
    f = tmp_path / "pom.xml"
    f.write_text("<settings/>\n")
    assert [e.kind for e in parse_file(f).errors] == [PARSE]


def test_gradle_groovy():
    out = parse_file(PROJECTS / "gradle" / "build.gradle")
    assert out.errors == []
    assert found(out) == [
        ("org.springframework.boot:spring-boot-starter-web", 11),
        ("com.google.guava:guava", 12),
        ("org.apache.commons:commons-lang3", 14),  # map form
        ("com.faterxml.jackson.core:jackson-databind", 15),
        ("org.postgresql:postgresql", 16),  # interpolated version is fine
        ("junit:junit", 17),
    ]  # plugin ids, comments and project(':core') are not coordinates


def test_gradle_kotlin_dsl():
    out = parse_file(PROJECTS / "gradle-kts" / "build.gradle.kts")
    assert out.errors == []
    assert found(out) == [
        ("org.jetbrains.kotlin:kotlin-bom", 7),  # platform(...)
        ("org.jetbrains.kotlinx:kotlinx-coroutines-core", 8),
        ("com.sqaureup.okhttp3:okhttp", 9),
        ("org.junit.jupiter:junit-jupiter", 12),  # block comment above skipped
    ]
