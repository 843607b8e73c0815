"""A JSON Schema (2020-12) validator for the keywords the shipped OSV schema uses, for test machines
without the `jsonschema` package: type, enum, const, pattern, properties, required,
additionalProperties (false), items, minItems, contains, oneOf, allOf, if/then and local $ref.
Any other keyword is an error, so the schema cannot silently outgrow it.

    errors = validate(doc, schema)      # [] when valid, else one "path: problem" per violation
"""

from __future__ import annotations

import re
from typing import Any

_TYPES = {"object": dict, "array": list, "string": str, "null": type(None), "boolean": bool}
_KNOWN = {"$schema", "$id", "$defs", "title", "description", "format", "type", "enum", "const", "pattern",
          "properties", "required", "additionalProperties", "items", "minItems", "contains", "oneOf", "allOf",
          "if", "then", "$ref"}


def _is(value: Any, kind: str) -> bool:
    if kind in ("number", "integer"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return ok and (kind == "number" or float(value).is_integer())
    return isinstance(value, _TYPES[kind]) and not (kind != "boolean" and isinstance(value, bool))


def validate(doc: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, path: str = "$") -> list[str]:
    """Every violation of `schema` by `doc`, as "path: problem" lines."""
    root = root or schema
    unknown = set(schema) - _KNOWN
    if unknown:
        raise ValueError(f"{path}: keywords not supported here: {sorted(unknown)}")
    if "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/$defs/"), ref
        return validate(doc, root["$defs"][ref.removeprefix("#/$defs/")], root, path)
    errs: list[str] = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is(doc, k) for k in kinds):
            return [f"{path}: expected {'/'.join(kinds)}, got {type(doc).__name__}"]
    if "enum" in schema and doc not in schema["enum"]:
        errs.append(f"{path}: {doc!r} is not one of the allowed values")
    if "const" in schema and doc != schema["const"]:
        errs.append(f"{path}: {doc!r} is not {schema['const']!r}")
    if "pattern" in schema and isinstance(doc, str) and not re.search(schema["pattern"], doc):
        errs.append(f"{path}: {doc!r} does not match {schema['pattern']}")
    if isinstance(doc, dict):
        for key in schema.get("required", []):
            if key not in doc:
                errs.append(f"{path}: missing required {key!r}")
        props = schema.get("properties", {})
        for key, value in doc.items():
            if key in props:
                errs += validate(value, props[key], root, f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                errs.append(f"{path}: unexpected property {key!r}")
    if isinstance(doc, list):
        if len(doc) < schema.get("minItems", 0):
            errs.append(f"{path}: fewer than {schema['minItems']} items")
        if "items" in schema:
            for i, item in enumerate(doc):
                errs += validate(item, schema["items"], root, f"{path}[{i}]")
        if "contains" in schema and not any(not validate(item, schema["contains"], root) for item in doc):
            errs.append(f"{path}: no item matches the 'contains' rule")
    if "oneOf" in schema:
        matching = sum(not validate(doc, sub, root, path) for sub in schema["oneOf"])
        if matching != 1:
            errs.append(f"{path}: matches {matching} of the oneOf alternatives, not exactly one")
    for sub in schema.get("allOf", []):
        errs += validate(doc, sub, root, path)
    if "if" in schema and not validate(doc, schema["if"], root, path) and "then" in schema:
        errs += validate(doc, schema["then"], root, path)
    return errs
