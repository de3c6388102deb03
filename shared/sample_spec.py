"""A procedure's sample as data: the ``sample.json`` of its folder, read and drawn here.

A sample is a complete, valid dossier made of made-up people (``headless sample``, the
demo, tests and benchmarks). Its values are data — literals, and *draws* from the
people generators of :mod:`shared.procedures.people` with a ``random.Random(seed)`` —
so a procedure folder needs no Python for it::

    {"values": {
        "$female": {"chance": 0.5},
        "$born": {"birth_date": [18, 70]},
        "requester_full_name": {"full_name": {"female": "$female"}},
        "requester_id_type": "cccd",
        "requester_id_number": {"personal_id": {"female": "$female", "born": "$born"}},
        "page_count": {"int": [1, 6]}
    }}

``values`` is read **in the order written**: each entry draws (or not) in turn, so one
seed always gives the same people, and every test that names a seeded person keeps
naming the same one. A key ``$name`` is a variable (drawn, not part of the dossier) that
later entries use as ``"$name"``; any other key is a field of the procedure. A value is
a JSON literal, a variable, or an object of one key naming a generator (the table in
docs/procedures.md, "Samples"). A date comes out as ``YYYY-MM-DD``.

The file is checked when the registry loads it: an unknown generator, a wrong argument,
a variable used before it is drawn, a field the procedure does not have, a repeated key —
``CATALOGUE_INVALID`` naming the file, the entry and what is wrong.
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.procedures import people

__all__ = ["GENERATORS", "SampleSpec", "SampleSpecError", "load_sample_json", "parse_sample_spec"]


class SampleSpecError(ValueError):
    """A wrong sample file: ``where`` (a JSON path) and ``detail`` say where and what."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"{where}: {detail}")
        self.where = where
        self.detail = detail


@dataclass
class _Draw:
    """What one drawing of a sample works with: the seeded generator, the day the dates
    count from, and the variables drawn so far."""

    rng: random.Random
    today: date
    env: dict[str, Any]


Node = Callable[[_Draw], Any]

# Named lists a ``one_of`` may draw from (people.py's own lists).
_LISTS: dict[str, list[str]] = {"places": people.PLACES, "family_names": people.FAMILY}


def _int(data: Any, where: str) -> int:
    if not isinstance(data, int) or isinstance(data, bool):
        raise SampleSpecError(where, "expected a whole number")
    return data


def _range(data: Any, where: str) -> tuple[int, int]:
    if not isinstance(data, list) or len(data) != 2:
        raise SampleSpecError(where, "expected [lowest, highest]")
    lo, hi = _int(data[0], f"{where}[0]"), _int(data[1], f"{where}[1]")
    if lo > hi:
        raise SampleSpecError(where, "lowest is above highest")
    return lo, hi


def _args(
    data: Any, where: str, required: set[str], optional: set[str], known: set[str]
) -> dict[str, Node]:
    if not isinstance(data, dict):
        raise SampleSpecError(where, f"expected an object with {', '.join(sorted(required))}")
    if unknown := sorted(set(data) - required - optional):
        raise SampleSpecError(where, f"unknown argument(s) {', '.join(unknown)}")
    if missing := sorted(required - set(data)):
        raise SampleSpecError(where, f"missing argument(s) {', '.join(missing)}")
    return {k: _node(v, f"{where}.{k}", known) for k, v in data.items()}


def _chance(data: Any, where: str, known: set[str]) -> Node:
    if not isinstance(data, (int, float)) or isinstance(data, bool) or not 0 <= data <= 1:
        raise SampleSpecError(where, "expected a probability between 0 and 1")
    p = float(data)
    return lambda d: d.rng.random() < p


def _birth_date(data: Any, where: str, known: set[str]) -> Node:
    lo, hi = _range(data, where)
    return lambda d: people.birth_date(d.rng, d.today, lo, hi)


def _days_ago(data: Any, where: str, known: set[str]) -> Node:
    lo, hi = _range(data, where)
    return lambda d: d.today - timedelta(days=d.rng.randint(lo, hi))


def _randint(data: Any, where: str, known: set[str]) -> Node:
    lo, hi = _range(data, where)
    return lambda d: d.rng.randint(lo, hi)


def _one_of(data: Any, where: str, known: set[str]) -> Node:
    if isinstance(data, str):
        if data not in _LISTS:
            raise SampleSpecError(where, f"unknown list '{data}' ({', '.join(sorted(_LISTS))})")
        items = _LISTS[data]
        return lambda d: d.rng.choice(items)
    if not isinstance(data, list) or not data:
        raise SampleSpecError(where, "expected a non-empty list or a list's name")
    nodes = [_node(v, f"{where}[{i}]", known) for i, v in enumerate(data)]
    return lambda d: d.rng.choice(nodes)(d)


def _full_name(data: Any, where: str, known: set[str]) -> Node:
    a = _args(data, where, {"female"}, {"family"}, known)
    family = a.get("family")
    return lambda d: people.full_name(
        d.rng, bool(a["female"](d)), str(family(d)) if family is not None else None
    )


def _personal_id(data: Any, where: str, known: set[str]) -> Node:
    a = _args(data, where, {"female", "born"}, set(), known)
    return lambda d: people.personal_id(d.rng, bool(a["female"](d)), a["born"](d))


def _phone(data: Any, where: str, known: set[str]) -> Node:
    _args(data, where, set(), set(), known)
    return lambda d: people.phone(d.rng)


def _card_issued(data: Any, where: str, known: set[str]) -> Node:
    born = _node(data, where, known)
    return lambda d: people.card_issue_date(d.rng, d.today, born(d))


def _format(data: Any, where: str, known: set[str]) -> Node:
    if not isinstance(data, list) or not data or not isinstance(data[0], str):
        raise SampleSpecError(where, 'expected ["pattern", value, …]')
    pattern, parts = data[0], data[1:]
    slots = [f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None]
    if any(slots) or len(slots) != len(parts):  # only "{}" / "{:02d}", one per value
        raise SampleSpecError(where, f"the pattern needs {len(parts)} plain '{{}}' slot(s)")
    nodes = [_node(v, f"{where}[{i + 1}]", known) for i, v in enumerate(parts)]
    try:
        pattern.format(*([0] * len(parts)))
    except (ValueError, IndexError) as exc:
        raise SampleSpecError(where, f"bad pattern: {exc}") from None
    return lambda d: pattern.format(*[n(d) for n in nodes])


def _if(data: Any, where: str, known: set[str]) -> Node:
    if not isinstance(data, list) or len(data) != 3:
        raise SampleSpecError(where, "expected [test, value if true, value if false]")
    test, yes, no = (_node(v, f"{where}[{i}]", known) for i, v in enumerate(data))
    return lambda d: yes(d) if test(d) else no(d)


def _not(data: Any, where: str, known: set[str]) -> Node:
    value = _node(data, where, known)
    return lambda d: not value(d)


# Each generator: its argument (as written) → a function of a drawing.
GENERATORS: dict[str, Callable[[Any, str, set[str]], Node]] = {
    "chance": _chance,
    "birth_date": _birth_date,
    "days_ago": _days_ago,
    "int": _randint,
    "one_of": _one_of,
    "full_name": _full_name,
    "personal_id": _personal_id,
    "phone": _phone,
    "card_issued": _card_issued,
    "format": _format,
    "if": _if,
    "not": _not,
}


def _node(data: Any, where: str, known: set[str]) -> Node:
    if isinstance(data, str) and data.startswith("$"):
        name = data[1:]
        if name not in known:
            raise SampleSpecError(where, f"variable '{data}' is used before it is drawn")
        return lambda d: d.env[name]
    if isinstance(data, dict):
        if len(data) != 1:
            raise SampleSpecError(where, "a generator is an object of one key")
        ((name, arg),) = data.items()
        make = GENERATORS.get(name)
        if make is None:
            raise SampleSpecError(
                where, f"unknown generator '{name}' ({', '.join(sorted(GENERATORS))})"
            )
        return make(arg, f"{where}.{name}", known)
    if isinstance(data, list):
        raise SampleSpecError(where, "a list is an argument, not a value")
    return lambda d: data


@dataclass(frozen=True)
class SampleSpec:
    """A parsed sample file: its entries in order (variables and fields)."""

    entries: tuple[tuple[str, Node], ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.entries if not k.startswith("$"))

    def draw(self, today: date, seed: int = 0) -> dict[str, Any]:
        """The sample's values for ``today``; ``seed`` varies the people."""
        d = _Draw(random.Random(seed), today, {})
        out: dict[str, Any] = {}
        for key, node in self.entries:
            value = node(d)
            if key.startswith("$"):
                d.env[key[1:]] = value
            else:
                out[key] = value.isoformat() if isinstance(value, date) else value
        return out


def parse_sample_spec(data: Any, field_ids: Collection[str]) -> SampleSpec:
    """Check a sample document against its procedure's field ids and compile it."""
    if not isinstance(data, dict) or set(data) != {"values"}:
        raise SampleSpecError("$", 'expected {"values": {…}}')
    values = data["values"]
    if not isinstance(values, dict) or not values:
        raise SampleSpecError("$.values", "expected a non-empty object")
    known: set[str] = set()
    entries: list[tuple[str, Node]] = []
    for key, raw in values.items():
        where = f"$.values.{key}"
        node = _node(raw, where, known)
        if key.startswith("$"):
            if not key[1:].isidentifier():
                raise SampleSpecError(where, "a variable is $ and a name")
            known.add(key[1:])
        elif key not in field_ids:
            raise SampleSpecError(where, f"the procedure has no field '{key}'")
        entries.append((key, node))
    return SampleSpec(tuple(entries))


def load_sample_json(text: str) -> Any:
    """JSON whose objects may not repeat a key (a repeated entry would silently replace
    the first, and the draws after it would shift)."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise SampleSpecError(f"$.values.{k}", "repeated key")
            out[k] = v
        return out

    return json.loads(text, object_pairs_hook=pairs)
