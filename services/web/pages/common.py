"""What every page uses: the signed-in user, their cases client, the language, safe redirects
and ending a session."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from services.web.clients.base import ApiClient
from services.web.clients.cases import CasesClient
from services.web.clients.reports import ReportsClient
from shared.auth import InvalidToken, Principal, verify_token

# The parents' pages come in six languages (issue 13); the staff's pages in nl and en (a text
# without a translation shows in Dutch). Each language named in itself, for the switch.
LANGUAGES = ("nl", "en", "tr", "ar", "pl", "uk")
LANGUAGE_NAMES = (
    ("nl", "Nederlands"),
    ("en", "English"),
    ("tr", "Türkçe"),
    ("ar", "العربية"),
    ("pl", "Polski"),
    ("uk", "Українська"),
)
STAFF_LANGUAGES = ("nl", "en")
RIGHT_TO_LEFT = frozenset({"ar"})
T = TypeVar("T")
# Reads a page needs side by side (threads start on first use, so after gunicorn forks).
_READS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="web-api")


def container() -> Any:
    return current_app.extensions["web"]


def current_language() -> str:
    """The session's language, Dutch unless the user chose another."""
    language = session.get("lang")
    return language if language in LANGUAGES else "nl"


def text_direction() -> str:
    """`rtl` for a language written right to left (Arabic), else `ltr`: the <html dir>."""
    return "rtl" if current_language() in RIGHT_TO_LEFT else "ltr"


def safe_next(value: str | None) -> str | None:
    """A same-site relative path to land on after log-in, or None (no open redirects)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in value):
        return None
    return value


def current_user() -> Principal | None:
    """The signed-in user of this request (their token checked), or None."""
    if "user" in g:
        return g.user
    token = session.get("token")
    user = None
    if token:
        try:
            user = verify_token(token, container().settings.jwt_secret, container().clock.now())
        except InvalidToken:
            user = None
    g.user = user
    return user


def cases() -> CasesClient:
    """The cases API as the signed-in user; a form's writes carry the ETag it was built from."""
    c = container()
    if_match = (request.form.get(ETAG_FIELD) or None) if request.method == "POST" else None
    api = ApiClient(
        c.http, c.settings.cases_url, session["token"], if_match=if_match, on_etag=_loaded
    )
    return CasesClient(api)


def read_alongside(call: Callable[[CasesClient], T]) -> Future[T]:
    """Run a read of the cases API on another thread while the page makes its own calls (the
    API calls of a page one after another add up). It uses a client without the ETag hook:
    the ETag a form carries comes from the request's own thread. `.result()` raises what the
    call raised (SessionEnded, ApiError), as if the page had called it itself."""
    c = container()
    client = CasesClient(ApiClient(c.http, c.settings.cases_url, session["token"]))
    return _READS.submit(call, client)


# -- two people, one plan: forms carry the case's ETag in a hidden field ------------------------

ETAG_FIELD = "etag"


def _loaded(etag: str) -> None:
    g.loaded_etag = etag


def edited_elsewhere() -> None:
    """The API refused the form's write (412): the page shows it again with the current ETag, so
    saving once more, after looking, is a deliberate choice."""
    g.edited_elsewhere = True


def form_etag() -> str:
    """The ETag a form's hidden field holds: the one it was built from while it is being
    corrected, the one just read when it is new (or was refused because of someone else)."""
    if request.method == "POST" and not g.get("edited_elsewhere"):
        return request.form.get(ETAG_FIELD, "")
    return str(g.get("loaded_etag", ""))


def reports() -> ReportsClient | None:
    """The reports API as the signed-in user; None where no reports service is configured."""
    c = container()
    if not c.settings.reports_url:
        return None
    return ReportsClient(ApiClient(c.http, c.settings.reports_url, session["token"]))


def end_session(keep_language: bool = True) -> None:
    """Forget the session at once: its Redis entry goes and a new id is handed out."""
    language = session.get("lang")
    session.clear()
    if keep_language and language:
        session["lang"] = language
        current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]


def to_login() -> Response:
    """The log-in page, landing back on this page (a GET) afterwards."""
    if request.path.startswith("/ouders"):  # a parent signs in again by e-mailed link
        remember_landing()
        return redirect(url_for("parents.sign_in"))
    here = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=safe_next(here)))


# -- a parent's landing page: kept across the e-mailed sign-in link ----------------------------

LANDING = "parents_next"  # in the (server-side) session: the page to land on after sign-in


def remember_landing() -> None:
    """Keep the parents' page asked for (a GET, such as the consent page a consent request links
    to) in the session, to land there once the e-mailed sign-in link is opened in this browser."""
    here = request.full_path.rstrip("?") if request.method == "GET" else None
    landing = safe_next(here)
    if landing and landing.startswith("/ouders/") and not landing.startswith("/ouders/inloggen"):
        session[LANDING] = landing


def take_landing() -> str | None:
    """The page remembered before sign-in (once), else None."""
    landing = safe_next(session.pop(LANDING, None))
    return landing if landing and landing.startswith("/ouders/") else None


def render(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, user=current_user(), **context), status


def plan_document(plan_id: Any) -> Response:
    """The plan's PDF from the cases API as the signed-in user (who may read it is the API's
    call), in the page's language, passed on as a download under the API's file name
    (OPP-<first 8 of the plan's id>-<date>.pdf: no pupil name in a file that lands in download
    folders and mail). Nothing is kept."""
    content, kind, disposition = cases().plan_document(plan_id, current_language())
    headers = {"Content-Disposition": disposition, "Cache-Control": "private, no-store"}
    return Response(content, 200, headers, mimetype=kind)
