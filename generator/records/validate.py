"""Plain data + SourceMap -> a pydantic record, or located problems in words.

pydantic's messages are written for programmers ("Input should be a valid
string"); ours say what is wrong with the value and how to fix it, in the
`path:line:col: field: message` form. tests/test_validation.py pins them.
"""

from __future__ import annotations

import datetime
import difflib
import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..problems import Problem
from .source import SourceMap, field_path

__all__ = ["field_path", "validate"]


def validate(cls: type[BaseModel], data: Any, sm: SourceMap,
             subject: str = "the file") -> tuple[Any, list[Problem]]:
    """Return (record or None, problems) for data read from one file (or one item of a list file)."""
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {_kind(data)}"
        line, col = sm.value_at(())
        return None, [Problem(sm.path, line, col, "",
                              f"expected a mapping of keys to values, but {subject} is {what}")]
    try:
        return cls.model_validate(data), []
    except ValidationError as exc:
        problems = [_problem(cls, err, sm, data) for err in exc.errors(include_url=False)]
        return None, _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.line, p.col, p.field)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _clean_loc(loc: tuple, data: Any, missing: bool) -> tuple:
    """Return loc without the parts pydantic adds for union members ("function-after[...]", "str").

    Only parts the file does not hold can be such names: a key may well be called
    "date" (deprecation.date) or contain "[", and a missing key is named last.
    """
    out, current = [], data
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out.append(part)
            current = current[part] if isinstance(current, list) and 0 <= part < len(current) else None
        elif isinstance(current, dict) and part in current:
            out.append(part)
            current = current[part]
        elif not _is_internal(part) or (missing and i == len(loc) - 1):
            out.append(part)
            current = None
    return tuple(out)


def _is_internal(part: str) -> bool:
    return "[" in part or part in ("str", "int", "float", "bool", "date", "list", "dict",
                                   "constrained-str", "lax-or-strict", "json-or-python")


def _problem(cls: type[BaseModel], err: dict, sm: SourceMap, data: Any) -> Problem:
    kind = err["type"]
    loc = _clean_loc(tuple(err["loc"]), data, kind == "missing")
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        line, col = sm.key_at(loc[:-1])  # the enclosing key: (1, 1) at the top of a file
        return Problem(sm.path, line, col, field_path(loc), "required key is missing")
    if kind == "extra_forbidden":
        line, col = sm.key_at(loc)
        known = _fields_at(cls, loc[:-1])
        message = "unknown key"
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        if close:
            message += f' (did you mean "{close[0]}"?)'
        elif known:
            message += f"; allowed here: {', '.join(known)}"
        return Problem(sm.path, line, col, field_path(loc), message)
    line, col = sm.value_at(loc)
    return Problem(sm.path, line, col, field_path(loc), _message(kind, value, ctx, err, sm.plain.get(loc)))


def _message(kind: str, value: Any, ctx: dict, err: dict, plain: str | None) -> str:
    got = _show(value)
    if plain == "":  # `key:` with nothing after it is YAML's null, not a misread word
        if kind == "string_type":
            return "must be text, but the value is empty"
        plain = None
    if plain is not None and kind in ("string_type", "literal_error", "string_pattern_mismatch"):
        if got == plain:  # a number that looks like one: nothing was misread
            return f'must be text, got {got}; write it in quotes: "{plain}"'
        return (f"must be text, but YAML reads the unquoted {plain} as {got}; "
                f'write it in quotes: "{plain}"')
    if kind == "string_type":
        return f"must be text, got {got}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=",
              "less_than": "<"}[kind]
        bound = next(iter(ctx.values()))
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)  # Field(ge=0) on a float field reports 0.0
        return f"must be {op} {bound}, got {got}"
    if kind == "literal_error":
        options = [o.strip().strip("'") for o in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
        message = f"must be one of {', '.join(options)}; got {got}"
        close = difflib.get_close_matches(str(value), options, n=1)
        return message + (f' (did you mean "{close[0]}"?)' if close else "")
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if "/" in pattern:
            return f'must be "<provider>/<slug>" in lowercase letters, digits, ".", "_" or "-"; got {got}'
        if "\\d{4}" in pattern:
            return f'must be a month written "YYYY-MM" (quoted), got {got}'
        if "A-Z" in pattern:
            return f"must be an environment variable name, got {got}"
        return (f'must be an id: lowercase letters, digits, ".", "_" or "-", starting with '
                f"a letter or digit; got {got}")
    if kind in ("string_too_long",):
        size = f", got {len(value):,}" if isinstance(value, str) else ""
        return f"must be at most {ctx.get('max_length'):,} characters long{size}"
    if kind in ("string_too_short",):
        return "must not be empty"
    if kind == "too_short":
        return "needs at least one item"
    if kind == "too_long":
        return f"has {ctx.get('actual_length', 0):,} items; at most {ctx.get('max_length'):,} are allowed"
    if kind == "bool_type":
        return f"must be true or false, got {got}"
    if kind in ("int_type", "int_from_float", "float_type") and isinstance(value, str):
        written = _yaml11_number(value, whole=kind != "float_type")
        if written is not None and written != value:  # else it was quoted: YAML 1.1 reads it unquoted
            what = "a number" if kind == "float_type" else "a whole number"
            return (f"must be {what}, but YAML reads {value} as text (YAML 1.1 numbers need a dot "
                    f"and a signed exponent); write {written}")
    if kind in ("int_type", "int_from_float"):
        return f"must be a whole number, got {got}"
    if kind == "float_type":
        return f"must be a number, got {got}"
    if kind == "finite_number":
        return f"must be a finite number, got {got}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact"):
        return f"must be a date written YYYY-MM-DD, got {got}"
    if kind == "list_type":
        return f"must be a list, got {got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"must be a mapping of keys to values, got {got}"
    if kind == "value_error":
        return str(ctx.get("error", err.get("msg", "invalid value")))
    return f"{err.get('msg', 'invalid value')}, got {got}"


_EXPONENT = re.compile(r"([-+]?)([0-9]*)(?:\.([0-9]*))?[eE]([-+]?)([0-9]+)")


def _yaml11_number(text: str, whole: bool) -> str | None:
    """Return how to write text (1e308, 2E-6: a number in JSON and YAML 1.2) so that YAML 1.1 reads
    it as one, or None when text is no such number. A whole number is written out in digits."""
    m = _EXPONENT.fullmatch(text.strip())
    if m is None or not (m.group(2) or m.group(3)):
        return None
    sign, head, tail, exp_sign, exp = m.groups()
    number = float(text)
    if whole:
        if not number.is_integer() or abs(number) >= 1e18:
            return None
        return str(int(number))
    return f"{sign}{head or '0'}.{tail or '0'}e{exp_sign or '+'}{exp}"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null (nothing)"
    if isinstance(value, (dict,)):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    return repr(value)


def _kind(value: Any) -> str:
    return {list: "list", str: "single text value", int: "number", float: "number",
            bool: "boolean"}.get(type(value), type(value).__name__)


def _fields_at(cls: type[BaseModel], loc: tuple) -> list[str]:
    """Return the field names of the record type found at loc inside cls."""
    current: Any = cls
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            current = info.annotation if info else None
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    """Strip Optional/Annotated to the record or list type inside."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        else:
            return tp
