"""The bytes an audit anchor's signature covers, declared once for station and tablet.

An anchor is ``{rows, head, at}`` signed with the station's Ed25519 key under a domain
tag, so the signature of an anchor cannot be mistaken for any other station signature.
"""

from __future__ import annotations

import json

ANCHOR_DOMAIN = b"taicho-audit-anchor-v1\0"


def audit_anchor_message(rows: int, head: str, at: str) -> bytes:
    canonical = json.dumps({"rows": rows, "head": head, "at": at}, sort_keys=True)
    return ANCHOR_DOMAIN + canonical.encode("utf-8")
