"""The hub's HTTP API (FastAPI): the directory, the figures, the provincial summary.

Thin routes: each reads the body as bytes (a signed request is checked over exactly the
bytes sent), decodes it with ``shared.hub_messages``, and calls the directory or figures
service on a pooled PostgreSQL connection in a worker thread. Errors are the one
catalogue's problems (``sync_server.api.problems``, shared with the station).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from province_hub import directory, figures, relay
from province_hub.db import Conn, connection, open_pool, snapshot
from shared import hub_messages as hm
from shared.errors import problem
from shared.hub_auth import HEADER_SIGNATURE, SignedRequest
from shared.messages import parse_json
from shared.wire import decode, encode
from sync_server.api.problems import file_answer, install

VERSION = "1"
MAX_BODY = 32 * 1024 * 1024  # a year of one busy ward's days, with room
T = TypeVar("T")


def _schema(cls: type[Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": hm.json_schema(cls)}}}


def create_app(dsn: str, log_dir: Path | None = None, *, pool_size: int = 8) -> FastAPI:
    """The hub on the database ``dsn`` (migrated at start)."""
    pool = open_pool(dsn, size=pool_size)
    with connection(pool) as conn:
        from province_hub.db import migrate

        migrate(conn)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(
        title="Tại Chỗ — provincial hub",
        version=VERSION,
        description="Directory of commune stations and the province's aggregate figures.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    install(app, log_dir)

    async def run(fn: Callable[[Conn], T]) -> T:
        def job() -> T:
            with connection(pool) as conn:
                return fn(conn)

        return await run_in_threadpool(job)

    async def body_of(request: Request) -> bytes:
        size = request.headers.get("content-length")
        if size is not None and size.isdigit() and int(size) > MAX_BODY:
            raise problem("BODY_TOO_LARGE", max_mb=MAX_BODY // (1024 * 1024))
        raw = await request.body()
        if len(raw) > MAX_BODY:
            raise problem("BODY_TOO_LARGE", max_mb=MAX_BODY // (1024 * 1024))
        return raw

    def signed_of(request: Request) -> SignedRequest:
        return SignedRequest.read(dict(request.headers))

    async def station_of(request: Request, raw: bytes) -> hm.DirectoryEntry:
        signed = signed_of(request)
        return await run(
            lambda conn: directory.authenticate(
                conn,
                signed,
                method=request.method,
                path=request.url.path,
                query=request.url.query,
                body=raw,
            )
        )

    def province_of(conn: Conn) -> directory.Province:
        p = directory.province(conn)
        if p is None:
            raise problem(
                "REQUEST_INVALID",
                "province",
                detail="the hub has no province yet (admin init)",
                detail_vi="cổng chưa đặt tỉnh (admin init)",
            )
        return p

    @app.get("/v1/hub/health", responses={200: _schema(hm.HubHealth)})
    async def health() -> JSONResponse:
        def job(conn: Conn) -> hm.HubHealth:
            p = directory.province(conn)
            from province_hub.store import directory as q

            return hm.HubHealth("ok", VERSION, "" if p is None else p.name, q.count_stations(conn))

        return JSONResponse(encode(await run(job)))

    @app.post(
        "/v1/hub/stations",
        openapi_extra={"requestBody": _schema(hm.StationRegisterRequest)},
        responses={200: _schema(hm.DirectoryEntry)},
    )
    async def register(request: Request) -> JSONResponse:
        raw = await body_of(request)
        req = decode(hm.StationRegisterRequest, parse_json(raw))
        signed = signed_of(request)
        entry = await run(
            lambda conn: directory.register(
                conn,
                req,
                signed,
                method=request.method,
                path=request.url.path,
                query=request.url.query,
                body=raw,
            )
        )
        return JSONResponse(encode(entry))

    @app.get("/v1/hub/stations/{unit_code}", responses={200: _schema(hm.DirectoryEntry)})
    async def lookup(unit_code: str, request: Request) -> JSONResponse:
        await station_of(request, b"")
        return JSONResponse(encode(await run(lambda conn: directory.lookup(conn, unit_code))))

    @app.get("/v1/hub/communes", responses={200: _schema(hm.CommuneList)})
    async def communes(request: Request) -> JSONResponse:
        await station_of(request, b"")
        return JSONResponse(encode(await run(lambda conn: directory.communes(conn))))

    @app.put(
        "/v1/hub/figures",
        openapi_extra={"requestBody": _schema(hm.FiguresBatch)},
        responses={200: _schema(hm.FiguresAnswer)},
    )
    async def put_figures(request: Request) -> JSONResponse:
        raw = await body_of(request)
        station = await station_of(request, raw)
        batch = decode(hm.FiguresBatch, parse_json(raw))
        answer = await run(lambda conn: figures.store(conn, station, batch))
        return JSONResponse(encode(answer))

    @app.post(
        "/v1/hub/relay",
        openapi_extra={"requestBody": _schema(hm.RelayPush)},
        responses={200: _schema(hm.RelayPushAnswer)},
    )
    async def relay_push(request: Request) -> JSONResponse:
        raw = await body_of(request)
        station = await station_of(request, raw)
        req = decode(hm.RelayPush, parse_json(raw))
        return JSONResponse(encode(await run(lambda conn: relay.push(conn, station, req))))

    @app.post(
        "/v1/hub/relay/pull",
        openapi_extra={"requestBody": _schema(hm.RelayPullRequest)},
        responses={200: _schema(hm.RelayPullAnswer)},
    )
    async def relay_pull(request: Request) -> JSONResponse:
        raw = await body_of(request)
        station = await station_of(request, raw)
        req = decode(hm.RelayPullRequest, parse_json(raw))
        return JSONResponse(encode(await run(lambda conn: relay.pull(conn, station, req))))

    @app.post(
        "/v1/hub/relay/ack",
        openapi_extra={"requestBody": _schema(hm.RelayAck)},
        responses={200: _schema(hm.RelayAckAnswer)},
    )
    async def relay_ack(request: Request) -> JSONResponse:
        raw = await body_of(request)
        station = await station_of(request, raw)
        req = decode(hm.RelayAck, parse_json(raw))
        return JSONResponse(encode(await run(lambda conn: relay.ack(conn, station, req))))

    async def province_report(
        request: Request,
        start: str | None,
        end: str | None,
        commune: str | None,
        procedure: str | None,
    ) -> figures.ProvinceReport:
        auth = request.headers.get("authorization")
        # A registered station may read it too (signed): its leaders compare their commune
        # with the province. Counts only, as for any reader.
        signed = None if auth else request.headers.get(HEADER_SIGNATURE)
        headers = dict(request.headers)
        method, path, query = request.method, request.url.path, request.url.query

        def job() -> figures.ProvinceReport:
            with connection(pool) as conn:
                if signed:
                    who = SignedRequest.read(headers)
                    directory.authenticate(
                        conn, who, method=method, path=path, query=query, body=b""
                    )
                else:
                    directory.reader(conn, auth)
                province = province_of(conn)
            with snapshot(pool, 3) as conns:
                return figures.summary(conns, province, start, end, commune, procedure)

        return await run_in_threadpool(job)

    query_doc = {
        "parameters": [
            {"name": n, "in": "query", "required": r, "schema": {"type": "string"}}
            for n, r in (("from", True), ("to", True), ("commune", False), ("procedure", False))
        ]
    }

    @app.get("/v1/province/summary", openapi_extra=query_doc)
    async def province_summary(request: Request) -> JSONResponse:
        p = request.query_params
        report = await province_report(
            request, p.get("from"), p.get("to"), p.get("commune"), p.get("procedure")
        )
        return JSONResponse(report.data)

    @app.get(
        "/v1/province/summary.csv",
        openapi_extra=query_doc,
        responses=file_answer("text/csv", "the summary as CSV"),
    )
    async def province_csv(request: Request) -> Response:
        p = request.query_params
        report = await province_report(
            request, p.get("from"), p.get("to"), p.get("commune"), p.get("procedure")
        )
        name = f"tinh-{report.data['period']['from']}-{report.data['period']['to']}.csv"
        return Response(
            figures.report_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @app.get(
        "/v1/province/summary.pdf",
        openapi_extra=query_doc,
        responses=file_answer("application/pdf", "the summary as PDF"),
    )
    async def province_pdf(request: Request) -> Response:
        p = request.query_params
        report = await province_report(
            request, p.get("from"), p.get("to"), p.get("commune"), p.get("procedure")
        )
        pdf = await run_in_threadpool(figures.report_pdf, report)
        name = f"tinh-{report.data['period']['from']}-{report.data['period']['to']}.pdf"
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    return app
