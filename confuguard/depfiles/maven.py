"""Maven coordinates: pom.xml and simple Gradle build scripts.

pom.xml is read with expat feeding `xml.etree.ElementTree.TreeBuilder`, with DTDs
refused outright (no DOCTYPE, no entity declarations, no external entities), so entity
expansion bombs and external entity reads cannot happen; line numbers come from expat.
`dependency`, `plugin`, `extension` and `parent` elements anywhere in the POM are read;
coordinates that use a `${property}` are skipped (they cannot be resolved without Maven).

Gradle scripts are Groovy/Kotlin code; only literal `"group:artifact[:version]"` strings
in a configuration call (`implementation("...")`, `classpath '...'`) and the Groovy map
form `group: '...', name: '...'` are read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, NoReturn
from xml.parsers import expat

from confuguard.depfiles.base import Collector, FileFormatError
from confuguard.formats.sanitize import excerpt
from confuguard.types import Ecosystem

MAVEN = Ecosystem.MAVEN
_DEFAULT_PLUGIN_GROUP = "org.apache.maven.plugins"
_COORD_ELEMENTS = {"dependency", "plugin", "extension", "parent"}


def parse_xml(text: str) -> tuple[ET.Element, dict[ET.Element, tuple[int, int]]]:
    """Parse XML safely; return the root and the (line, column) of every element's start tag."""
    parser = expat.ParserCreate(encoding="utf-8")  # the text is already decoded (see depfiles.encoding)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    builder = ET.TreeBuilder()
    positions: dict[ET.Element, tuple[int, int]] = {}

    def refuse(*_: Any) -> NoReturn:
        raise FileFormatError(
            "DOCTYPE and entity declarations are not allowed (entity expansion attack risk)",
            parser.CurrentLineNumber,
        )

    def start(tag: str, attrs: dict[str, str]) -> None:
        elem = builder.start(tag.rsplit(":", 1)[-1], attrs)
        positions[elem] = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(tag.rsplit(":", 1)[-1])
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as exc:
        raise FileFormatError(f"invalid XML: {expat.ErrorString(exc.code)}", exc.lineno) from None
    return builder.close(), positions


def parse_pom(path: Path, text: str, out: Collector) -> None:
    """Coordinates of dependencies, plugins, build extensions and the parent POM."""
    root, positions = parse_xml(text)
    if root.tag != "project":
        raise FileFormatError(f"not a Maven POM (root element is {excerpt(root.tag)})", positions.get(root, (1, 1))[0])
    for elem in root.iter():
        if elem.tag not in _COORD_ELEMENTS or elem is root:
            continue
        group = (elem.findtext("groupId") or "").strip()
        artifact = (elem.findtext("artifactId") or "").strip()
        if elem.tag == "plugin" and not group:
            group = _DEFAULT_PLUGIN_GROUP
        line, column = positions.get(elem, (1, 1))
        if not len(elem):
            continue  # a leaf such as a plugin's <configuration><parent>text</parent>: not a coordinate
        if "${" in group or "${" in artifact:
            continue  # property-based coordinates need Maven to resolve
        if not group or not artifact:
            out.error(path, line, f"<{elem.tag}> without groupId/artifactId")
            continue
        out.add(MAVEN, f"{group}:{artifact}", path, line, column, f"<{elem.tag}> {group}:{artifact}")


_COORD = r"(?P<group>[A-Za-z0-9_][\w.-]*):(?P<artifact>[A-Za-z0-9_][\w.-]*)(?::[^\"':\s]*)?(?::[^\"':\s]*)?(?:@\w+)?"
_GRADLE_CALL = re.compile(
    r"""^\s*(?P<conf>[A-Za-z_]\w*)\s*[(\s]\s*(?:(?:platform|enforcedPlatform|testFixtures)\s*\(\s*)?"""
    r"""(?P<q>["'])""" + _COORD + r"""(?P=q)"""
)
_GRADLE_MAP = re.compile(
    r"""^\s*(?P<conf>[A-Za-z_]\w*)\s*[(\s]\s*group\s*[:=]\s*["'](?P<group>[^"'$]+)["']\s*,\s*"""
    r"""name\s*[:=]\s*["'](?P<artifact>[^"'$]+)["']"""
)
_NOT_CONFIGURATIONS = {"id", "apply", "include", "includeBuild", "println", "print", "mainClass", "url", "uri"}


def parse_gradle(path: Path, text: str, out: Collector) -> None:
    """Literal coordinates in dependency configuration calls of build.gradle / build.gradle.kts."""
    in_comment = False
    for lineno, ln in enumerate(text.splitlines(), start=1):
        stripped = ln.strip()
        if in_comment:
            if "*/" in stripped:
                in_comment = False
            continue
        if stripped.startswith("/*"):
            in_comment = "*/" not in stripped
            continue
        if stripped.startswith("//"):
            continue
        m = _GRADLE_CALL.match(ln) or _GRADLE_MAP.match(ln)
        if not m or m.group("conf") in _NOT_CONFIGURATIONS:
            continue
        coord = f"{m.group('group')}:{m.group('artifact')}"
        out.add(MAVEN, coord, path, lineno, m.start("group") + 1, stripped)
