"""The wire contract of every event type in the catalog, one text line per payload field.

tests/unit/test_event_contract.py compares it with tests/unit/fixtures/event_contract.txt, written
from the hand-written marshmallow schemas before issue 16 derived them from the event classes:
    python -m tests.support.event_contract > tests/unit/fixtures/event_contract.txt
A published version's payload must not change; a new event type (or version) adds its lines.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields, missing, validate

from shared.events import CATALOG


def _validator(v: Any) -> str:
    if isinstance(v, validate.OneOf):
        return f"OneOf{tuple(v.choices)!r}"
    if isinstance(v, validate.Regexp):
        return f"Regexp({v.regex.pattern!r})"
    if isinstance(v, validate.Length):
        return f"Length(min={v.min}, max={v.max}, equal={v.equal})"
    if isinstance(v, validate.Range):
        return f"Range({v.min}, {v.max}, {v.min_inclusive}, {v.max_inclusive})"
    raise TypeError(f"no description for {v!r}")


def _field(field: fields.Field) -> str:
    extra = ""
    if isinstance(field, fields.AwareDateTime):
        extra = f" format={field.format} tz={field.default_timezone}"
    if isinstance(field, fields.Integer):
        extra = f" strict={field.strict}"
    flags = [name for name in ("required", "allow_none") if getattr(field, name)]
    for name in ("load_default", "dump_default"):
        if getattr(field, name) is not missing:
            flags.append(f"{name}={getattr(field, name)!r}")
    flags += [_validator(v) for v in field.validators]
    return " ".join([type(field).__name__, *flags]) + extra


def contract_lines(openapi: bool = False) -> list[str]:
    """Per event type a heading line, then one line per field (which fixes its OpenAPI form, too;
    `openapi` adds that form, to check by hand)."""
    plugin = MarshmallowPlugin()
    APISpec("contract", "1", "3.0.3", plugins=[plugin])
    assert plugin.converter is not None
    lines = []
    for spec in CATALOG.values():
        schema = spec.schema()
        lines.append(f"{spec.type} v{spec.version} {spec.subject_kind} {spec.schema.__name__}")
        if openapi:
            lines.append("  openapi " + json.dumps(plugin.converter.schema2jsonschema(schema)))
        lines += [f"  {name}: {_field(field)}" for name, field in schema.fields.items()]
    return lines


if __name__ == "__main__":
    sys.stdout.write("\n".join(contract_lines("--openapi" in sys.argv)) + "\n")
