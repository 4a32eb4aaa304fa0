"""``phone-sim serve``: textual-serve, locked down.

textual-serve starts one TUI process per browser that connects, and trusts whoever
connects. Any web page the user visits could open a WebSocket to ``127.0.0.1:8000`` and
drive the simulator, fleet-manager portal included. ``GuardedServer`` subclasses its
``Server`` and adds, in one aiohttp middleware and two overrides:

- an access token (``secrets.token_urlsafe``) in the address printed at start, as Jupyter
  does; every request needs it, in the query (``?token=``) or in the cookie the page sets
  (HttpOnly, SameSite=Strict), so the page's scripts, styles and WebSocket carry it;
- a WebSocket upgrade is accepted only from the page's own origin (``Origin`` equal to
  ``http://`` + the request's ``Host``); on loopback the ``Host`` itself must be a
  loopback name, against DNS rebinding;
- at most ``max_sessions`` browsers at once, and a terminal of at most ``MAX_COLUMNS`` x
  ``MAX_ROWS`` whatever size a client asks for; malformed client messages are ignored;
- the page is never framed and never sends its address (with the token) as a referrer.

A ``--host`` other than loopback works only with the token (there is no way to turn it
off) and prints a warning: the traffic is plain HTTP.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import secrets
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp_jinja2
from aiohttp import WSMsgType, web
from textual_serve.server import Server

from phone_sim.network.catalogue import text

MAX_COLUMNS = 400
MAX_ROWS = 150
MIN_COLUMNS, MIN_ROWS = 20, 8
MAX_SESSIONS = 4
MAX_INPUT = 64 * 1024  # characters of one stdin message (a paste)
LOOPBACK_NAMES = ("localhost",)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
log = logging.getLogger("phone-sim.serve")


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def clamp(value: Any, low: int, high: int, default: int) -> int:
    """A terminal dimension from a client: a whole number within bounds."""
    try:
        number = int(str(value)[:6])
    except ValueError:
        return default
    return max(low, min(high, number))


class GuardedServer(Server):
    """textual-serve's server with a token, an origin check and caps (module docstring)."""

    def __init__(self, command: str, *, host: str, port: int, title: str, token: str | None = None,
                 max_sessions: int = MAX_SESSIONS, lang: str = "fr") -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.token = token or secrets.token_urlsafe(32)
        self.max_sessions = max(1, max_sessions)
        self.sessions = 0
        self.lang = lang
        self.cookie = f"phone_sim_token_{port}"
        self.loopback = is_loopback(host)

    # ------------------------------------------------------------------ addresses
    @property
    def url(self) -> str:
        """The address to open, token included."""
        return f"{self.public_url}/?token={self.token}"

    def _base(self, request: web.Request) -> str:
        """The page's own origin, as the browser sees it (the ``Host`` it sent)."""
        return f"{request.scheme}://{request.host}"

    def _host_allowed(self, request: web.Request) -> bool:
        if not self.loopback:
            return True
        host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
        return is_loopback(host)

    def _has_token(self, request: web.Request) -> bool:
        given = request.query.get("token") or request.cookies.get(self.cookie) or ""
        return hmac.compare_digest(given.encode(), self.token.encode())

    # ------------------------------------------------------------------ the guard
    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not self._host_allowed(request):
            return self._refuse(request, "serve.refused.host", 421)
        if not self._has_token(request):
            return self._refuse(request, "serve.refused.token", 403)
        if request.path == "/ws" and request.headers.get("Origin") != self._base(request):
            return self._refuse(request, "serve.refused.origin", 403)
        response = await handler(request)
        if not isinstance(response, web.WebSocketResponse):
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["Cache-Control"] = "no-store"
            if request.query.get("token"):
                response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", path="/")
        return response

    def _refuse(self, request: web.Request, key: str, status: int) -> web.Response:
        log.warning("refused %s %s from %s: %s", request.method, request.path, request.remote,
                    text(key, "en"))
        return web.Response(status=status, text=text(key, self.lang) + "\n",
                            headers={"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"})

    # ------------------------------------------------------------------ textual-serve's handlers
    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, its URLs made from the ``Host`` the browser used (works behind any
        address the server listens on, not only ``--host``)."""
        base = self._base(request)
        static = request.app.router["static"].url_for(filename="/")
        socket = request.app.router["websocket"].url_for()
        ws_base = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1]
        return {
            "font_size": clamp(request.query.get("fontsize", "16"), 6, 64, 16),
            "app_websocket_url": f"{ws_base}{socket}",
            "config": {"static": {"url": f"{base}{static}".rstrip("/") + "/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.sessions >= self.max_sessions:
            log.warning("refused a browser: %d sessions already", self.sessions)
            raise web.HTTPServiceUnavailable(text=text("serve.refused.busy", self.lang, count=self.max_sessions))
        width = clamp(request.query.get("width", "80"), MIN_COLUMNS, MAX_COLUMNS, 80)
        height = clamp(request.query.get("height", "24"), MIN_ROWS, MAX_ROWS, 24)
        self.sessions += 1
        try:
            bounded = request.clone(rel_url=request.rel_url.with_query(width=width, height=height))
            return await super().handle_websocket(bounded)
        finally:
            self.sessions -= 1

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: Any) -> None:
        """The browser's messages, checked: a malformed one is ignored, sizes are bounded."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data[:MAX_INPUT].encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await app_service.set_terminal_size(
                    clamp(data.get("width"), MIN_COLUMNS, MAX_COLUMNS, 80),
                    clamp(data.get("height"), MIN_ROWS, MAX_ROWS, 24))
            elif kind == "ping" and isinstance(data, (str, int, float)):
                await websocket.send_json(["pong", str(data)[:64]])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    async def on_startup(self, app: web.Application) -> None:
        say = self.console.print
        say(f"phone-sim serve: {self.command}", highlight=False, markup=False)
        say(text("serve.open", self.lang, url=self.url, count=self.max_sessions), highlight=False, markup=False)
        if not self.loopback:
            print(text("serve.warning.host", self.lang, host=self.host), file=sys.stderr)
        say(text("serve.quit", self.lang), highlight=False, markup=False)

    def initialize_logging(self) -> None:
        """Plain one-line logs; never a traceback with local variables (the token is one)."""
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

