"""The bare baseline of the API benchmark: Flask's hello world, served by gunicorn with the same
settings as the services (`gunicorn 'bench.hello:create_app()'`)."""

from __future__ import annotations

from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/hello")
    def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app
