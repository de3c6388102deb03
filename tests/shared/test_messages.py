"""The wire declarations: strict decoding (a problem naming the field, never another
exception), faithful round trips and JSON Schemas that match what the decoder accepts."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import crypto
from shared import messages as m
from shared.envelope import EnvelopeContext, seal_envelope
from shared.errors import TaiChoError
from shared.wire import MAX_INT

DEVICE = "0b7e6a3c-1f2d-4e5a-8b9c-0d1e2f3a4b5c"


def _envelope(seq: int = 1, version: int = 1) -> Any:
    _, x_pk = crypto.new_x25519()
    ed_sk, _ = crypto.new_ed25519()
    ctx = EnvelopeContext("change", DEVICE, "station", seq, "r1", version)
    return seal_envelope(ctx, b"{}", x_pk, ed_sk)


def _problem(cls: type[Any], data: Any) -> TaiChoError:
    with pytest.raises(TaiChoError) as exc:
        m.decode(cls, data)
    return exc.value


def test_pull_request_defaults_and_bounds() -> None:
    assert m.decode(m.PullRequest, {"device_id": "d"}) == m.PullRequest("d", 0, 200)
    for bad, field in (
        ({"device_id": "d", "after": 2**63}, "after"),
        ({"device_id": "d", "after": -1}, "after"),
        ({"device_id": "d", "after": True}, "after"),  # a bool is not an integer
        ({"device_id": "d", "after": 1.0}, "after"),
        ({"device_id": "d", "after": "1"}, "after"),
        ({"device_id": "d", "limit": 0}, "limit"),
        ({"device_id": "d", "limit": 201}, "limit"),
        ({"device_id": 7}, "device_id"),
        ({"device_id": "x" * 201}, "device_id"),
        ({"after": 0}, "device_id"),
        ({"device_id": "d", "cursor": 0}, "cursor"),
    ):
        err = _problem(m.PullRequest, bad)
        assert (err.code, err.field) == ("REQUEST_INVALID", field), bad
    assert _problem(m.PullRequest, [1]).field is None


def test_push_refuses_a_version_or_seq_beyond_the_32_bit_bound() -> None:
    ok = m.decode(m.PushRequest, {"device_id": "d", "changes": [_envelope().to_json()]})
    assert len(ok.changes) == 1
    for seq, version in ((1, 2**53 - 1), (2**31, 1), (MAX_INT + 1, MAX_INT + 1)):
        raw = _envelope(seq, version).to_json()
        err = _problem(m.PushRequest, {"device_id": "d", "changes": [raw]})
        assert err.code == "ENVELOPE_MALFORMED"
    err = _problem(m.PushRequest, {"device_id": "d", "changes": [{}] * 101})
    assert (err.code, err.field) == ("REQUEST_INVALID", "changes")


def test_nested_fields_are_named_with_their_path() -> None:
    dossier: dict[str, Any] = {
        "id": "r1", "code": "X-260101-0101", "procedure": "1.001193", "procedure_version": 1,
        "values": {}, "status": "received", "version": 1, "base_version": 0,
        "device_id": DEVICE, "received_by": "u", "received_at": None, "due_at": None,
    }  # fmt: skip
    submit = m.decode(m.DossierSubmit, {"type": "dossier.submit", "dossier": dossier})
    assert submit.dossier.history == []
    for key, value in (("version", 2**53 - 1), ("status", "lost"), ("values", [])):
        bad = {"type": "dossier.submit", "dossier": {**dossier, key: value}}
        assert _problem(m.DossierSubmit, bad).field == f"dossier.{key}"
    bad = {**dossier, "history": [{"action": 1}]}
    assert _problem(m.Dossier, bad).field == "history[0].action"
    assert _problem(m.DossierSubmit, {"type": "x", "dossier": dossier}).field == "type"


def test_feed_items_round_trip_and_unknown_types_are_refused() -> None:
    items: list[Any] = [
        m.CalendarUpdate("calendar", ["2026-09-02"], ["2026-08-29"]),
        m.StaffUpdate("staff", [m.StaffMember("u", "Nguyễn Văn A", "intake", True)]),
        m.CatalogueUpdate("catalogue", [{"code": "1.001193", "version": 2}]),
    ]
    for item in items:
        raw = json.loads(m.to_json_bytes(item))
        assert m.decode_feed_item(raw) == item
    assert _problem(m.CalendarUpdate, {"type": "calendar", "off": ["2.9"], "work": []}).field == (
        "off[0]"
    )
    with pytest.raises(TaiChoError) as exc:
        m.decode_feed_item({"type": "dossier.deleted"})
    assert (exc.value.code, exc.value.field) == ("REQUEST_INVALID", "type")


def test_parse_json_refuses_non_json_and_nan() -> None:
    for raw in (b"{", b"\xff\xfe", b'{"after": NaN}', b"[" * 100_000):
        with pytest.raises(TaiChoError) as exc:
            m.parse_json(raw)
        assert exc.value.code == "REQUEST_INVALID"


def test_every_message_has_a_closed_json_schema() -> None:
    for cls in m.MESSAGES:
        schema = m.json_schema(cls)
        assert schema["additionalProperties"] is False and schema["title"] == cls.__name__
        assert set(schema["required"]) <= set(schema["properties"])
        names = {f.name for f in dataclasses.fields(cls)}
        assert set(schema["properties"]) == names
    pull = m.json_schema(m.PullRequest)["properties"]
    assert pull["after"] == {"type": "integer", "minimum": 0, "maximum": MAX_INT}


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["device_id", "after", "limit", "x"]), JSON))
def test_decoding_anything_is_a_record_or_a_problem(data: dict[str, Any]) -> None:
    for cls in (m.PullRequest, m.PushRequest, m.EnrollRequest, m.UnlockRequest):
        try:
            m.decode(cls, data)
        except TaiChoError as err:
            assert err.code in ("REQUEST_INVALID", "ENVELOPE_MALFORMED")


def test_problem_of_any_error_never_fails() -> None:
    err = TaiChoError("REQUEST_INVALID", "x" * 500, {"detail": "y" * 5000})
    got = m.Problem.of(err)
    assert got.code == "REQUEST_INVALID" and len(got.message) == 2000
    assert m.decode(m.Problem, m.to_dict(got)) == got
