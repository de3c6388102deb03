"""A small strict decoder, encoder and JSON Schema writer for the wire records.

Why our own and not msgspec or pydantic: the tablet build uses Flet's mobile package index,
where neither is reliably available, and the records are few and flat. The rules are the
protocol's: a message from a peer is decoded field by field against its dataclass
declaration; unknown keys, missing keys, wrong types (a bool is not an integer), integers
out of range and over-long strings become a catalogued ``REQUEST_INVALID`` problem naming
the field, never an exception of another kind and never a half-built record. The same
declaration yields the JSON Schema the station shows in ``/openapi.json``.

Constraints ride on the dataclass fields (``spec(...)``): ``lo``/``hi`` for integers (the
default range is ``0..MAX_INT``), ``min_len``/``max_len``/``pattern`` for strings (default
``max_len`` is ``MAX_TEXT``), ``max_items`` for lists. Types that decode themselves (the
envelope, the unit) are registered with :func:`register_codec`.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from shared.errors import TaiChoError, problem

# Sequence numbers, cursors, versions and counts fit a signed 32-bit integer: far beyond a
# commune's lifetime of dossiers, and small enough that every peer (SQLite, JavaScript,
# Dart) stores and increments them exactly.
MAX_INT = 2**31 - 1
MAX_TEXT = 1_000
MAX_ITEMS = 10_000
ISO_LEN = 40  # an ISO 8601 timestamp with offset is 25 characters: the bound records use

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Codec:
    """A type that decodes and encodes itself (its own strict parser is the definition)."""

    decode: Callable[[Any], Any]
    encode: Callable[[Any], Any]
    schema: dict[str, Any]


_CODECS: dict[type, Codec] = {}
_HINTS: dict[type, dict[str, Any]] = {}


def register_codec(
    tp: type, decode: Callable[[Any], Any], encode: Callable[[Any], Any], schema: dict[str, Any]
) -> None:
    _CODECS[tp] = Codec(decode, encode, schema)


def spec(
    *,
    lo: int | None = None,
    hi: int | None = None,
    min_len: int | None = None,
    max_len: int | None = None,
    pattern: str | None = None,
    max_items: int | None = None,
    default: Any = dataclasses.MISSING,
    doc: str | None = None,
) -> Any:
    """A dataclass field with wire constraints (see the module docstring)."""
    meta = {
        k: v
        for k, v in {
            "lo": lo,
            "hi": hi,
            "min_len": min_len,
            "max_len": max_len,
            "pattern": pattern,
            "max_items": max_items,
            "doc": doc,
        }.items()
        if v is not None
    }
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata=meta)
    if isinstance(default, list | dict):
        return dataclasses.field(default_factory=lambda: type(default)(), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def _invalid(path: str, detail: str, detail_vi: str) -> TaiChoError:
    """REQUEST_INVALID naming the field (its path) and why, in English and Vietnamese."""
    where = path or "body"
    return problem(
        "REQUEST_INVALID",
        path or None,
        detail=f"{where}: {detail}",
        detail_vi=f"{path or 'nội dung'}: {detail_vi}",
    )


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _has_default(f: dataclasses.Field[Any]) -> bool:
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    factory: Callable[[], Any] = f.default_factory  # type: ignore[assignment]
    return factory()


def decode(cls: type[T], data: Any, path: str = "") -> T:
    """Strictly decode ``data`` (parsed JSON) into the record ``cls``."""
    if not isinstance(data, dict):
        raise _invalid(path, "must be a JSON object", "phải là một đối tượng JSON")
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    extra = sorted(str(k) for k in data if k not in fields)
    if extra:
        raise _invalid(_join(path, extra[0]), "unknown key", "mục không có trong mẫu")
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for name, f in fields.items():
        where = _join(path, name)
        if name not in data:
            if not _has_default(f):
                raise _invalid(where, "missing", "còn thiếu")
            values[name] = _default(f)
            continue
        values[name] = _conv(hints[name], data[name], where, dict(f.metadata))
    obj = cls(**values)
    check = getattr(obj, "wire_check", None)
    if callable(check):
        check(path)
    return obj


def _conv(tp: Any, v: Any, path: str, meta: dict[str, Any]) -> Any:
    if tp is Any:
        return v
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        if v is None:
            if type(None) in args:
                return None
            raise _invalid(path, "must not be null", "không được để trống")
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1:
            raise TypeError(f"unsupported union {tp}")
        return _conv(rest[0], v, path, meta)
    if origin is Literal:
        if not any(v == a and type(v) is type(a) for a in get_args(tp)):
            raise _invalid(
                path,
                f"must be one of {list(get_args(tp))}",
                f"phải là một trong {list(get_args(tp))}",
            )
        return v
    if origin is list or origin is tuple:
        if not isinstance(v, list):
            raise _invalid(path, "must be a list", "phải là một danh sách")
        limit = meta.get("max_items", MAX_ITEMS)
        if len(v) > limit:
            raise _invalid(path, f"at most {limit} items", f"tối đa {limit} mục")
        item_tp = get_args(tp)[0]
        items = [_conv(item_tp, x, f"{path}[{i}]", meta) for i, x in enumerate(v)]
        return tuple(items) if origin is tuple else items
    if origin is dict or tp is dict:
        if not isinstance(v, dict) or not all(isinstance(k, str) for k in v):
            raise _invalid(path, "must be a JSON object", "phải là một đối tượng JSON")
        return v
    if tp in _CODECS:
        return _CODECS[tp].decode(v)
    if tp is bool:
        if not isinstance(v, bool):
            raise _invalid(path, "must be true or false", "phải là đúng hoặc sai (true/false)")
        return v
    if tp is int:
        if not isinstance(v, int) or isinstance(v, bool):
            raise _invalid(path, "must be an integer", "phải là số nguyên")
        lo, hi = meta.get("lo", 0), meta.get("hi", MAX_INT)
        if not lo <= v <= hi:
            raise _invalid(path, f"must be in {lo}..{hi}", f"phải trong khoảng {lo}..{hi}")
        return v
    if tp is str:
        return _text(v, path, meta)
    if isinstance(tp, type) and issubclass(tp, Enum):
        if not isinstance(v, str) or v not in {m.value for m in tp}:
            raise _invalid(
                path,
                f"must be one of {[m.value for m in tp]}",
                f"phải là một trong {[m.value for m in tp]}",
            )
        return tp(v)
    if dataclasses.is_dataclass(tp):
        return decode(typing.cast(type, tp), v, path)
    raise TypeError(f"no wire rule for {tp!r}")


def _text(v: Any, path: str, meta: dict[str, Any]) -> str:
    if not isinstance(v, str):
        raise _invalid(path, "must be a string", "phải là chuỗi ký tự")
    max_len = meta.get("max_len", MAX_TEXT)
    if len(v) > max_len:
        raise _invalid(path, f"at most {max_len} characters", f"tối đa {max_len} ký tự")
    if len(v) < meta.get("min_len", 0):
        raise _invalid(
            path, f"at least {meta['min_len']} characters", f"ít nhất {meta['min_len']} ký tự"
        )
    pattern = meta.get("pattern")
    if pattern is not None and not re.fullmatch(pattern, v):
        raise _invalid(path, "wrong format", "sai định dạng")
    return v


def encode(obj: Any) -> Any:
    """The JSON form of a record (fields defaulting to None are left out when None)."""
    tp = type(obj)
    if tp in _CODECS:
        return _CODECS[tp].encode(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if value is None and f.default is None:
                continue
            out[f.name] = encode(value)
        return out
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, list | tuple):
        return [encode(x) for x in obj]
    if isinstance(obj, dict):
        return {k: encode(v) for k, v in obj.items()}
    return obj


def schema(tp: Any, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """JSON Schema (draft 2020-12, inline, no references) of a declared type."""
    meta = meta or {}
    out = _schema(tp, meta)
    if "doc" in meta:
        out = {**out, "description": meta["doc"]}
    return out


def _schema(tp: Any, meta: dict[str, Any]) -> dict[str, Any]:
    if tp is Any:
        return {}
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        rest = [schema(a, meta) for a in args if a is not type(None)]
        options = rest + ([{"type": "null"}] if type(None) in args else [])
        return options[0] if len(options) == 1 else {"anyOf": options}
    if origin is Literal:
        values = list(get_args(tp))
        return {"const": values[0]} if len(values) == 1 else {"enum": values}
    if origin is list or origin is tuple:
        item_meta = {k: v for k, v in meta.items() if k not in ("max_items", "doc")}
        return {
            "type": "array",
            "items": schema(get_args(tp)[0], item_meta),
            "maxItems": meta.get("max_items", MAX_ITEMS),
        }
    if origin is dict or tp is dict:
        return {"type": "object"}
    if tp in _CODECS:
        return dict(_CODECS[tp].schema)
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer", "minimum": meta.get("lo", 0), "maximum": meta.get("hi", MAX_INT)}
    if tp is str:
        out: dict[str, Any] = {"type": "string", "maxLength": meta.get("max_len", MAX_TEXT)}
        if "min_len" in meta:
            out["minLength"] = meta["min_len"]
        if "pattern" in meta:
            out["pattern"] = f"^(?:{meta['pattern']})$"
        return out
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"type": "string", "enum": [m.value for m in tp]}
    if dataclasses.is_dataclass(tp):
        return record_schema(typing.cast(type, tp))
    raise TypeError(f"no wire rule for {tp!r}")


def record_schema(cls: type) -> dict[str, Any]:
    hints = _hints(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        props[f.name] = schema(hints[f.name], dict(f.metadata))
        if not _has_default(f):
            required.append(f.name)
    out: dict[str, Any] = {
        "title": cls.__name__,
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }
    doc = (cls.__doc__ or "").strip().split("\n\n")[0]
    if doc:
        out["description"] = " ".join(doc.split())
    return out
