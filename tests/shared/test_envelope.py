"""The sync envelope: format, round trips and every way a forged or replayed one must fail."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import crypto, hpke
from shared.envelope import (
    Envelope,
    EnvelopeContext,
    open_envelope,
    seal_envelope,
    verify_envelope,
)
from shared.errors import TaiChoError

DEVICE = "3f2b6c1e-8a4d-4c55-9a0e-6f1d2b3c4d5e"
CTX = EnvelopeContext(
    kind="change", sender=DEVICE, recipient="station", seq=7, record_id="HS-01-0042", version=3
)
PAYLOAD = json.dumps({"họ_tên": "Nguyễn Văn A", "cccd": "012345678901"}).encode()


class Keys:
    def __init__(self) -> None:
        self.station_sk, self.station_pk = crypto.new_x25519()
        self.device_sign_sk, self.device_sign_pk = crypto.new_ed25519()


@pytest.fixture
def keys() -> Keys:
    return Keys()


@pytest.fixture
def env(keys: Keys) -> Envelope:
    return seal_envelope(CTX, PAYLOAD, keys.station_pk, keys.device_sign_sk)


def _code(exc: pytest.ExceptionInfo[TaiChoError]) -> str:
    return exc.value.code


def _open(env: Envelope, keys: Keys, expect: EnvelopeContext | None = None) -> bytes:
    return open_envelope(env, keys.station_sk, keys.device_sign_pk, expect)


def _flip(b: bytes, i: int) -> bytes:
    return b[:i] + bytes([b[i] ^ 0x80]) + b[i + 1 :]


def _resign(env: Envelope, keys: Keys, ctx: EnvelopeContext) -> Envelope:
    """What an insider holding the device key could do: relabel old ciphertext and re-sign it."""
    aad = ctx.aad()
    msg = (
        b"taicho-envelope-v1\x00"
        + len(aad).to_bytes(4, "big")
        + aad
        + len(env.enc).to_bytes(4, "big")
        + env.enc
        + env.ct
    )
    return dataclasses.replace(env, ctx=ctx, sig=crypto.sign(keys.device_sign_sk, msg))


# --- round trips and the documented format ----------------------------------------------------


def test_round_trip(env: Envelope, keys: Keys) -> None:
    assert env.v == 1 and env.ctx == CTX
    assert _open(env, keys) == PAYLOAD
    assert _open(env, keys, expect=CTX) == PAYLOAD
    verify_envelope(env, keys.device_sign_pk)


def test_json_round_trip(env: Envelope, keys: Keys) -> None:
    wire = json.dumps(env.to_json())
    back = Envelope.from_json(json.loads(wire))
    assert back == env
    assert _open(back, keys, expect=CTX) == PAYLOAD


def test_to_json_shape(env: Envelope) -> None:
    j = env.to_json()
    assert set(j) == {"v", "ctx", "enc", "ct", "sig"}
    assert j["ctx"] == dataclasses.asdict(CTX)
    assert crypto.b64d(j["enc"]) == env.enc and len(env.enc) == 32
    assert crypto.b64d(j["sig"]) == env.sig and len(env.sig) == 64


def test_aad_is_canonical_json() -> None:
    ctx = dataclasses.replace(CTX, record_id="hồ-sơ/1")
    expected = (
        '{"kind":"change","recipient":"station","record_id":"hồ-sơ/1",'
        f'"sender":"{DEVICE}","seq":7,"v":1,"version":3}}'
    ).encode()
    assert ctx.aad() == expected
    assert ctx.info() == b"taicho/v1/change"


def test_format_is_reimplementable_from_the_docs(env: Envelope, keys: Keys) -> None:
    """Opens and verifies with nothing but the documented recipe and the primitives."""
    aad = json.dumps(
        {"v": 1, **dataclasses.asdict(CTX)}, sort_keys=True, separators=(",", ":")
    ).encode()
    signed = (
        b"taicho-envelope-v1\x00"
        + len(aad).to_bytes(4, "big")
        + aad
        + len(env.enc).to_bytes(4, "big")
        + env.enc
        + env.ct
    )
    crypto.verify(keys.device_sign_pk, signed, env.sig)
    pt = hpke.open_(keys.station_sk, env.enc, b"taicho/v1/change", aad, env.ct)
    assert pt == PAYLOAD


def test_station_to_device_direction() -> None:
    dev_sk, dev_pk = crypto.new_x25519()
    st_sign_sk, st_sign_pk = crypto.new_ed25519()
    ctx = EnvelopeContext("feed", "station", DEVICE, 0, "HS-01-0042", 4)
    env = seal_envelope(ctx, b"{}", dev_pk, st_sign_sk)
    assert open_envelope(env, dev_sk, st_sign_pk, expect=ctx) == b"{}"


ctx_strategy = st.builds(
    EnvelopeContext,
    kind=st.sampled_from(["change", "feed", "escrow", "unlock"]),
    sender=st.uuids().map(str),
    recipient=st.just("station"),
    seq=st.integers(0, 2**53 - 1),
    record_id=st.text(min_size=1, max_size=60),
    version=st.integers(0, 2**31),
)


@settings(max_examples=40, deadline=None)
@given(ctx=ctx_strategy, payload=st.binary(max_size=2048))
def test_round_trip_property(ctx: EnvelopeContext, payload: bytes) -> None:
    keys = Keys()
    env = seal_envelope(ctx, payload, keys.station_pk, keys.device_sign_sk)
    back = Envelope.from_json(json.loads(json.dumps(env.to_json())))
    assert _open(back, keys, expect=ctx) == payload


# --- tampering --------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["enc", "ct", "sig"])
@pytest.mark.parametrize("where", [0, -1])
def test_flipped_bit_fails_signature(env: Envelope, keys: Keys, field: str, where: int) -> None:
    raw = getattr(env, field)
    change: dict[str, Any] = {field: _flip(raw, where % len(raw))}
    bad = dataclasses.replace(env, **change)
    with pytest.raises(TaiChoError) as exc:
        _open(bad, keys)
    assert _code(exc) == "ENVELOPE_BAD_SIGNATURE"
    with pytest.raises(TaiChoError) as exc:
        verify_envelope(bad, keys.device_sign_pk)
    assert _code(exc) == "ENVELOPE_BAD_SIGNATURE"


CHANGES: dict[str, Any] = {
    "kind": "feed",
    "sender": "5a5a5a5a-0000-4000-8000-000000000000",
    "recipient": "other-station",
    "seq": 8,
    "record_id": "HS-01-0043",
    "version": 4,
}


@pytest.mark.parametrize("field", list(CHANGES))
def test_changed_context_fails_signature(env: Envelope, keys: Keys, field: str) -> None:
    bad = dataclasses.replace(env, ctx=dataclasses.replace(CTX, **{field: CHANGES[field]}))
    with pytest.raises(TaiChoError) as exc:
        _open(bad, keys)
    assert _code(exc) == "ENVELOPE_BAD_SIGNATURE"


@pytest.mark.parametrize("field", list(CHANGES))
def test_replay_under_another_context_fails_even_if_resigned(
    env: Envelope, keys: Keys, field: str
) -> None:
    """AAD and info bind the context, so a valid signature alone cannot move a ciphertext."""
    moved = _resign(env, keys, dataclasses.replace(CTX, **{field: CHANGES[field]}))
    verify_envelope(moved, keys.device_sign_pk)  # the signature itself is fine
    with pytest.raises(TaiChoError) as exc:
        _open(moved, keys)
    assert _code(exc) == "DECRYPT_FAILED"


@pytest.mark.parametrize("field", list(CHANGES))
def test_expected_context_mismatch_names_the_field(env: Envelope, keys: Keys, field: str) -> None:
    expect = dataclasses.replace(CTX, **{field: CHANGES[field]})
    with pytest.raises(TaiChoError) as exc:
        _open(env, keys, expect=expect)
    assert _code(exc) == "ENVELOPE_CONTEXT_MISMATCH"
    assert exc.value.ctx["detail"] == field
    assert field in exc.value.message("en")


def test_context_checked_after_signature(env: Envelope, keys: Keys) -> None:
    bad = dataclasses.replace(env, sig=_flip(env.sig, 0))
    with pytest.raises(TaiChoError) as exc:
        _open(bad, keys, expect=dataclasses.replace(CTX, seq=99))
    assert _code(exc) == "ENVELOPE_BAD_SIGNATURE"


def test_swapped_ciphertexts_between_envelopes(keys: Keys) -> None:
    a = seal_envelope(CTX, b"first", keys.station_pk, keys.device_sign_sk)
    b = seal_envelope(
        dataclasses.replace(CTX, seq=8), b"second", keys.station_pk, keys.device_sign_sk
    )
    mixed = _resign(dataclasses.replace(a, enc=b.enc, ct=b.ct), keys, a.ctx)
    with pytest.raises(TaiChoError) as exc:
        _open(mixed, keys)
    assert _code(exc) == "DECRYPT_FAILED"


def test_wrong_recipient_key(env: Envelope, keys: Keys) -> None:
    other_sk, _ = crypto.new_x25519()
    with pytest.raises(TaiChoError) as exc:
        open_envelope(env, other_sk, keys.device_sign_pk)
    assert _code(exc) == "DECRYPT_FAILED"


def test_wrong_signer_key(env: Envelope, keys: Keys) -> None:
    _, other_pk = crypto.new_ed25519()
    with pytest.raises(TaiChoError) as exc:
        open_envelope(env, keys.station_sk, other_pk)
    assert _code(exc) == "ENVELOPE_BAD_SIGNATURE"
    with pytest.raises(TaiChoError) as exc:
        verify_envelope(env, other_pk)
    assert _code(exc) == "ENVELOPE_BAD_SIGNATURE"


def test_signed_by_someone_else(keys: Keys) -> None:
    rogue_sk, _ = crypto.new_ed25519()
    env = seal_envelope(CTX, PAYLOAD, keys.station_pk, rogue_sk)
    with pytest.raises(TaiChoError) as exc:
        _open(env, keys)
    assert _code(exc) == "ENVELOPE_BAD_SIGNATURE"


def test_unsupported_version_object(env: Envelope, keys: Keys) -> None:
    with pytest.raises(TaiChoError) as exc:
        _open(dataclasses.replace(env, v=2), keys)
    assert _code(exc) == "ENVELOPE_MALFORMED"


# --- strict parsing ---------------------------------------------------------------------------


def _mutated(env: Envelope, path: tuple[str, ...], value: Any) -> dict[str, Any]:
    j = env.to_json()
    target = j
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return j


_DELETE = object()
_B64_32 = crypto.b64e(bytes(32))

BAD_JSON: list[tuple[str, tuple[str, ...], Any]] = [
    ("missing enc", ("enc",), _DELETE),
    ("extra key", ("extra",), "x"),
    ("v=2", ("v",), 2),
    ("v=true", ("v",), True),
    ("v string", ("v",), "1"),
    ("ctx list", ("ctx",), []),
    ("ctx missing seq", ("ctx", "seq"), _DELETE),
    ("ctx extra", ("ctx", "hop"), 1),
    ("seq negative", ("ctx", "seq"), -1),
    ("seq bool", ("ctx", "seq"), True),
    ("seq float", ("ctx", "seq"), 7.0),
    ("seq string", ("ctx", "seq"), "7"),
    ("seq huge", ("ctx", "seq"), 2**64),
    ("version null", ("ctx", "version"), None),
    ("kind empty", ("ctx", "kind"), ""),
    ("kind odd", ("ctx", "kind"), "ch ange"),
    ("kind non-ascii", ("ctx", "kind"), "thay_đổi"),
    ("sender int", ("ctx", "sender"), 5),
    ("record_id long", ("ctx", "record_id"), "x" * 201),
    ("record_id surrogate", ("ctx", "record_id"), "\ud800"),
    ("enc not b64", ("enc",), "!!!"),
    ("enc padded", ("enc",), _B64_32 + "="),
    ("enc short", ("enc",), crypto.b64e(bytes(31))),
    ("enc bytes", ("enc",), bytes(32)),
    ("ct short", ("ct",), crypto.b64e(bytes(15))),
    ("sig short", ("sig",), crypto.b64e(bytes(63))),
    ("sig null", ("sig",), None),
]


@pytest.mark.parametrize(("path", "value"), [b[1:] for b in BAD_JSON], ids=[b[0] for b in BAD_JSON])
def test_from_json_rejects(env: Envelope, path: tuple[str, ...], value: Any) -> None:
    with pytest.raises(TaiChoError) as exc:
        Envelope.from_json(_mutated(env, path, value))
    assert _code(exc) == "ENVELOPE_MALFORMED"
    assert exc.value.ctx.get("detail")


@pytest.mark.parametrize("data", [None, 1, "x", [], [1, 2], {}, {"v": 1}])
def test_from_json_rejects_non_envelopes(data: object) -> None:
    with pytest.raises(TaiChoError) as exc:
        Envelope.from_json(data)
    assert _code(exc) == "ENVELOPE_MALFORMED"


def test_truncated_json_text_never_yields_an_envelope(env: Envelope) -> None:
    text = json.dumps(env.to_json())
    for cut in range(len(text)):
        try:
            data = json.loads(text[:cut])
        except json.JSONDecodeError:
            continue
        with pytest.raises(TaiChoError) as exc:
            Envelope.from_json(data)
        assert _code(exc) == "ENVELOPE_MALFORMED"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(data=json_values)
def test_from_json_garbage_only_ever_malformed(data: object) -> None:
    with pytest.raises(TaiChoError) as exc:
        Envelope.from_json(data)
    assert _code(exc) == "ENVELOPE_MALFORMED"


@settings(max_examples=150, deadline=None)
@given(
    key=st.sampled_from(["v", "enc", "ct", "sig", "ctx"]),
    sub=st.sampled_from(["kind", "sender", "recipient", "seq", "record_id", "version"]),
    value=json_values,
)
def test_mutated_envelope_never_opens_with_other_content(key: str, sub: str, value: Any) -> None:
    """Whatever a relay changes, parsing or opening fails with a catalogued error, never a crash."""
    keys = Keys()
    env = seal_envelope(CTX, PAYLOAD, keys.station_pk, keys.device_sign_sk)
    j = env.to_json()
    if key == "ctx":
        j["ctx"][sub] = value
    else:
        j[key] = value
    try:
        parsed = Envelope.from_json(j)
        out = _open(parsed, keys)
    except TaiChoError as exc:
        assert exc.code in {"ENVELOPE_MALFORMED", "ENVELOPE_BAD_SIGNATURE", "DECRYPT_FAILED"}
    else:
        assert parsed == env and out == PAYLOAD  # only an identical value can get through


def test_context_validation_on_construction() -> None:
    with pytest.raises(TaiChoError) as exc:
        EnvelopeContext("change", DEVICE, "station", -1, "r", 0)
    assert _code(exc) == "ENVELOPE_MALFORMED"
    with pytest.raises(TaiChoError):
        EnvelopeContext("", DEVICE, "station", 0, "r", 0)
