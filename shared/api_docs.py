"""The interactive API docs of every service (GET /api/v1/docs): Swagger UI from the installed
`swagger-ui-bundle` package, served by the service itself. No CDN: the docs work without internet,
and the page keeps the CSP of every HTML page ('self' only, no inline script)."""

from __future__ import annotations

from html import escape

from flask import Blueprint, Flask, Response, current_app, send_from_directory, url_for
from swagger_ui_bundle import swagger_ui_path
from werkzeug.exceptions import NotFound

DOCS_PATH = "/api/v1/docs"
# The package's files the page needs; nothing else of its folder is served.
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js"})

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="stylesheet" href="{css}">
</head>
<body>
  <div id="swagger-ui" data-spec-url="{spec}"></div>
  <script src="{bundle}"></script>
  <script src="{init}"></script>
</body>
</html>
"""

# A file, not an inline script, so script-src 'self' holds. No validator badge: it would call out.
_INIT = """(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    validatorUrl: null
  });
})();
"""

blp = Blueprint("api_docs", __name__, url_prefix=DOCS_PATH)


@blp.get("")
def page() -> Response:
    """The docs page: Swagger UI reading this service's OpenAPI document."""
    html = _PAGE.format(
        title=escape(f"{current_app.config['API_TITLE']} API"),
        css=url_for("api_docs.asset", name="swagger-ui.css"),
        bundle=url_for("api_docs.asset", name="swagger-ui-bundle.js"),
        init=url_for("api_docs.init"),
        spec=url_for("api-docs.openapi_json"),
    )
    return Response(html, mimetype="text/html")


@blp.get("/init.js")
def init() -> Response:
    """The script that starts Swagger UI on the page."""
    return Response(_INIT, mimetype="text/javascript")


@blp.get("/assets/<name>")
def asset(name: str) -> Response:
    """One of Swagger UI's files, from the installed package."""
    if name not in ASSETS:
        raise NotFound()
    return send_from_directory(swagger_ui_path, name, max_age=3600)


def install_docs(app: Flask) -> None:
    """Serve the docs page and its assets under /api/v1/docs."""
    app.register_blueprint(blp)
