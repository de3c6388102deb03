"""A bounded schemathesis run against a real uvicorn station's OpenAPI (issue: continuous
checks). Every operation gets generated requests — valid and not — with a signed-in
appraiser's token; no answer may be a server error (5xx), and every status and every
content type must be one the OpenAPI documents for it (issue 22: 14 content-type
mismatches). Bounded (``TAICHO_FUZZ_EXAMPLES`` requests per operation, 50 by default)
so CI runs it in a minute or two; raise it locally for a deeper run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    status_code_conformance,
)

from sync_server.launcher import RunningStation, start_station

pytestmark = pytest.mark.integration

EXAMPLES = int(os.environ.get("TAICHO_FUZZ_EXAMPLES", "50"))


@pytest.fixture(scope="module")
def fuzz_station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStation]:
    # The growing delay after a wrong PIN would only slow the run down.
    mp = pytest.MonkeyPatch()
    mp.setenv("TAICHO_PIN_DELAY_SCALE", "0")
    station = start_station(tmp_path_factory.mktemp("fuzz") / "station")
    mp.undo()
    yield station
    station.stop()


@pytest.fixture(scope="module")
def token(fuzz_station: RunningStation) -> str:
    r = httpx.post(
        f"{fuzz_station.url}/v1/auth/token", json={"username": "thamdinh", "pin": "234567"}
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


def test_no_server_error_and_only_documented_statuses(
    fuzz_station: RunningStation, token: str
) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzz_station.url}/openapi.json")
    headers = {"Authorization": f"Bearer {token}"}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(
                headers=headers,
                checks=[not_a_server_error, status_code_conformance, content_type_conformance],
                timeout=30,
            )

        try:
            run()
        except (Exception, FailureGroup) as exc:
            failures.append(f"{operation.label}: {exc}")
    assert operations >= 10
    assert not failures, "\n\n".join(failures)
