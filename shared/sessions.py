"""Server-side browser sessions in Redis: the cookie holds only a random session id.

A signed cookie (Flask's default) carries the session's contents readable to whoever holds it,
and stays valid after log-out: replaying it brings the session back. Here the contents live in
Redis under a hash of the id, so

- the cookie holds no bearer token or anything else of the session (only 43 random characters);
- `end_session()` deletes the record at once (log-out, a disabled account, a refused token), and
  a replayed old cookie then finds nothing: a fresh, empty session;
- a log-in calls `end_session()` too, so the signed-in session gets a new id (no fixation).

Records expire in Redis `lifetime_seconds` after their last change (a clean-up; whether the
session still holds a valid token is checked against the service's clock on every request).

Flask-Session's Redis backend would do most of this, but it serialises with msgspec (another
dependency), reads its Redis client from app-wide config and has no way to end a session from
outside the request that holds it; this is small enough to own and to reuse in every front end.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

import redis
from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

PREFIX = "session:"


class ServerSession(CallbackDict[str, Any], SessionMixin):
    """A session's data; `sid` names its Redis record (None: not stored yet)."""

    def __init__(self, data: dict[str, Any] | None = None, sid: str | None = None) -> None:
        def changed(_self: CallbackDict[str, Any]) -> None:
            self.modified = True

        super().__init__(data or {}, changed)
        self.sid = sid
        self.ended: list[str] = []  # ids whose records go at save time
        self.modified = False


def end_session(session: SessionMixin) -> None:
    """Forget the session at once: its Redis record is deleted when the response is saved and
    whatever is put into the session afterwards is stored under a new id."""
    if isinstance(session, ServerSession):
        if session.sid:
            session.ended.append(session.sid)
        session.sid = None
    session.clear()
    session.modified = True


class RedisSessionInterface(SessionInterface):
    """Flask's session interface over Redis (JSON values, one key per session)."""

    def __init__(self, client: redis.Redis, lifetime_seconds: int, prefix: str = PREFIX) -> None:
        self.redis = client
        self.lifetime = lifetime_seconds
        self.prefix = prefix

    def key(self, sid: str) -> str:
        """The Redis key of a session id: its hash, so a copy of Redis holds no usable cookie."""
        return self.prefix + hashlib.sha256(sid.encode()).hexdigest()

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        """The session the cookie names, or a new empty one (unknown, expired or no cookie)."""
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid:
            return ServerSession()
        raw = self.redis.get(self.key(sid))
        if raw is None:
            return ServerSession()
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        return ServerSession(data, sid) if isinstance(data, dict) else ServerSession()

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Store a changed session, delete ended ones, and set or clear the cookie."""
        assert isinstance(session, ServerSession)
        if session.ended:
            self.redis.delete(*(self.key(sid) for sid in session.ended))
            session.ended.clear()
        name, domain, path = (
            self.get_cookie_name(app),
            self.get_cookie_domain(app),
            self.get_cookie_path(app),
        )
        if not session:
            if session.sid:
                self.redis.delete(self.key(session.sid))
            if session.modified:
                response.delete_cookie(name, domain=domain, path=path)
            return
        if not (session.modified or session.sid is None):
            return
        if session.sid is None:
            session.sid = secrets.token_urlsafe(32)
        self.redis.set(self.key(session.sid), json.dumps(dict(session)), ex=self.lifetime)
        response.set_cookie(
            name,
            session.sid,
            domain=domain,
            path=path,
            httponly=self.get_cookie_httponly(app),
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
            partitioned=self.get_cookie_partitioned(app),
        )
        response.vary.add("Cookie")
