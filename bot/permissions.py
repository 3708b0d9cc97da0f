"""Who may run each command, declared in one place.

The decorators in `bot.checks` enforce it; `tests/e2e/test_permission_matrix.py` fails when a registered
command is missing here, when this table and a command's decorator disagree, and when a lesser role
gets anything but an ephemeral refusal (with the database unchanged). Add a line for every new command.
"""

from __future__ import annotations

from typing import Literal

Role = Literal["member", "moderator", "trainer", "admin"]

# Roles that rank below each restricted role (a trainer is not a moderator, nor the reverse).
LESSER: dict[Role, tuple[Role, ...]] = {
    "member": (),
    "moderator": ("member",),
    "trainer": ("member", "moderator"),
    "admin": ("member", "moderator", "trainer"),
}

COMMAND_ROLES: dict[str, Role] = {
    # everyone
    "help": "member",
    "crisis": "member",
    "privacy": "member",
    "profile show": "member",
    "profile timezone": "member",
    "mydata export": "member",
    "mydata delete": "member",
    # setup
    "setup show": "admin",
    "setup check": "admin",
    "setup wizard": "admin",
    "setup channel": "admin",
    "setup role": "admin",
    "setup crisis": "admin",
    "setup reminders": "admin",
    "setup status": "admin",
    # trainings
    "training create": "trainer",
    "training list": "member",
    "training info": "member",
    "training ics": "member",
    "training cancel": "trainer",
    "training code": "trainer",
    "training attend": "member",
    "training verify": "member",
    "training certificate": "member",
    "training edit": "trainer",
    "training roster": "trainer",
    "setup agreement": "admin",
    # case discussion
    "agreement": "member",
    "case new": "member",
    "case close": "member",
    "case author": "moderator",
    "setup allowlist add": "moderator",
    "setup allowlist remove": "moderator",
    "setup allowlist list": "moderator",
    "setup automod": "admin",
    # check-ins
    "checkin now": "member",
    "checkin schedule": "member",
    "checkin pause": "member",
    "checkin resume": "member",
    "checkin history": "member",
    "checkin buddy invite": "member",
    "checkin buddy remove": "member",
    "checkin buddy settings": "member",
    "checkin summary": "moderator",
    # peer pairing
    "pairing join": "member",
    "pairing leave": "member",
    "pairing pause": "member",
    "pairing avoid": "member",
    "pairing unavoid": "member",
    "pairing setup": "admin",
    "pairing run": "admin",
    "pairing stats": "admin",
    # continuing education
    "ce credential add": "member",
    "ce credential list": "member",
    "ce credential remove": "member",
    "ce log": "member",
    "ce status": "member",
    "ce entries": "member",
    "ce remove": "member",
    "ce export": "member",
    "ce template list": "member",
    "ce template add": "admin",
    "ce template remove": "admin",
    # resources
    "resource add": "member",
    "resource search": "member",
    "resource show": "member",
    "resource tags": "member",
    "resource edit": "member",
    "resource remove": "member",
    "resource save": "member",
    "resource unsave": "member",
    "resource saved": "member",
    "resource import": "admin",
    "resource export": "admin",
    # announcements
    "announce new": "trainer",
    "announce list": "trainer",
    "announce cancel": "trainer",
    # moderation
    "report": "member",
    "Report to moderators": "member",  # message context menu
    "mod warn": "moderator",
    "mod timeout": "moderator",
    "mod note": "moderator",
    "mod restrict": "moderator",
    "mod unrestrict": "moderator",
    "mod history": "moderator",
    "mod reason": "moderator",
    "mod escalation": "admin",
    "setup retention": "admin",
}
