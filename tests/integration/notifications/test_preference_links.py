"""A guardian's preference links can be revoked, and stop opening when the guardian is removed
from the pupil or their account is disabled (issue 11): the same "valid after" check as the
tokens, asked of the cases service (the durable truth) every time a link is opened."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from services.notifications.service_layer import handlers
from tests.integration.cases.test_imports import HEADER
from tests.support.world import World


def link(world: World, n: Any, guardian: str = "a1") -> str:
    """The API path of the link a message to this guardian carries now."""
    signed = handlers.preferences_link(
        n.rules, str(world.guardians[guardian]), world.partnership_a, n.clock.now()
    )
    return "/api/v1/preferences/" + signed.rsplit("/", 1)[1]


def opens(client: Any, path: str) -> int:
    return client.get(path, headers={"Accept": "application/json"}).status_code


def revoke(world: World, who: str, guardian: str = "a1") -> Any:
    pupil, gid = world.pupils[guardian], world.guardians[guardian]
    return world.call(who, "POST", f"/api/v1/pupils/{pupil}/guardians/{gid}/revoke-links")


def test_the_school_revokes_a_guardians_links_and_later_ones_work(
    world: World, notifications, notifications_client
) -> None:
    old = link(world, notifications)
    other_family = link(world, notifications, "a1_other")
    assert opens(notifications_client, old) == 200

    for who, status in (("teacher_a1", 404), ("coordinator_a2", 404), ("director_a1", 403)):
        assert revoke(world, who).status_code == status, who
    assert opens(notifications_client, old) == 200

    notifications.clock.advance(timedelta(minutes=5))
    assert revoke(world, "coordinator_a1").status_code == 204
    refused = notifications_client.get(old, headers={"Accept": "application/json"})
    assert refused.status_code == 404 and refused.json["code"] == "invalid_link"
    put = notifications_client.put(old, json={"language": "en", "informational": False})
    assert put.status_code == 404
    assert opens(notifications_client, other_family) == 200  # only this guardian's links

    notifications.clock.advance(timedelta(seconds=1))
    assert opens(notifications_client, link(world, notifications)) == 200
    assert revoke(world, "admin_a").status_code == 204  # the administrator may too


def test_a_disabled_guardian_accounts_links_stop_and_old_ones_stay_dead(
    world: World, notifications, notifications_client
) -> None:
    old = link(world, notifications)
    account = world.users["guardian_a1"]
    notifications.clock.advance(timedelta(minutes=5))
    assert world.call("admin_a", "POST", f"/api/v1/users/{account}/disable").status_code == 200
    assert opens(notifications_client, old) == 404
    notifications.clock.advance(timedelta(seconds=1))
    assert opens(notifications_client, link(world, notifications)) == 404  # while disabled

    assert world.call("admin_a", "POST", f"/api/v1/users/{account}/enable").status_code == 200
    assert opens(notifications_client, old) == 404
    notifications.clock.advance(timedelta(seconds=1))
    assert opens(notifications_client, link(world, notifications)) == 200


def test_a_removed_guardians_link_no_longer_opens(
    world: World, notifications, notifications_client
) -> None:
    old = link(world, notifications)
    assert opens(notifications_client, old) == 200
    # The school's administration now names another parent for the pupil: a re-import
    # replaces the guardian.
    row = "N-a1;Kind a1;;Test;01-05-2017;groep 4;Nieuwe Ouder;nieuw@test.nl;;nl;;"
    content = ("\r\n".join([HEADER, row]) + "\r\n").encode()
    imported = world.call(
        "coordinator_a1",
        "POST",
        f"/api/v1/schools/{world.school_a1}/imports/pupils",
        data={"file": (io.BytesIO(content), "export.csv")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 200, imported.json
    assert imported.json["rows"][0]["changes"] == ["guardians"]
    assert opens(notifications_client, old) == 404
