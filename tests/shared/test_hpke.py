"""RFC 9180 conformance of shared.hpke, plus cross-checks against cryptography's own HPKE.

Runs on cryptography 43.0.1 too (scripts/test-crypto-compat.sh); only the library
cross-check is skipped there, because that build has no hpke module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import hpke
from shared.errors import TaiChoError

VECTORS = json.loads((Path(__file__).parent / "vectors" / "rfc9180_base.json").read_text())
RFC = VECTORS["vectors"]
AES256 = VECTORS["x25519_aes256gcm"]


def h(s: str) -> bytes:
    return bytes.fromhex(s)


def _aead(vec: dict[str, Any]) -> hpke.Aead:
    return hpke.Aead(vec["aead_id"])


def _code(exc: pytest.ExceptionInfo[TaiChoError]) -> str:
    return exc.value.code


@pytest.fixture(params=RFC, ids=[v["name"] for v in RFC])
def vec(request: pytest.FixtureRequest) -> dict[str, Any]:
    assert request.param["mode"] == hpke.MODE_BASE
    assert request.param["kem_id"] == hpke.KEM_ID and request.param["kdf_id"] == hpke.KDF_ID
    return dict(request.param)


# --- RFC 9180 Appendix A vectors -------------------------------------------------------------


def test_vector_keys_are_consistent(vec: dict[str, Any]) -> None:
    sk_r = X25519PrivateKey.from_private_bytes(h(vec["skRm"]))
    sk_e = X25519PrivateKey.from_private_bytes(h(vec["skEm"]))
    assert sk_r.public_key().public_bytes_raw() == h(vec["pkRm"])
    assert sk_e.public_key().public_bytes_raw() == h(vec["pkEm"])


def test_encap_and_decap_give_the_vector_shared_secret(vec: dict[str, Any]) -> None:
    enc, shared = hpke._encap(h(vec["pkRm"]), h(vec["skEm"]))
    assert enc == h(vec["enc"])
    assert shared == h(vec["shared_secret"])
    assert hpke._decap(enc, h(vec["skRm"])) == shared


def test_key_schedule_matches(vec: dict[str, Any]) -> None:
    enc, ctx = hpke._setup_base_sender(h(vec["pkRm"]), h(vec["info"]), h(vec["skEm"]), _aead(vec))
    assert enc == h(vec["enc"])
    assert ctx.key == h(vec["key"])
    assert ctx.base_nonce == h(vec["base_nonce"])
    assert ctx.exporter_secret == h(vec["exporter_secret"])
    rctx = hpke._setup_base_receiver(enc, h(vec["skRm"]), h(vec["info"]), _aead(vec))
    assert (rctx.key, rctx.base_nonce, rctx.exporter_secret) == (
        ctx.key,
        ctx.base_nonce,
        ctx.exporter_secret,
    )


def test_sequence_of_encryptions(vec: dict[str, Any]) -> None:
    """Replays every listed sequence number, which checks the nonce XOR beyond the last byte."""
    _, sender = hpke._setup_base_sender(h(vec["pkRm"]), h(vec["info"]), h(vec["skEm"]), _aead(vec))
    receiver = hpke._setup_base_receiver(h(vec["enc"]), h(vec["skRm"]), h(vec["info"]), _aead(vec))
    for e in vec["encryptions"]:
        sender.seq = receiver.seq = e["seq"]
        assert sender.seal(h(e["aad"]), h(e["pt"])) == h(e["ct"]), e["seq"]
        assert receiver.open(h(e["aad"]), h(e["ct"])) == h(e["pt"]), e["seq"]
        assert sender.seq == receiver.seq == e["seq"] + 1


def test_context_sequence_advances_like_the_rfc(vec: dict[str, Any]) -> None:
    _, sender = hpke._setup_base_sender(h(vec["pkRm"]), h(vec["info"]), h(vec["skEm"]), _aead(vec))
    by_seq = {e["seq"]: e for e in vec["encryptions"]}
    for seq in range(3):
        e = by_seq[seq]
        assert sender.seal(h(e["aad"]), h(e["pt"])) == h(e["ct"])


def test_exports(vec: dict[str, Any]) -> None:
    ctx = hpke._setup_base_receiver(h(vec["enc"]), h(vec["skRm"]), h(vec["info"]), _aead(vec))
    for x in vec["exports"]:
        assert ctx.export(h(x["exporter_context"]), x["L"]) == h(x["exported_value"])


def test_single_shot_matches_sequence_zero(vec: dict[str, Any]) -> None:
    e0 = vec["encryptions"][0]
    assert e0["seq"] == 0
    enc, ct = hpke._seal_with_ephemeral(
        h(vec["skEm"]), h(vec["pkRm"]), h(vec["info"]), h(e0["aad"]), h(e0["pt"]), _aead(vec)
    )
    assert (enc, ct) == (h(vec["enc"]), h(e0["ct"]))
    pt = hpke.open_(h(vec["skRm"]), enc, h(vec["info"]), h(e0["aad"]), ct, aead=_aead(vec))
    assert pt == h(e0["pt"])


def test_boringssl_x25519_aes256gcm_vector() -> None:
    """Our production suite: RFC 9180 has no vector for it, BoringSSL's test data does."""
    e0 = AES256["encryptions"][0]
    _, ct = hpke._seal_with_ephemeral(
        h(AES256["skEm"]),
        h(AES256["pkRm"]),
        h(AES256["info"]),
        h(e0["aad"]),
        h(e0["pt"]),
        hpke.Aead.AES_256_GCM,
    )
    assert ct == h(e0["ct"])


# --- round trips ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    plaintext=st.binary(max_size=2048),
    info=st.binary(max_size=64),
    aad=st.binary(max_size=256),
    aead=st.sampled_from(list(hpke.Aead)),
)
def test_round_trip_property(plaintext: bytes, info: bytes, aad: bytes, aead: hpke.Aead) -> None:
    sk = X25519PrivateKey.generate()
    pk = sk.public_key().public_bytes_raw()
    enc, ct = hpke.seal(pk, info, aad, plaintext, aead=aead)
    assert len(enc) == hpke.N_ENC and len(ct) == len(plaintext) + 16
    assert hpke.open_(sk.private_bytes_raw(), enc, info, aad, ct, aead=aead) == plaintext


def test_default_suite_is_aes_256_gcm() -> None:
    sk = X25519PrivateKey.generate()
    enc, ct = hpke.seal(sk.public_key().public_bytes_raw(), b"i", b"a", b"payload")
    raw = sk.private_bytes_raw()
    assert hpke.open_(raw, enc, b"i", b"a", ct, aead=hpke.Aead.AES_256_GCM) == b"payload"
    for other in (hpke.Aead.AES_128_GCM, hpke.Aead.CHACHA20_POLY1305):
        with pytest.raises(TaiChoError) as exc:
            hpke.open_(raw, enc, b"i", b"a", ct, aead=other)
        assert _code(exc) == "DECRYPT_FAILED"


def test_each_seal_uses_a_fresh_ephemeral_key() -> None:
    pk = X25519PrivateKey.generate().public_key().public_bytes_raw()
    sealed = {hpke.seal(pk, b"", b"", b"same")[0] for _ in range(8)}
    assert len(sealed) == 8


# --- rejection --------------------------------------------------------------------------------


@pytest.fixture
def sealed() -> dict[str, bytes]:
    sk = X25519PrivateKey.generate()
    enc, ct = hpke.seal(sk.public_key().public_bytes_raw(), b"info", b"aad", b"secret payload")
    return {"sk": sk.private_bytes_raw(), "enc": enc, "ct": ct}


def _flip(b: bytes, i: int) -> bytes:
    return b[:i] + bytes([b[i] ^ 0x01]) + b[i + 1 :]


def _open(s: dict[str, bytes], **over: bytes) -> bytes:
    args = {"sk": s["sk"], "enc": s["enc"], "info": b"info", "aad": b"aad", "ct": s["ct"], **over}
    return hpke.open_(args["sk"], args["enc"], args["info"], args["aad"], args["ct"])


@pytest.mark.parametrize(
    "change",
    [
        "flip_enc_first",
        "flip_enc_last",
        "flip_ct_first",
        "flip_ct_tag",
        "wrong_key",
        "wrong_info",
        "wrong_aad",
        "truncated_ct",
        "tag_only",
        "empty_ct",
        "short_enc",
        "long_enc",
        "short_sk",
        "zero_enc",
        "low_order_enc",
    ],
)
def test_open_rejects(sealed: dict[str, bytes], change: str) -> None:
    enc, ct = sealed["enc"], sealed["ct"]
    over: dict[str, bytes] = {
        "flip_enc_first": {"enc": _flip(enc, 0)},
        "flip_enc_last": {"enc": _flip(enc, 30)},
        "flip_ct_first": {"ct": _flip(ct, 0)},
        "flip_ct_tag": {"ct": _flip(ct, len(ct) - 1)},
        "wrong_key": {"sk": X25519PrivateKey.generate().private_bytes_raw()},
        "wrong_info": {"info": b"inf0"},
        "wrong_aad": {"aad": b"aae"},
        "truncated_ct": {"ct": ct[:-1]},
        "tag_only": {"ct": ct[-16:]},
        "empty_ct": {"ct": b""},
        "short_enc": {"enc": enc[:31]},
        "long_enc": {"enc": enc + b"\x00"},
        "short_sk": {"sk": sealed["sk"][:31]},
        # All-zero and u=1 are low-order points: the DH output is all zeros (RFC 9180 §7.1.4).
        "zero_enc": {"enc": bytes(32)},
        "low_order_enc": {"enc": b"\x01" + bytes(31)},
    }[change]
    with pytest.raises(TaiChoError) as exc:
        _open(sealed, **over)
    assert _code(exc) == "DECRYPT_FAILED"


@pytest.mark.parametrize("pk", [bytes(32), b"\x01" + bytes(31), bytes(31)])
def test_seal_refuses_invalid_or_low_order_recipient(pk: bytes) -> None:
    with pytest.raises(TaiChoError) as exc:
        hpke.seal(pk, b"", b"", b"x")
    assert _code(exc) == "ENVELOPE_MALFORMED"


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_single_bit_flip_is_rejected(data: st.DataObject) -> None:
    sk = X25519PrivateKey.generate()
    enc, ct = hpke.seal(sk.public_key().public_bytes_raw(), b"i", b"a", b"0123456789")
    blob = enc + ct
    i = data.draw(st.integers(0, len(blob) - 1))
    bit = data.draw(st.integers(0, 7))
    bad = blob[:i] + bytes([blob[i] ^ (1 << bit)]) + blob[i + 1 :]
    with pytest.raises(TaiChoError) as exc:
        hpke.open_(sk.private_bytes_raw(), bad[:32], b"i", b"a", bad[32:])
    assert _code(exc) == "DECRYPT_FAILED"


# --- cross-check with cryptography's own HPKE (cryptography >= 47; absent on 43.0.1) ----------

_LIB_AEADS = ["AES_128_GCM", "AES_256_GCM", "CHACHA20_POLY1305"]


def _lib() -> Any:
    return pytest.importorskip("cryptography.hazmat.primitives.hpke")


def _lib_aad_functions() -> tuple[Any, Any]:
    _lib()
    from cryptography.hazmat.bindings._rust import openssl as rust_openssl

    mod = getattr(rust_openssl, "hpke", None)
    enc_fn = getattr(mod, "_encrypt_with_aad", None)
    dec_fn = getattr(mod, "_decrypt_with_aad", None)
    if enc_fn is None or dec_fn is None:
        pytest.skip("this cryptography build has no HPKE-with-aad entry points")
    return enc_fn, dec_fn


def _suite(name: str) -> Any:
    lib = _lib()
    return lib.Suite(lib.KEM.X25519, lib.KDF.HKDF_SHA256, getattr(lib.AEAD, name))


@pytest.mark.parametrize("name", _LIB_AEADS)
def test_library_opens_ours_without_aad(name: str) -> None:
    suite = _suite(name)
    sk = X25519PrivateKey.generate()
    enc, ct = hpke.seal(
        sk.public_key().public_bytes_raw(), b"info", b"", b"ours", aead=hpke.Aead[name]
    )
    assert suite.decrypt(enc + ct, sk, info=b"info") == b"ours"


@pytest.mark.parametrize("name", _LIB_AEADS)
def test_we_open_the_librarys_without_aad(name: str) -> None:
    suite = _suite(name)
    sk = X25519PrivateKey.generate()
    blob = suite.encrypt(b"theirs", sk.public_key(), info=b"info")
    out = hpke.open_(
        sk.private_bytes_raw(), blob[:32], b"info", b"", blob[32:], aead=hpke.Aead[name]
    )
    assert out == b"theirs"


@settings(max_examples=40, deadline=None)
@given(
    plaintext=st.binary(max_size=512),
    info=st.binary(max_size=64),
    aad=st.binary(max_size=128),
    name=st.sampled_from(_LIB_AEADS),
)
def test_library_cross_check_with_aad_both_ways(
    plaintext: bytes, info: bytes, aad: bytes, name: str
) -> None:
    enc_fn, dec_fn = _lib_aad_functions()
    suite = _suite(name)
    aead = hpke.Aead[name]
    sk = X25519PrivateKey.generate()
    raw_sk, raw_pk = sk.private_bytes_raw(), sk.public_key().public_bytes_raw()

    enc, ct = hpke.seal(raw_pk, info, aad, plaintext, aead=aead)
    assert dec_fn(suite, enc + ct, sk, info=info, aad=aad) == plaintext

    blob = enc_fn(suite, plaintext, sk.public_key(), info=info, aad=aad)
    assert hpke.open_(raw_sk, blob[:32], info, aad, blob[32:], aead=aead) == plaintext


def test_library_rejects_our_ciphertext_under_other_aad() -> None:
    _, dec_fn = _lib_aad_functions()
    suite = _suite("AES_256_GCM")
    sk = X25519PrivateKey.generate()
    enc, ct = hpke.seal(sk.public_key().public_bytes_raw(), b"i", b"aad-1", b"x")
    with pytest.raises(Exception):  # noqa: B017 - the library's own error type varies by version
        dec_fn(suite, enc + ct, sk, info=b"i", aad=b"aad-2")
