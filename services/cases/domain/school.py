"""Partnerships, schools, support profiles (SOP), pupils, guardians and users."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

from services.cases.domain import events
from services.cases.domain.catalog import BASIC_DOMAINS, EXTRA_DOMAINS
from services.cases.domain.second_factor import SecondFactor
from shared.auth import Validity
from shared.errors import Problems, StateConflict

MAX_PROFILE_YEARS = 4


@dataclass(kw_only=True)
class PartnershipSettings:
    """What a partnership configures; the seed's lists and the law's terms are the defaults."""

    basic_domains: list[str] = field(default_factory=lambda: list(BASIC_DOMAINS))
    extra_domains: list[str] = field(default_factory=lambda: list(EXTRA_DOMAINS))
    short_intervention_max_weeks: int = 10
    evaluation_horizon_days: int = 14
    new_pupil_plan_weeks: int = 6
    plan_deadline_weeks: int = 6
    admission_statement_horizon_days: int = 90
    support_profile_horizon_days: int = 90
    # Rule 9: a pupil's personal data goes this long after they left (referral data longer).
    retention_years: int = 2
    referral_retention_years: int = 3
    # Staff log in with a second factor (TOTP app or recovery code) besides the password.
    staff_second_factor_required: bool = False
    # The ORGANIZER of evaluation-meeting invitations: the partnership's (or its schools') contact
    # address that receives the accept/decline replies. None: the notifications service's own.
    meeting_organizer: str | None = None
    # The consent request asks parents to answer within this many days of the request (a date
    # the school hopes for, not a legal term).
    consent_answer_days: int = 14
    # Whose agreement to an action plan counts: one guardian's (`one`), or every guardian's
    # with parental authority (`all`); see domain.parents.
    consent_from: str = "one"
    # The partnership decides on a submitted TLV application within this many weeks (issue 14):
    # `decide_by` is the submission day plus these weeks, and it is reminded about.
    tlv_decision_weeks: int = 6


class Partnership:
    """A samenwerkingsverband passend onderwijs: the tenant."""

    def __init__(
        self, *, name: str, settings: PartnershipSettings | None = None, id: UUID | None = None
    ) -> None:
        self.id = id or uuid4()
        self.name = name
        self.settings = settings or PartnershipSettings()


class School:
    """A school of the partnership, with its holiday region (noord, midden, zuid)."""

    def __init__(
        self,
        *,
        partnership_id: UUID,
        name: str,
        region: str,
        brin: str | None = None,
        id: UUID | None = None,
    ) -> None:
        self.id = id or uuid4()
        self.partnership_id = partnership_id
        self.name = name
        self.region = region
        self.brin = brin


class SupportProfile:
    """One version of a school's schoolondersteuningsprofiel (SOP)."""

    def __init__(
        self,
        *,
        partnership_id: UUID,
        school_id: UUID,
        version: int,
        basic_domains: list[str],
        extra_domains: list[str],
        valid_from: date,
        review_by: date,
        published_on: date,
        id: UUID | None = None,
    ) -> None:
        self.id = id or uuid4()
        self.partnership_id = partnership_id
        self.school_id = school_id
        self.version = version
        self.basic_domains = list(basic_domains)
        self.extra_domains = list(extra_domains)
        self.valid_from = valid_from
        self.review_by = review_by
        self.published_on = published_on
        self.events: list[events.Event] = []

    @classmethod
    def publish(
        cls,
        *,
        school: School,
        settings: PartnershipSettings,
        previous_version: int,
        basic_domains: list[str],
        extra_domains: list[str],
        valid_from: date,
        review_by: date,
        published_on: date,
    ) -> SupportProfile:
        """Publish a new version; domains come from the partnership's lists (rule 8)."""
        problems = Problems()
        for name, chosen, allowed in (
            ("basic_domains", basic_domains, settings.basic_domains),
            ("extra_domains", extra_domains, settings.extra_domains),
        ):
            for code in sorted(set(chosen) - set(allowed)):
                problems.add(name, f"'{code}' is not in the partnership's list.")
        problems.check(review_by > valid_from, "review_by", "Must be after valid_from.")
        latest = _add_years(valid_from, MAX_PROFILE_YEARS)
        problems.check(
            review_by <= latest,
            "review_by",
            f"A support profile is reviewed at least every {MAX_PROFILE_YEARS} years "
            f"(at the latest {latest.isoformat()}).",
        )
        problems.raise_if_any("The support profile breaks one or more rules.")
        profile = cls(
            partnership_id=school.partnership_id,
            school_id=school.id,
            version=previous_version + 1,
            basic_domains=basic_domains,
            extra_domains=extra_domains,
            valid_from=valid_from,
            review_by=review_by,
            published_on=published_on,
        )
        profile.events.append(
            events.SupportProfilePublished(
                partnership_id=school.partnership_id,
                school_id=school.id,
                support_profile_id=profile.id,
                version=profile.version,
                valid_from=valid_from,
                review_by=review_by,
            )
        )
        return profile

    def offers(self, domain: str) -> bool:
        """Whether the profile lists the domain (basic or extra)."""
        return domain in self.basic_domains or domain in self.extra_domains


def current_profile(profiles: list[SupportProfile], on: date) -> SupportProfile | None:
    """The profile in force on a date: the newest version already valid then."""
    valid = [p for p in profiles if p.valid_from <= on]
    return max(valid, key=lambda p: p.version, default=None)


def _add_years(day: date, years: int) -> date:
    if day.year + years > date.max.year:  # hostile input near year 9999: no overflow
        return date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class Guardian:
    """A parent or carer: contact details and the language they read."""

    name: str
    email: str | None
    phone: str | None
    language: str = "nl"
    user_id: UUID | None = None
    id: UUID = field(default_factory=uuid4)
    # Preference links signed up to this instant no longer open (revoked by the coordinator).
    links_valid_after: datetime | None = None
    # Parental authority (gezag): under `consent_from: all` every such guardian must agree.
    parental_authority: bool = True

    def revoke_links(self, now: datetime) -> None:
        """Every preference link sent to this guardian so far stops opening; later ones work."""
        self.links_valid_after = now


@dataclass
class StaffAssignment:
    """A staff member around a pupil, in a role (teacher, coordinator, consultant)."""

    user_id: UUID
    role: str


class Pupil:
    """A pupil with the minimum the support process needs."""

    def __init__(
        self,
        *,
        partnership_id: UUID,
        school_id: UUID,
        given_name: str,
        family_name: str,
        date_of_birth: date,
        group: str,
        enrolled_on: date,
        pupil_number: str | None = None,
        guardians: list[Guardian] | None = None,
        staff: list[StaffAssignment] | None = None,
        id: UUID | None = None,
    ) -> None:
        self.id = id or uuid4()
        self.partnership_id = partnership_id
        self.school_id = school_id
        self.given_name = given_name
        self.family_name = family_name
        self.date_of_birth = date_of_birth
        self.group = group
        self.enrolled_on = enrolled_on
        self.pupil_number = pupil_number
        self.guardians = list(guardians or [])
        self.staff = list(staff or [])
        self.left_on: date | None = None
        self.anonymised_on: date | None = None
        self.events: list[events.Event] = []

    def leave(self, left_on: date, today: date, open_case_id: UUID | None = None) -> None:
        """Record that the pupil left the school; the retention period counts from here, or from
        closing the case still open (`open_case_id`), which is flagged to be closed."""
        if self.anonymised_on is not None:
            raise StateConflict("The pupil's data was anonymised.", code="pupil_anonymised")
        problems = Problems()
        problems.check(left_on <= today, "left_on", "Cannot be in the future.")
        problems.check(left_on >= self.enrolled_on, "left_on", "Cannot be before enrolment.")
        problems.raise_if_any("The leaving date is not valid.")
        self.left_on = left_on
        if open_case_id is not None:
            self.events.append(
                events.PupilLeftWithOpenCase(
                    partnership_id=self.partnership_id,
                    school_id=self.school_id,
                    pupil_id=self.id,
                    case_id=open_case_id,
                    left_on=left_on,
                )
            )

    def retention_ends(
        self, settings: PartnershipSettings, referred: bool, last_closed_on: date | None = None
    ) -> date | None:
        """The day the personal data may go (None while the pupil is at school): the period
        runs from the later of leaving and closing the pupil's last case."""
        if self.left_on is None:
            return None
        years = settings.referral_retention_years if referred else settings.retention_years
        return _add_years(max(self.left_on, last_closed_on or self.left_on), years)

    def anonymise(self, on: date) -> None:
        """Remove what identifies the pupil and their family; ids and dates of support stay, so
        the anonymous facts reports need remain (rule 9)."""
        self.given_name = "Geanonimiseerd"
        self.family_name = ""
        self.date_of_birth = date(self.date_of_birth.year, 1, 1)
        self.pupil_number = None
        self.guardians = []
        self.anonymised_on = on
        self.events.append(
            events.PupilAnonymised(
                partnership_id=self.partnership_id,
                school_id=self.school_id,
                pupil_id=self.id,
                anonymised_on=on,
            )
        )

    @classmethod
    def register(cls, today: date, **kwargs: object) -> Pupil:
        """Register a pupil; the birth date must be in the past and enrolment not before it."""
        pupil = cls(**kwargs)  # type: ignore[arg-type]
        problems = Problems()
        problems.check(pupil.date_of_birth < today, "date_of_birth", "Must be in the past.")
        problems.check(
            pupil.enrolled_on >= pupil.date_of_birth,
            "enrolled_on",
            "Cannot be before the date of birth.",
        )
        problems.check(
            pupil.enrolled_on <= today + timedelta(days=366),
            "enrolled_on",
            "Must be within a year from today.",
        )
        problems.raise_if_any("The pupil's data is not valid.")
        pupil.events.append(
            events.PupilEnrolled(
                partnership_id=pupil.partnership_id,
                school_id=pupil.school_id,
                pupil_id=pupil.id,
                enrolled_on=pupil.enrolled_on,
            )
        )
        return pupil


class User:
    """Someone who logs in: staff of the partnership or a school, or a guardian."""

    def __init__(
        self,
        *,
        partnership_id: UUID,
        role: str,
        email: str,
        name: str,
        password_hash: str | None,
        school_id: UUID | None = None,
        language: str = "nl",
        phone: str | None = None,
        active: bool = True,
        id: UUID | None = None,
    ) -> None:
        self.id = id or uuid4()
        self.partnership_id = partnership_id
        self.school_id = school_id
        self.role = role
        self.email = email
        self.name = name
        self.password_hash = password_hash
        self.language = language
        self.phone = phone
        self.active = active
        # The second factor (domain.second_factor): a TOTP secret, sealed at rest, and its state.
        self.totp_secret: str | None = None
        self.totp_enabled = False
        self.totp_last_step: int | None = None
        self.recovery_code_hashes: list[str] = []
        # Tokens issued up to this instant are refused everywhere (shared.revocation).
        self.tokens_valid_after: datetime | None = None
        # A guardian's "sign out everywhere": their sessions (bearer tokens) issued up to this
        # instant are refused; unlike a disable, the preference links in their mail still open.
        self.sessions_valid_after: datetime | None = None

    def token_validity(self) -> Validity:
        """Whether a token of this account is accepted: active, and issued after both the
        disable (`tokens_valid_after`) and the last "sign out everywhere"."""
        return token_validity(self.active, self.tokens_valid_after, self.sessions_valid_after)

    def second_factor(self) -> SecondFactor:
        """The account's second-factor state."""
        return SecondFactor(
            secret=self.totp_secret,
            enabled=bool(self.totp_enabled),
            last_step=self.totp_last_step,
            recovery_code_hashes=list(self.recovery_code_hashes or []),
        )

    def keep_second_factor(self, state: SecondFactor) -> None:
        """Store a changed second-factor state on the account."""
        self.totp_secret = state.secret
        self.totp_enabled = state.enabled
        self.totp_last_step = state.last_step
        self.recovery_code_hashes = list(state.recovery_code_hashes)

    def disable(self, now: datetime) -> None:
        """Refuse the account and every token issued so far, also after a re-enable."""
        self.active = False
        self.tokens_valid_after = now

    def enable(self) -> None:
        """Accept log-ins again; tokens issued before the disable stay refused."""
        self.active = True


def guardian_link_validity(guardian: Guardian, account: User | None) -> Validity:
    """Whether a guardian's preference links open: signed after the guardian's own revocation
    and after their account's disable (tokens_valid_after), and not while the account is
    disabled. A guardian without an account has only the first."""
    instants = [guardian.links_valid_after]
    if account is not None:
        instants.append(account.tokens_valid_after)
    known = [i for i in instants if i is not None]
    active = account.active if account is not None else True
    return Validity(active, max(known) if known else None)


def token_validity(
    active: bool, tokens_valid_after: datetime | None, sessions_valid_after: datetime | None
) -> Validity:
    """An account's tokens are accepted when it is active and they were issued after both the
    disable (`tokens_valid_after`) and the last "sign out everywhere" (`sessions_valid_after`)."""
    known = [i for i in (tokens_valid_after, sessions_valid_after) if i]
    return Validity(active, max(known) if known else None)
