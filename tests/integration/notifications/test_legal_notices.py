"""Rule 8 (issue 11): an intervention outside the school's SOP reaches the partnership's
consultant through a default policy, although no consultant is assigned to the pupil (pupil a1 has
only its coordinator), with a real subject and text. A partnership whose policies were made before
that default existed gets it too.

Real: the cases app over HTTP (its audience endpoint), Redis, both databases, the SMTP server.
"""

from __future__ import annotations

from uuid import UUID

from services.notifications.domain.policy import LATER_DEFAULT_KEYS, default_policies
from tests.integration.notifications.helpers import rows
from tests.integration.notifications.test_invitations import deliver_due
from tests.support.api_flows import open_case, start_intervention

CONSULTANT = "consultant_a@test.nl"


def test_an_intervention_outside_the_sop_reaches_the_partnerships_consultant(
    world, pipeline, notifications, mail_server
):
    n = notifications
    partnership = UUID(str(world.partnership_a))
    older = [p for p in default_policies(partnership) if p.key not in LATER_DEFAULT_KEYS]
    with n.store() as store:  # the partnership's policies from before rule 8 had a default
        store.create_defaults(older, n.clock.now())
        store.commit()

    case = open_case(world)
    start_intervention(world, case["id"], domain="gifted")  # not in school a1's SOP
    pipeline.run()
    assert set(deliver_due(n).values()) == {"sent"}

    [row] = rows(n, policy_key="outside_support_profile")
    assert (row["recipient_role"], row["address"]) == ("all_consultants", CONSULTANT)
    [mail] = [m for m in mail_server.wait_for(1) if CONSULTANT in m.rcpt_tos]
    reference = case["id"][:8]
    assert mail.subject == (f"Interventie buiten het schoolondersteuningsprofiel ({reference})")
    assert "School A1 is voor Kind a1 een interventie gestart (Meer- en hoogbegaafdheid)" in (
        mail.body.replace("\n", " ")
    )
    assert "Melding" not in mail.subject
