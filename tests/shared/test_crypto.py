"""shared.crypto with real primitives; also runs under cryptography 43.0.1."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import crypto
from shared.crypto import ScryptParams
from shared.errors import TaiChoError

FAST = ScryptParams(salt=b"s" * 16, n=2**10, r=8, p=1)


def _code(fn: object, *args: object) -> str:
    with pytest.raises(TaiChoError) as exc:
        fn(*args)  # type: ignore[operator]
    return exc.value.code


def _flip(b: bytes, i: int, bit: int = 0) -> bytes:
    return b[:i] + bytes([b[i] ^ (1 << bit)]) + b[i + 1 :]


# --- AEAD -------------------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(plaintext=st.binary(max_size=4096), aad=st.binary(max_size=256))
def test_aead_round_trip(plaintext: bytes, aad: bytes) -> None:
    key = crypto.random_key()
    blob = crypto.aead_encrypt(key, plaintext, aad)
    assert blob[:1] == b"\x01"
    assert len(blob) == 1 + 12 + len(plaintext) + 16
    assert crypto.aead_decrypt(key, blob, aad) == plaintext


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_aead_any_bit_flip_fails(data: st.DataObject) -> None:
    key = crypto.random_key()
    blob = crypto.aead_encrypt(key, b"record payload", b"rec-1|v3")
    i = data.draw(st.integers(0, len(blob) - 1))
    bad = _flip(blob, i, data.draw(st.integers(0, 7)))
    assert _code(crypto.aead_decrypt, key, bad, b"rec-1|v3") == "DECRYPT_FAILED"


def test_aead_nonce_is_random() -> None:
    key = crypto.random_key()
    assert crypto.aead_encrypt(key, b"x", b"") != crypto.aead_encrypt(key, b"x", b"")


@pytest.mark.parametrize(
    "case", ["wrong_key", "wrong_aad", "truncated", "empty", "header_only", "version", "short_key"]
)
def test_aead_decrypt_rejects(case: str) -> None:
    key = crypto.random_key()
    blob = crypto.aead_encrypt(key, b"payload", b"rec-1|v1")
    k, b, a = {
        "wrong_key": (crypto.random_key(), blob, b"rec-1|v1"),
        "wrong_aad": (key, blob, b"rec-1|v2"),
        "truncated": (key, blob[:-1], b"rec-1|v1"),
        "empty": (key, b"", b"rec-1|v1"),
        "header_only": (key, blob[:29], b"rec-1|v1"),
        "version": (key, b"\x02" + blob[1:], b"rec-1|v1"),
        "short_key": (key[:16], blob, b"rec-1|v1"),
    }[case]
    assert _code(crypto.aead_decrypt, k, b, a) == "DECRYPT_FAILED"


def test_aead_encrypt_refuses_wrong_key_length() -> None:
    assert _code(crypto.aead_encrypt, b"k" * 16, b"x", b"") == "INTERNAL"


def test_random_key() -> None:
    keys = {crypto.random_key() for _ in range(16)}
    assert len(keys) == 16 and all(len(k) == crypto.KEY_LEN for k in keys)


# --- scrypt / PIN keys ------------------------------------------------------------------------


def test_scrypt_params_round_trip_and_defaults() -> None:
    p = crypto.new_scrypt_params()
    assert (p.n, p.r, p.p, len(p.salt)) == (2**15, 8, 1, 16)
    assert crypto.new_scrypt_params().salt != p.salt
    d = p.to_dict()
    assert set(d) == {"salt", "n", "r", "p"} and isinstance(d["salt"], str)
    assert ScryptParams.from_dict(d) == p


@pytest.mark.parametrize(
    "bad",
    [
        None,
        [],
        {"salt": "c2FsdHNhbHRzYWx0c2FsdA", "n": 1024, "r": 8},
        {"salt": "c2FsdHNhbHRzYWx0c2FsdA", "n": 1024, "r": 8, "p": 1, "x": 0},
        {"salt": "c2FsdHNhbHRzYWx0c2FsdA", "n": 1000, "r": 8, "p": 1},
        {"salt": "c2FsdHNhbHRzYWx0c2FsdA", "n": 2**30, "r": 8, "p": 1},
        {"salt": "c2FsdHNhbHRzYWx0c2FsdA", "n": 1024, "r": 0, "p": 1},
        {"salt": "c2FsdHNhbHRzYWx0c2FsdA", "n": 1024, "r": 8, "p": 99},
        {"salt": "c2FsdHNhbHRzYWx0c2FsdA", "n": 1024, "r": True, "p": 1},
        {"salt": "c2FsdHNhbHRzYWx0c2FsdA", "n": "1024", "r": 8, "p": 1},
        {"salt": "c2FsdA", "n": 1024, "r": 8, "p": 1},
        {"salt": "!!!!", "n": 1024, "r": 8, "p": 1},
        {"salt": 5, "n": 1024, "r": 8, "p": 1},
    ],
)
def test_scrypt_params_from_dict_rejects(bad: object) -> None:
    assert _code(ScryptParams.from_dict, bad) == "STORE_CORRUPT"


def test_derive_pin_key_matches_independent_scrypt() -> None:
    key = crypto.derive_pin_key("1234", FAST)
    assert key == hashlib.scrypt(b"1234", salt=FAST.salt, n=FAST.n, r=FAST.r, p=FAST.p, dklen=32)
    assert crypto.derive_pin_key("1234", FAST) == key
    assert crypto.derive_pin_key("1235", FAST) != key
    other_salt = ScryptParams(salt=b"t" * 16, n=2**10)
    assert crypto.derive_pin_key("1234", other_salt) != key


def test_derive_pin_key_default_cost() -> None:
    """The production cost once (about 32 MiB of memory), checked against hashlib's scrypt."""
    params = crypto.new_scrypt_params()
    key = crypto.derive_pin_key("246810", params)
    expected = hashlib.scrypt(
        b"246810", salt=params.salt, n=2**15, r=8, p=1, dklen=32, maxmem=64 * 1024 * 1024
    )
    assert key == expected


def test_derive_pin_key_normalises_to_nfc() -> None:
    composed = "mã1234"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert crypto.derive_pin_key(composed, FAST) == crypto.derive_pin_key(decomposed, FAST)


def test_derive_pin_key_refuses_bad_params() -> None:
    assert _code(crypto.derive_pin_key, "1234", ScryptParams(salt=b"s" * 16, n=1000)) == "INTERNAL"
    assert _code(crypto.derive_pin_key, "1234", ScryptParams(salt=b"short", n=1024)) == "INTERNAL"


def test_wrap_unwrap_with_pin() -> None:
    data_key = crypto.random_key()
    kek = crypto.derive_pin_key("1234", FAST)
    wrapped = crypto.wrap_key(kek, data_key, b"staff:lan")
    assert crypto.unwrap_key(kek, wrapped, b"staff:lan") == data_key

    wrong_pin = crypto.derive_pin_key("4321", FAST)
    assert _code(crypto.unwrap_key, wrong_pin, wrapped, b"staff:lan") == "DECRYPT_FAILED"
    assert _code(crypto.unwrap_key, kek, wrapped, b"staff:hoa") == "DECRYPT_FAILED"
    assert _code(crypto.unwrap_key, kek, _flip(wrapped, 20), b"staff:lan") == "DECRYPT_FAILED"


def test_wrapped_key_is_not_a_record_blob() -> None:
    """Domain separation: the same key and AAD cannot open a wrap as a record, nor vice versa."""
    kek, key = crypto.random_key(), crypto.random_key()
    wrapped = crypto.wrap_key(kek, key, b"x")
    assert _code(crypto.aead_decrypt, kek, wrapped, b"x") == "DECRYPT_FAILED"
    record = crypto.aead_encrypt(kek, key, b"x")
    assert _code(crypto.unwrap_key, kek, record, b"x") == "DECRYPT_FAILED"


# --- key pairs and signatures -----------------------------------------------------------------


def test_key_pairs_are_raw_32_bytes() -> None:
    for sk, pk in (crypto.new_x25519(), crypto.new_ed25519()):
        assert len(sk) == 32 and len(pk) == 32 and sk != pk
    assert crypto.new_x25519() != crypto.new_x25519()


def test_sign_verify() -> None:
    sk, pk = crypto.new_ed25519()
    sig = crypto.sign(sk, b"message")
    assert len(sig) == 64
    crypto.verify(pk, b"message", sig)
    _, other_pk = crypto.new_ed25519()
    for args in (
        (pk, b"messagE", sig),
        (pk, b"message", _flip(sig, 5)),
        (pk, b"message", sig[:-1]),
        (other_pk, b"message", sig),
        (pk[:31], b"message", sig),
        (b"", b"message", sig),
    ):
        assert _code(crypto.verify, *args) == "ENVELOPE_BAD_SIGNATURE"


def test_sign_refuses_bad_key() -> None:
    assert _code(crypto.sign, b"short", b"m") == "INTERNAL"


# --- PIN hashes for the station's staff table -------------------------------------------------


def test_hash_pin_and_check_pin() -> None:
    stored = crypto.hash_pin("1234", FAST)
    parts = stored.split("$")
    assert parts[:4] == ["scrypt", "1024", "8", "1"] and len(parts) == 6
    assert crypto.b64d(parts[4]) == FAST.salt
    assert crypto.check_pin("1234", stored) is True
    assert crypto.check_pin("1235", stored) is False
    assert crypto.check_pin("", stored) is False
    assert crypto.hash_pin("1234", crypto.new_scrypt_params()) != crypto.hash_pin(
        "1234", crypto.new_scrypt_params()
    )


def test_hash_pin_default_params() -> None:
    stored = crypto.hash_pin("987654")
    assert stored.startswith("scrypt$32768$8$1$")
    assert crypto.check_pin("987654", stored)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "bcrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAA",
        "scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA",
        "scrypt$1024$8$x$c2FsdHNhbHRzYWx0c2FsdA$" + "A" * 43,
        "scrypt$1000$8$1$c2FsdHNhbHRzYWx0c2FsdA$" + "A" * 43,
        "scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAA",
        "scrypt$1024$8$1$c2Fsd$" + "A" * 43,
        "scrypt$1024$8$1$c2FsdHNhbHRzYWx0c2FsdA$" + "!" * 43,
        "scrypt$1048576000$8$1$c2FsdHNhbHRzYWx0c2FsdA$" + "A" * 43,
        "scrypt$１０２４$8$1$c2FsdHNhbHRzYWx0c2FsdA$" + "A" * 43,
    ],
)
def test_check_pin_malformed_stored_hash_is_corruption(stored: str) -> None:
    assert _code(crypto.check_pin, "1234", stored) == "STORE_CORRUPT"


# --- base64 and hashing -----------------------------------------------------------------------


@given(st.binary(max_size=200))
def test_b64_round_trip(b: bytes) -> None:
    s = crypto.b64e(b)
    assert "=" not in s and "+" not in s and "/" not in s
    assert crypto.b64d(s) == b


@pytest.mark.parametrize("bad", ["AA==", "A", "AB", "+/8", "a b", "é", "AAA=", "AAAAA"])
def test_b64d_rejects(bad: str) -> None:
    with pytest.raises(TaiChoError) as exc:
        crypto.b64d(bad)
    assert exc.value.code == "ENVELOPE_MALFORMED"
    assert "detail" in exc.value.ctx


def test_b64d_rejects_non_string() -> None:
    assert _code(crypto.b64d, b"AAAA") == "ENVELOPE_MALFORMED"


def test_sha256_hex() -> None:
    assert crypto.sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
