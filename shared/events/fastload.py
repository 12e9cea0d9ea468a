"""`schema.load(raw)` for the envelope and payload schemas, without marshmallow's machinery where
the input is plain: the same result, and for anything else marshmallow itself decides.

A consumer parses every event it reads, and marshmallow's generic load (error stores, getters,
hooks looked up per call) cost about 70 µs of an envelope's 80 here. This module compiles a
schema's declared fields once into a loop of plain conversions: exactly the field types the
payloads use (UUID, String, Integer, Boolean, Date, AwareDateTime, Dict, Nested) and exactly the
values JSON gives them (a str for a UUID or a date, an int for an integer...). The conversions
are marshmallow's own (`uuid.UUID`, the field's `DESERIALIZATION_FUNCS`) and the validators are
the field's own objects, so whatever the fast path returns is what `schema.load` returns. Any
other input (a wrong type, a missing or unknown key, a value a validator refuses, a post_load
hook that raises) goes to `schema.load`, which raises its usual error or, for the odd input it
accepts (a UUID without dashes in a list...), returns its usual value. A schema this module
does not understand (another field type, pre_load or validates hooks, `many`, `partial`...)
always goes to `schema.load`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from marshmallow import RAISE, Schema, fields, missing
from marshmallow.decorators import POST_LOAD
from marshmallow.utils import is_aware

Loader = Callable[[Any], Any]
Step = tuple[str, str, Callable[[Any], Any], bool, Any, bool, tuple[Callable[[Any], Any], ...]]

# By the schema's id, with the schema (kept alive, so the id is not reused): the envelope's and
# the payloads' schemas are one instance each (envelope._schema), so this stays small.
_LOADERS: dict[int, tuple[Schema, Loader | None]] = {}


class _Slow(Exception):  # noqa: N818 - a signal, not an error
    """The fast path does not decide this input: `schema.load` does."""


def load(schema: Schema, raw: Any) -> Any:
    """What `schema.load(raw)` returns (or raises), through the compiled fast path when the
    schema and the input allow it."""
    loader = loader_of(schema)
    if loader is not None:
        try:
            return loader(raw)
        except _Slow:
            pass
    return schema.load(raw)


def loader_of(schema: Schema) -> Loader | None:
    """The schema's compiled loader (raising _Slow for an input it does not decide), or None
    when the schema has something this module does not compile."""
    found = _LOADERS.get(id(schema))
    if found is None:
        found = _LOADERS[id(schema)] = (schema, _compile(schema))
    return found[1]


def _compile(schema: Schema) -> Loader | None:
    if not _plain(schema):
        return None
    steps: list[Step] = []
    for name, field in schema.load_fields.items():
        convert = _converter(field)
        attribute = field.attribute or name
        if convert is None or field.pre_load or field.post_load or "." in attribute:
            return None
        steps.append(
            (
                field.data_key or name,
                attribute,
                convert,
                field.required,
                field.load_default,
                field.allow_none,
                tuple(field.validators),
            )
        )
    hooks = [getattr(schema, name) for name, _many, _kwargs in schema._hooks[POST_LOAD]]
    return _loader(steps, hooks[0] if hooks else None, schema.unknown)


def _plain(schema: Schema) -> bool:
    """No options or hooks but one simple post_load (as Subject's and Envelope's `make`)."""
    hooks = schema._hooks
    post_load = hooks[POST_LOAD]
    others = [tag for tag, found in hooks.items() if found and tag != POST_LOAD]
    simple_post_load = len(post_load) <= 1 and all(
        not many and not kwargs.get("pass_original") for _name, many, kwargs in post_load
    )
    return (
        not others
        and simple_post_load
        and not schema.many
        and not schema.partial
        and schema.unknown == RAISE
        and schema.dict_class is dict
        and type(schema).handle_error is Schema.handle_error
        and type(schema).load is Schema.load
    )


def _loader(steps: list[Step], hook: Callable[..., Any] | None, unknown: str) -> Loader:
    known = frozenset(step[0] for step in steps)

    def loader(raw: Any) -> Any:
        if type(raw) is not dict or not known.issuperset(raw):  # unknown keys: RAISE
            raise _Slow
        out: dict[str, Any] = {}
        for key, attribute, convert, required, default, allow_none, validators in steps:
            value = raw.get(key, missing)
            if value is missing:
                if required:
                    raise _Slow
                if default is not missing:
                    out[attribute] = default() if callable(default) else default
                continue
            if value is None:
                if not allow_none:
                    raise _Slow
                out[attribute] = None
                continue
            value = convert(value)
            for validator in validators:
                try:
                    validator(value)
                except Exception as err:  # noqa: BLE001 - marshmallow says what was wrong
                    raise _Slow from err
            out[attribute] = value
        if hook is None:
            return out
        try:
            return hook(out, many=False, partial=None, unknown=unknown)
        except Exception as err:  # noqa: BLE001 - marshmallow says what was wrong
            raise _Slow from err

    return loader


# -- the fields' conversions, for the values JSON gives them ---------------------------------------


def _converter(field: fields.Field) -> Callable[[Any], Any] | None:
    kind = type(field)
    if kind in _SIMPLE:
        return _SIMPLE[kind]
    if kind is fields.Boolean:
        return _boolean(field)  # type: ignore[arg-type]
    if kind is fields.Date or (kind is fields.AwareDateTime and _naive_refused(field)):
        return _temporal(field, aware=kind is fields.AwareDateTime)
    if kind is fields.Dict:
        return _dict(field)  # type: ignore[arg-type]
    if kind is fields.Nested:
        return _nested(field)  # type: ignore[arg-type]
    return None


# The UUIDs parsed lately, by their text: an event names its partnership and school (which
# repeat from event to event) and often its subject twice (as the subject and in its data). A
# UUID is immutable, so one instance serves every envelope that names it.
_UUIDS: dict[str, UUID] = {}
UUID_CACHE = 4096


def _uuid(value: Any) -> UUID:
    if type(value) is not str:
        raise _Slow
    found = _UUIDS.get(value)
    if found is not None:
        return found
    try:
        found = UUID(value)
    except ValueError as err:
        raise _Slow from err
    if len(_UUIDS) >= UUID_CACHE:
        _UUIDS.clear()
    _UUIDS[value] = found
    return found


def _string(value: Any) -> str:
    if type(value) is not str:
        raise _Slow
    return value


def _integer(value: Any) -> int:
    if type(value) is not int:  # not a bool, not a float, not a str of digits
        raise _Slow
    return value


_SIMPLE: dict[type, Callable[[Any], Any]] = {
    fields.UUID: _uuid,
    fields.String: _string,
    fields.Integer: _integer,
}


def _boolean(field: fields.Boolean) -> Callable[[Any], Any]:
    # As Boolean._deserialize: bool(value) without truthy values, else True when in truthy,
    # else False when in falsy.
    truthy, falsy = field.truthy, field.falsy
    accepted = {True, False}
    if truthy:
        accepted = ({True} if True in truthy else set()) | (
            {False} if False not in truthy and False in falsy else set()
        )

    def convert(value: Any) -> bool:
        if type(value) is not bool or value not in accepted:
            raise _Slow
        return value

    return convert


def _naive_refused(field: fields.Field) -> bool:
    return getattr(field, "default_timezone", None) is None


def _temporal(field: Any, aware: bool) -> Callable[[Any], Any] | None:
    parse = field.DESERIALIZATION_FUNCS.get(field.format or field.DEFAULT_FORMAT)
    if parse is None:
        return None

    def convert(value: Any) -> Any:
        if type(value) is not str:
            raise _Slow
        try:
            parsed = parse(value)
        except (TypeError, AttributeError, ValueError) as err:
            raise _Slow from err
        if aware and not is_aware(parsed):
            raise _Slow
        return parsed

    return convert


def _dict(field: fields.Dict) -> Callable[[Any], Any] | None:
    keys = field.key_field
    plain_keys = keys is None or (
        type(keys) is fields.String and not keys.validators and not keys.pre_load
    )
    if field.value_field is not None or not plain_keys:
        return None

    def convert(value: Any) -> dict[str, Any]:
        if type(value) is not dict or not all(type(key) is str for key in value):
            raise _Slow
        return dict(value)

    return convert


def _nested(field: fields.Nested) -> Callable[[Any], Any] | None:
    if field.many or field.unknown is not None or field.only or field.exclude:
        return None
    return loader_of(field.schema)
