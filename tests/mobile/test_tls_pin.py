"""The tablet refuses plain HTTP beyond loopback and an HTTPS station it has no pin for."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from mobile.services.tablet import TabletService
from mobile.services.tls_pin import Pin, PinMismatch, pinned_context, verify_for
from shared import enrol_code
from shared.errors import TaiChoError


@pytest.mark.parametrize("url", ["http://192.168.1.10:8765", "http://station.local:8765"])
def test_plain_http_beyond_loopback_is_refused(url: str) -> None:
    with pytest.raises(TaiChoError) as err:
        verify_for(url, None)
    assert err.value.code == "PLAIN_HTTP_REFUSED" and err.value.field == "url"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765", "http://localhost:1", "http://[::1]:8"])
def test_plain_http_on_loopback_is_development(url: str) -> None:
    assert verify_for(url, None) is False  # no TLS on plain loopback HTTP: nothing to load


def test_https_without_a_pin_is_refused() -> None:
    with pytest.raises(TaiChoError) as err:
        verify_for("https://192.168.1.10:8765", None)
    assert err.value.code == "STATION_CERT_MISMATCH"


def test_pinned_context_does_not_lean_on_hostnames_or_clock() -> None:
    ctx = pinned_context(Pin.exact(bytes(32)))
    assert ctx.verify_mode == ssl.CERT_NONE and not ctx.check_hostname
    assert ctx.minimum_version >= ssl.TLSVersion.TLSv1_2


def test_pin_check_refuses_another_certificate_and_remembers_the_right_one() -> None:
    import hashlib

    der = b"a certificate"
    pin = Pin(
        enrol_code.parse(
            enrol_code.with_pin("ABCD-EFGH-JKMN", hashlib.sha256(der).digest())
        ).matches
    )  # type: ignore[union-attr]
    with pytest.raises(PinMismatch):
        pin.check(b"another certificate")
    with pytest.raises(PinMismatch):
        pin.check(None)
    pin.check(der)
    assert pin.seen == hashlib.sha256(der).digest()


def test_enrolling_over_plain_http_on_the_lan_sends_nothing(tmp_path: Path) -> None:
    tablet = TabletService(tmp_path / "t")
    try:
        with pytest.raises(TaiChoError) as err:
            tablet.enrolment.enroll("http://192.168.1.10:8765", "ABCD-EFGH-JKMN")
        assert err.value.code == "PLAIN_HTTP_REFUSED"
        with pytest.raises(TaiChoError) as err:
            tablet.enrolment.enroll("https://192.168.1.10:8765", "ABCD-EFGH-JKMN")
        assert err.value.code == "ENROLL_CODE_INCOMPLETE"
        assert not tablet.ctx.enrolled
    finally:
        tablet.close()
