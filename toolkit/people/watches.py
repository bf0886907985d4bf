"""What each person has chosen to hear about: watches (a material, a topic, a kind or a working group; each with
immediate mails, a daily digest or no mail: the web only), how they get their personal notifications (immediate,
digest or none), and whether they have turned off every mail. The web notifications are shown whatever they choose
for mail.

Unsubscribe links carry a signed token (HMAC with the store's key) naming the person and what the link stops,
so they work without signing in and cannot be forged for somebody else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from toolkit.errors import Invalid, Problem
from toolkit.library.materials import Material
from toolkit.people.notifystore import NotifyStore

TYPES = ("material", "topic", "kind", "group")
MODES = ("immediate", "digest", "none")  # "none": followed in the web (the bell) without mail
PERSONAL_MODES = ("immediate", "digest", "none")
MAX_WATCHES = 500  # per person: enough for every material of a large library
TARGET_MAX = 80


@dataclass(frozen=True)
class Watch:
    user: str
    type: str  # one of TYPES
    target: str  # a slug, a topic or kind term, a group id
    mode: str  # one of MODES


@dataclass(frozen=True)
class Prefs:
    personal: str = "immediate"  # one of PERSONAL_MODES
    muted: bool = False  # no mail at all


@dataclass(frozen=True)
class Unsubscribe:
    """What an unsubscribe link stops: one watch ("watch"), the personal mails ("personal") or every mail ("all")."""

    user: str
    scope: str
    type: str = ""
    target: str = ""


class Watches:
    def __init__(self, store: NotifyStore):
        self.store = store

    # -- watches --------------------------------------------------------------------------------------------------

    def watch(self, user: str, type: str, target: str, mode: str = "immediate") -> Watch:
        _check(type, target, mode)
        with self.store.db() as db:
            count = db.execute("select count(*) from watches where user = ?", (user,)).fetchone()[0]
            exists = db.execute("select 1 from watches where user = ? and type = ? and target = ?",
                                (user, type, target)).fetchone()
            if count >= MAX_WATCHES and not exists:
                raise Invalid("too many watches", [Problem.at("watches", f"you follow {count} things already; "
                                                              "stop following some first", field="target")])
            db.execute("insert or replace into watches (user, type, target, mode, created) values (?, ?, ?, ?, ?)",
                       (user, type, target, mode, self.store.clock()))
        return Watch(user, type, target, mode)

    def unwatch(self, user: str, type: str, target: str) -> bool:
        if not self.store.exists():
            return False
        with self.store.db() as db:
            return db.execute("delete from watches where user = ? and type = ? and target = ?",
                              (user, type, target)).rowcount > 0

    def of(self, user: str) -> list[Watch]:
        if not self.store.exists():
            return []
        with self.store.db(writing=False) as db:
            rows = db.execute("select type, target, mode from watches where user = ? order by type, target",
                              (user,)).fetchall()
        return [Watch(user, *row) for row in rows]

    def find(self, user: str, type: str, target: str) -> Watch | None:
        if not self.store.exists():
            return None
        with self.store.db(writing=False) as db:
            row = db.execute("select mode from watches where user = ? and type = ? and target = ?",
                             (user, type, target)).fetchone()
        return Watch(user, type, target, row[0]) if row else None

    def watchers(self, material: Material) -> dict[str, tuple[Watch, ...]]:
        """Who watches this material (itself, one of its topics, its kind, its working group): user → watches."""
        wanted = [("material", material.slug), ("kind", material.kind)]
        wanted += [("topic", topic) for topic in material.topics]
        if material.working_group:
            wanted.append(("group", material.working_group))
        if not self.store.exists():
            return {}
        found: dict[str, list[Watch]] = {}
        with self.store.db(writing=False) as db:
            for type, target in wanted:
                for user, mode in db.execute("select user, mode from watches where type = ? and target = ?",
                                             (type, target)):
                    found.setdefault(user, []).append(Watch(user, type, target, mode))
        return {user: tuple(watches) for user, watches in found.items()}

    def move(self, type: str, old: str, new: str) -> None:
        """A renamed material keeps its watchers."""
        with self.store.db() as db:
            db.execute("update or ignore watches set target = ? where type = ? and target = ?", (new, type, old))
            db.execute("delete from watches where type = ? and target = ?", (type, old))

    # -- preferences ----------------------------------------------------------------------------------------------

    def prefs(self, user: str) -> Prefs:
        if not self.store.exists():
            return Prefs()
        with self.store.db(writing=False) as db:
            row = db.execute("select personal, muted from prefs where user = ?", (user,)).fetchone()
        return Prefs(row[0], bool(row[1])) if row else Prefs()

    def set_prefs(self, user: str, *, personal: str | None = None, muted: bool | None = None) -> Prefs:
        if personal is not None and personal not in PERSONAL_MODES:
            raise Invalid("unknown mail choice", [Problem.at("prefs", f"choose one of {', '.join(PERSONAL_MODES)}",
                                                             field="personal")])
        with self.store.db() as db:
            db.execute("insert or ignore into prefs (user) values (?)", (user,))
            if personal is not None:
                db.execute("update prefs set personal = ? where user = ?", (personal, user))
            if muted is not None:
                db.execute("update prefs set muted = ? where user = ?", (int(muted), user))
        return self.prefs(user)

    # -- unsubscribe links ----------------------------------------------------------------------------------------

    def token(self, stop: Unsubscribe) -> str:
        payload = "\n".join((stop.user, stop.scope, stop.type, stop.target)).encode()
        return f"{_b64(payload)}.{_b64(self._sign(payload))}"

    def read_token(self, token: str) -> Unsubscribe | None:
        """What a token stops, or None when it is not one of ours (altered, truncated, for another instance)."""
        try:
            data, signature = token.split(".")
            payload = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
            sent = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
            user, scope, type, target = payload.decode().split("\n")
        except (ValueError, UnicodeDecodeError):
            return None
        if not hmac.compare_digest(sent, self._sign(payload)) or scope not in ("watch", "personal", "all"):
            return None
        return Unsubscribe(user, scope, type, target)

    def unsubscribe(self, stop: Unsubscribe) -> None:
        """Stop the mail the link says (doing it twice changes nothing). The watches stay: the link stops mail,
        and what one follows still shows under the bell."""
        if stop.scope == "watch":
            with self.store.db() as db:
                db.execute("update watches set mode = 'none' where user = ? and type = ? and target = ?",
                           (stop.user, stop.type, stop.target))
        elif stop.scope == "personal":
            self.set_prefs(stop.user, personal="none")
        else:
            self.set_prefs(stop.user, muted=True)

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self.store.secret(), b"unsubscribe\n" + payload, hashlib.sha256).digest()


def _check(type: str, target: str, mode: str) -> None:
    problems = []
    if type not in TYPES:
        problems.append(Problem.at("watches", f"one can follow a {', '.join(TYPES)}", field="type"))
    if not target or len(target) > TARGET_MAX or not target.replace("-", "").replace("_", "").isalnum() \
            or not target.isascii():
        problems.append(Problem.at("watches", "give the id of what to follow (letters, digits, -)", field="target"))
    if mode not in MODES:
        problems.append(Problem.at("watches", f"choose one of {', '.join(MODES)}", field="mode"))
    if problems:
        raise Invalid("cannot follow that", problems)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
