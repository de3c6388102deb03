"""The public verify address: what the QR code on a result, the link printed beside it and
the station's ``/verify`` page share.

A citizen (or anyone shown the paper) scans the QR code with a phone. The phone is not on
the office network and not on the station itself, so the address must be one the public
can reach: set up with the unit (``admin public-url``, ``admin unit-set --public-url``,
the desk's "Đơn vị" page, the demo). A loopback or unspecified host (127.0.0.1, ::1,
localhost, 0.0.0.0) or a missing address leads nowhere; so does plain HTTP from outside
(and it lets anyone on the way answer "valid"). A station whose results carry legal value
refuses to issue one with such an address (:func:`unusable`); the demo may use its own.

Pure: text in, text out — the station stores the address, this module judges and joins.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import quote, urlsplit

from shared.errors import problem

__all__ = ["is_local_host", "normalise", "printed_link", "unusable", "verify_link"]

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def is_local_host(host: str) -> bool:
    """A host only the station itself reaches (loopback) or no host at all (0.0.0.0, ::)."""
    name = host.strip("[]").lower().rstrip(".")
    if not name or name in _LOCAL_NAMES or name.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


def normalise(url: str) -> str:
    """``"https://motcua.laivung.gov.vn/"`` → ``"https://motcua.laivung.gov.vn"``; a value
    that is no http(s) address with a host is ``PUBLIC_URL_INVALID`` (field ``url``)."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise problem(
            "PUBLIC_URL_INVALID",
            "url",
            detail="write it as https://name-or-address[:port]",
            detail_vi="cần dạng https://tên-miền-hoặc-địa-chỉ[:cổng]",
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise problem(
            "PUBLIC_URL_INVALID",
            "url",
            detail="no user name, query (?…) or fragment (#…)",
            detail_vi="không kèm tên đăng nhập, phần ?… hay #…",
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


def unusable(url: str | None) -> tuple[str, str] | None:
    """Why ``url`` cannot go on a result that has legal value — ``(vi, en)`` — or None."""
    if not url:
        return ("chưa được khai báo", "is not set")
    parts = urlsplit(url)
    if is_local_host(parts.hostname or ""):
        return (
            f"là {parts.hostname or url}, địa chỉ chỉ chính máy chủ mở được",
            f"is {parts.hostname or url}, which only the station itself can open",
        )
    if parts.scheme != "https":
        return ("phải dùng https://", "must use https://")
    return None


def verify_link(base: str, code: str, data_sha256: str) -> str:
    """What the QR code holds: the page for ``code`` with the printed data's hash."""
    return f"{printed_link(base, code)}?sha256={data_sha256}"


def printed_link(base: str, code: str) -> str:
    """What is printed under the QR code for a person to type: the page of ``code`` (the
    page then shows the file's SHA-256 to compare)."""
    return f"{base.rstrip('/')}/verify/{quote(code, safe='')}"
