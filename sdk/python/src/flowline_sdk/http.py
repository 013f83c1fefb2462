"""Serving steps over HTTP with the standard library's server, for development and for steps behind a plain URL.

``serve({"match_bookings": match, ...}, port=8090)`` answers ``POST /steps/<name>`` by the contract: 200 with
``{"output"}``; 422 with a declared error; 500 with a system error (``flowline.step-exception``, the SDK's schema
checks); 400 for a body that is not JSON; 404 for an unknown step. ``GET /health`` answers ``{"status": "UP"}``.
Extra read-only endpoints (a lookup for a task screen, say) are ``routes``: a path mapped to a function of the
query parameters that answers ``(status, body)``. It is a development server (one thread per request, no TLS): in
production run steps on Lambda or behind a real server calling :meth:`Step.handle`.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

from .errors import SYSTEM_PREFIX
from .step import IDEMPOTENCY_HEADER, Step

log = logging.getLogger("flowline_sdk.http")

Route = Callable[[Dict[str, List[str]]], Tuple[int, Any]]
STEP_PATH = "/steps/"


def status_for(response: Mapping[str, Any]) -> int:
    """The HTTP status of a contract response: the body says what happened, the status says it to proxies."""
    error = response.get("error")
    if error is None:
        return 200
    return 500 if str(error.get("code", "")).startswith(SYSTEM_PREFIX) else 422


class StepServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: Tuple[str, int], steps: Mapping[str, Step],
                 routes: Optional[Mapping[str, Route]] = None) -> None:
        self.steps = dict(steps)
        self.routes = dict(routes or {})
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="flowline-steps", daemon=True)
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: StepServer
    protocol_version = "HTTP/1.1"
    # Headers and body are written separately: with Nagle's algorithm on, a keep-alive caller waits ~40 ms for each.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 - the standard library's naming
        url = urlsplit(self.path)
        if url.path == "/health":
            self._send(200, {"status": "UP"})
            return
        route = self.server.routes.get(url.path)
        if route is None:
            self._problem(404, "not-found", f"nothing at {url.path}")
            return
        try:
            status, body = route(parse_qs(url.query))
        except Exception:  # noqa: BLE001 - a failing route answers 500, the server goes on
            log.exception("route %s failed", url.path)
            self._problem(500, "internal", f"{url.path} failed; see the step server's log")
            return
        self._send(status, body)

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not url.path.startswith(STEP_PATH):
            self._problem(404, "not-found", f"nothing at {url.path}; steps are at {STEP_PATH}<name>")
            return
        name = url.path[len(STEP_PATH):]
        step = self.server.steps.get(name)
        if step is None:
            self._problem(404, "unknown-step", f"no step named {name!r}; this server has {sorted(self.server.steps)}")
            return
        try:
            request = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            self._problem(400, "invalid-json", f"the body is not JSON: {e}")
            return
        response = step.handle(request, self.headers.get(IDEMPOTENCY_HEADER))
        self._send(status_for(response), response)

    def _problem(self, status: int, kind: str, detail: str) -> None:
        self._send(status, {"type": f"https://flowline.dev/problems/step-server/{kind}", "status": status,
                            "detail": detail}, "application/problem+json")

    def _send(self, status: int, body: Any, content_type: str = "application/json") -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's signature
        log.debug("%s %s", self.address_string(), format % args)


def serve(steps: Mapping[str, Step], host: str = "127.0.0.1", port: int = 8090,
          routes: Optional[Mapping[str, Route]] = None) -> StepServer:
    """A started-in-the-foreground server: ``serve(...).serve_forever()``; port 0 picks a free one."""
    return StepServer((host, port), steps, routes)
