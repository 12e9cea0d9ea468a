"""The administrator's home (/beheer): the sections of the partnership's administration, each
with a line of what is in it now."""

from __future__ import annotations

from typing import Any

from services.web.pages.admin.blueprint import blp
from services.web.pages.admin.common import admin
from services.web.pages.common import render


@blp.get("")
def home() -> Any:
    """Beheer: schools, accounts, settings, SOPs, import (and the messages' pages, see the
    template's list)."""
    client = admin()
    schools = client.schools()
    accounts = client.accounts()
    return render(
        "admin/home.html",
        active="admin",
        school_count=len(schools),
        account_count=len(accounts),
        disabled_count=sum(1 for a in accounts if not a.active),
    )
