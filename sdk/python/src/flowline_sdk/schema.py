"""A JSON Schema (2020-12) checker for the subset Flowline's step definitions use, standard library only.

Checked: ``type`` (one or a list; ``integer`` is a number without a fraction), ``enum``, ``const``, ``properties``,
``required``, ``additionalProperties`` (false or a schema), ``items`` (one schema), ``minItems``, ``maxItems``,
``uniqueItems``, ``minLength``, ``maxLength``, ``pattern`` (Python ``re`` search, which agrees with ECMA-262 for
the usual patterns), ``minimum``, ``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum``, ``multipleOf``,
``format`` ``uuid`` / ``date-time`` / ``date`` / ``email``, ``allOf``, ``anyOf``, ``oneOf``, ``not``.
Annotations (``title``, ``description``, ``default``, ``examples``, ``$schema``, ``$id``, ``$comment``,
``deprecated``, ``readOnly``, ``writeOnly``) are ignored. Any other keyword (``$ref``, ``if``, ``patternProperties``
and so on) is refused when the schema is compiled, so a check is never silently weaker than it looks. The runner
checks the full schema anyway; this check is for a step's own tests and early, local errors.
"""

from __future__ import annotations

import datetime
import math
import re
import uuid
from dataclasses import dataclass
from typing import Any, List, Mapping

_ANNOTATIONS = {"title", "description", "default", "examples", "$schema", "$id", "$comment", "deprecated",
                "readOnly", "writeOnly"}
_ASSERTIONS = {"type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems",
               "maxItems", "uniqueItems", "minLength", "maxLength", "pattern", "minimum", "maximum",
               "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format", "allOf", "anyOf", "oneOf", "not"}
_TYPES = {"object", "array", "string", "number", "integer", "boolean", "null"}
_DATE_TIME = re.compile(r"^(\d{4}-\d\d-\d\d)[Tt](\d\d:\d\d:\d\d)(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class UnsupportedSchema(ValueError):
    """The schema uses a keyword this checker does not implement (named in the message, with its location)."""


@dataclass(frozen=True)
class SchemaViolation:
    """One reason an instance does not match: where (a JSON Pointer into the instance) and what."""

    pointer: str
    message: str

    def to_json(self) -> dict:
        return {"pointer": self.pointer, "message": self.message}


class Schema:
    """A compiled schema; ``violations(instance)`` lists what does not match (empty: it matches)."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        _check_supported(schema, "#")
        self._schema = schema

    def violations(self, instance: Any) -> List[SchemaViolation]:
        found: List[SchemaViolation] = []
        _validate(self._schema, instance, "", found)
        return found


def _check_supported(schema: Any, where: str) -> None:
    if isinstance(schema, bool):
        return
    if not isinstance(schema, Mapping):
        raise UnsupportedSchema(f"{where}: a schema must be an object or a boolean")
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        if keyword not in _ASSERTIONS:
            raise UnsupportedSchema(f"{where}: keyword '{keyword}' is not checked by flowline_sdk.schema")
        if keyword == "type":
            names = value if isinstance(value, list) else [value]
            unknown = [name for name in names if name not in _TYPES]
            if unknown:
                raise UnsupportedSchema(f"{where}/type: unknown type {unknown[0]!r}")
        elif keyword == "properties":
            for name, sub in value.items():
                _check_supported(sub, f"{where}/properties/{name}")
        elif keyword in ("additionalProperties", "items", "not"):
            _check_supported(value, f"{where}/{keyword}")
        elif keyword in ("allOf", "anyOf", "oneOf"):
            for i, sub in enumerate(value):
                _check_supported(sub, f"{where}/{keyword}/{i}")
        elif keyword == "pattern":
            try:
                re.compile(value)
            except re.error as e:
                raise UnsupportedSchema(f"{where}/pattern: {e}") from None


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _is_type(value: Any, name: str) -> bool:
    actual = _type_of(value)
    if name == "integer":
        return actual == "number" and (isinstance(value, int) or (math.isfinite(value) and value == int(value)))
    return actual == name


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _format_ok(fmt: str, value: str) -> bool:
    try:
        if fmt == "uuid":
            return len(value) == 36 and str(uuid.UUID(value)) == value.lower()
        if fmt == "date-time":
            # RFC 3339 needs a time zone. Python 3.9's fromisoformat reads neither "Z" nor fractions of any length.
            match = _DATE_TIME.match(value)
            if not match:
                return False
            datetime.datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}")
            return True
        if fmt == "date":
            if not re.match(r"^\d{4}-\d\d-\d\d$", value):
                return False
            datetime.date.fromisoformat(value)
            return True
        if fmt == "email":
            return bool(_EMAIL.match(value))
    except ValueError:
        return False
    return True  # other formats are annotations in 2020-12


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def _validate(schema: Any, value: Any, pointer: str, found: List[SchemaViolation]) -> None:
    where = pointer or "/"
    if schema is True:
        return
    if schema is False:
        found.append(SchemaViolation(where, "no value is allowed here"))
        return
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_is_type(value, name) for name in names):
            found.append(SchemaViolation(where, f"expected {' or '.join(names)}, got {_type_of(value)}"))
            return
    if "enum" in schema and not any(_equal(value, option) for option in schema["enum"]):
        found.append(SchemaViolation(where, f"must be one of {schema['enum']}"))
    if "const" in schema and not _equal(value, schema["const"]):
        found.append(SchemaViolation(where, f"must be {schema['const']!r}"))
    kind = _type_of(value)
    if kind == "object":
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                found.append(SchemaViolation(f"{pointer}/{_escape(name)}", "is required"))
        for name, member in value.items():
            if name in properties:
                _validate(properties[name], member, f"{pointer}/{_escape(name)}", found)
            elif "additionalProperties" in schema:
                extra = schema["additionalProperties"]
                if extra is False:
                    found.append(SchemaViolation(f"{pointer}/{_escape(name)}", "is not an allowed member"))
                else:
                    _validate(extra, member, f"{pointer}/{_escape(name)}", found)
    elif kind == "array":
        if "minItems" in schema and len(value) < schema["minItems"]:
            found.append(SchemaViolation(where, f"needs at least {schema['minItems']} items"))
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            found.append(SchemaViolation(where, f"allows at most {schema['maxItems']} items"))
        if schema.get("uniqueItems"):
            for i, item in enumerate(value):
                if any(_equal(item, other) for other in value[:i]):
                    found.append(SchemaViolation(f"{pointer}/{i}", "repeats an earlier item"))
        if "items" in schema:
            for i, item in enumerate(value):
                _validate(schema["items"], item, f"{pointer}/{i}", found)
    elif kind == "string":
        length = len(value)
        if "minLength" in schema and length < schema["minLength"]:
            found.append(SchemaViolation(where, f"needs at least {schema['minLength']} characters"))
        if "maxLength" in schema and length > schema["maxLength"]:
            found.append(SchemaViolation(where, f"allows at most {schema['maxLength']} characters"))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(SchemaViolation(where, f"does not match the pattern {schema['pattern']}"))
        if "format" in schema and not _format_ok(schema["format"], value):
            found.append(SchemaViolation(where, f"is not a valid {schema['format']}"))
    elif kind == "number":
        if "minimum" in schema and value < schema["minimum"]:
            found.append(SchemaViolation(where, f"must be at least {schema['minimum']}"))
        if "maximum" in schema and value > schema["maximum"]:
            found.append(SchemaViolation(where, f"must be at most {schema['maximum']}"))
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            found.append(SchemaViolation(where, f"must be greater than {schema['exclusiveMinimum']}"))
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            found.append(SchemaViolation(where, f"must be less than {schema['exclusiveMaximum']}"))
        if "multipleOf" in schema:
            quotient = value / schema["multipleOf"]
            if not math.isclose(quotient, round(quotient), rel_tol=0, abs_tol=1e-9):
                found.append(SchemaViolation(where, f"must be a multiple of {schema['multipleOf']}"))
    for sub in schema.get("allOf", []):
        _validate(sub, value, pointer, found)
    if "anyOf" in schema and not any(_matches(sub, value) for sub in schema["anyOf"]):
        found.append(SchemaViolation(where, "matches none of anyOf"))
    if "oneOf" in schema:
        count = sum(1 for sub in schema["oneOf"] if _matches(sub, value))
        if count != 1:
            found.append(SchemaViolation(where, f"must match exactly one of oneOf, matches {count}"))
    if "not" in schema and _matches(schema["not"], value):
        found.append(SchemaViolation(where, "matches the schema under not"))


def _matches(schema: Any, value: Any) -> bool:
    found: List[SchemaViolation] = []
    _validate(schema, value, "", found)
    return not found
