"""What every response shares: request size limits, security headers, and JSON errors where JSON is spoken."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlparse

from dash.exceptions import DependencyException
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

import i18n
from store.faults import unavailable

log = logging.getLogger(__name__)
KIB = 1024
# Request bodies, largest first (docs/security.md): a batch of 5000 records, a Dash callback, the rest.
BODY_LIMITS = (
    ("/team/evidence", 12 * KIB * KIB + 64 * KIB),  # one photo (EvidenceLimits.max_bytes) and its form's fields
    ("/api/v1/records", 8 * KIB * KIB),
    ("/_dash-update-component", 1 * KIB * KIB),
)
DEFAULT_BODY_LIMIT = 64 * KIB  # a command, a sign-in or admin form
MAX_BODY = max(limit for _, limit in BODY_LIMITS)
JSON_PATHS = ("/api/", "/_dash-update-component", "/team/", "/evidence/")


def body_limit(path: str) -> int:
    """Return the largest request body a path takes."""
    return next((limit for prefix, limit in BODY_LIMITS if path == prefix), DEFAULT_BODY_LIMIT)


def content_security_policy(script_hashes: list[str], tile_url: str = "") -> str:
    """Return the CSP the pages run under: our own scripts and Dash's inline ones by hash, nothing framed."""
    tiles = urlparse(tile_url.replace("{s}", "a")) if tile_url else None
    tile_src = f" {tiles.scheme}://{tiles.netloc.split('{')[0] or tiles.netloc}" if tiles and tiles.netloc else ""
    if tile_url and "{s}" in tile_url:  # a subdomain template ({s}.tile.example): allow its siblings
        tile_src = " " + urlparse(tile_url).scheme + "://*." + urlparse(tile_url).netloc.split(".", 1)[-1]
    hashes = " ".join(script_hashes)  # Dash quotes them already: 'sha256-…'
    # No 'unsafe-eval' and no 'unsafe-inline' for scripts: Dash's inline scripts (its config, the renderer's
    # start, our clientside callbacks) are allowed by hash, dash-leaflet's functions are named window
    # variables, and the only new Function() in the bundles is a globalThis fallback no current browser
    # reaches (checked in headless Chromium: tests/e2e/test_security_headers.py). style-src keeps
    # 'unsafe-inline': React and Leaflet set style attributes, and the sign-in page has a <style>.
    return (
        "default-src 'self'; "
        f"script-src 'self' {hashes}; "
        "style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob:{tile_src}; "
        "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def error(status: int, code: str, **params: Any) -> tuple[Response, int]:
    """Return the stable error shape {"error": {"code", "message"}} in the caller's language."""
    lang = request.args.get("lang") or request.accept_languages.best_match(list(i18n.LANGS)) or "zh"
    response = jsonify({"error": {"code": code, "message": i18n.error(code, lang, **params)}})
    if status == 503:
        response.headers["Retry-After"] = "5"
    return response, status


def install(server: Flask, csp: Any, tls: bool = False) -> None:
    """Limit bodies, add the security headers, answer JSON errors on JSON paths, 404 unknown /api paths.

    csp: a function returning the Content-Security-Policy (Dash's inline scripts are known only once
    every callback is registered).
    """
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY

    @server.before_request
    def _limit() -> Any:
        limit = body_limit(request.path)
        request.max_content_length = limit  # also caps a chunked body that sends no length
        if (request.content_length or 0) > limit:
            return error(413, "too_large", limit=limit)
        return None

    @server.after_request
    def _headers(response: Response) -> Response:
        h = response.headers
        h.setdefault("Content-Security-Policy", csp())
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        if tls:
            h.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.path.startswith(JSON_PATHS):
            h.setdefault("Cache-Control", "no-store")
        return response

    @server.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        if not request.path.startswith(JSON_PATHS):
            return exc
        code = {
            400: "bad_request",
            401: "unauthorized",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            413: "too_large",
        }.get(exc.code or 400, "bad_request")
        return error(exc.code or 400, code, reason=(exc.description or "")[:200], limit=body_limit(request.path))

    @server.errorhandler(Exception)
    def _crash(exc: Exception) -> Any:
        # A bug on a JSON path still answers in the error shape; a hostile callback payload Dash itself
        # chokes on (it validates nothing) is the caller's fault, so 400, not 500.
        if isinstance(exc, DependencyException):  # Dash's answer to an unknown component-suite file
            return Response("not found", status=404, mimetype="text/plain")
        down = unavailable(exc)
        if down:  # the store or Redis out of reach: a clear 503 the caller may retry, not a traceback
            log.warning(
                "%s unavailable on %s %s: %s: %s",
                down,
                request.method,
                request.path,
                type(exc).__name__,
                str(exc).splitlines()[0][:200] if str(exc) else "",
            )
            if request.path.startswith(JSON_PATHS):
                return error(503, f"{down}_unavailable")
            lang = request.args.get("lang") or request.accept_languages.best_match(list(i18n.LANGS)) or "zh"
            return Response(
                i18n.error(f"{down}_unavailable", lang), status=503, mimetype="text/plain", headers={"Retry-After": "5"}
            )
        log.exception("unhandled error on %s %s", request.method, request.path)
        if request.path == "/_dash-update-component":
            return error(400, "bad_request", reason=type(exc).__name__)
        if request.path.startswith("/api/"):
            return error(500, "internal")
        return Response("internal error", status=500, mimetype="text/plain")

    @server.route("/api/", defaults={"rest": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    @server.route("/api/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def api_not_found(rest: str) -> Any:
        """Answer an unknown /api path with a JSON 404 (Dash's catch-all would serve the page)."""
        return error(404, "not_found")
