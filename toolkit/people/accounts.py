"""Accounts in the instance folder (`instance/users.json`): user names, full names, e-mail addresses, roles,
working groups, password hashes.

Passwords are hashed with scrypt (slow, salted, memory-hard; in Python's standard library) and compared
in constant time. The file is written atomically under a lock, readable only by its owner.
"""

from __future__ import annotations

import base64
import difflib
import fcntl
import functools
import hashlib
import hmac
import json
import os
import re
import secrets
import unicodedata
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from toolkit.errors import Invalid, NotFound, Problem
from toolkit.people.signins import SignIns

ROLES = ("member", "facilitator", "admin")
NAME = re.compile(r"[a-z][a-z0-9._-]{1,39}\Z")
GROUP = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(?:\.[^@\s.]+)+\Z")
FULL_NAME_MAX = 120
USERS_FILE = "users.json"
MIN_PASSWORD = 10
# scrypt at n=2**15: ~50 ms and 32 MiB per check on this machine — slow for guessing, fine for signing in.
SCRYPT = {"n": 2 ** 15, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024, "dklen": 32}


@dataclass(frozen=True)
class User:
    name: str
    role: str
    groups: tuple[str, ...] = ()
    password_hash: str = field(default="", repr=False)
    email: str = ""  # the person's own address: what makes them a project's contact (permissions)
    full_name: str = ""  # what people see (history, editions, feeds); the user name when empty
    subject: str = ""  # "<issuer> <sub>": the person at the OpenID provider (toolkit/people/oidc.py); "" = local

    @property
    def display_name(self) -> str:
        return self.full_name or self.name

    def to_dict(self) -> dict:
        return {"name": self.name, "full_name": self.full_name, "role": self.role, "groups": list(self.groups),
                "email": self.email, **({"subject": self.subject} if self.subject else {})}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **SCRYPT)
    return f"scrypt${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), **SCRYPT)
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def new_password() -> str:
    """A random password people can type: 4 groups of 5 letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


class Accounts:
    """The users of one instance."""

    def __init__(self, home: Path):
        self.home = home
        self.path = home / USERS_FILE

    def users(self) -> list[User]:
        return sorted(self._read().values(), key=lambda u: u.name)

    def get(self, name: str) -> User:
        user = self._read().get(name)
        if user is None:
            raise NotFound(f"no user '{name}'; see `netkit user list`")
        return user

    def exists(self) -> bool:
        return bool(self._read())

    def add(self, name: str, role: str, *, groups: tuple[str, ...] = (), password: str | None = None,
            email: str = "", full_name: str = "", known_groups: Collection[str] | None = None) -> str:
        """Create a user; returns the password (a new random one unless given). With `known_groups` (the
        network's working groups), a group not among them is refused with the nearest ids."""
        email, full_name = email.strip().lower(), " ".join(full_name.split())
        _check(name, role, groups, email, full_name, known_groups)
        password = password or new_password()
        _check_password(password)
        with self._locked() as users:
            if name in users:
                raise Invalid(f"user '{name}' exists", [Problem.at("users", "choose another name, or `netkit user "
                                                                            "passwd` to change the password",
                                                                   field="name")])
            users[name] = User(name, role, tuple(sorted(set(groups))), hash_password(password), email, full_name)
        return password

    def remove(self, name: str) -> None:
        with self._locked() as users:
            if name not in users:
                raise NotFound(f"no user '{name}'; see `netkit user list`")
            if users[name].role == "admin" and sum(1 for u in users.values() if u.role == "admin") == 1:
                raise Invalid("the last admin cannot be removed",
                              [Problem.at("users", "make another user admin first", field="name")])
            del users[name]
        SignIns(self.home).end_sessions_of(name)

    def set_password(self, name: str, password: str | None = None) -> str:
        password = password or new_password()
        _check_password(password)
        with self._locked() as users:
            user = users.get(name)
            if user is None:
                raise NotFound(f"no user '{name}'; see `netkit user list`")
            users[name] = replace(user, password_hash=hash_password(password))
        SignIns(self.home).end_sessions_of(name)  # a new password signs out every session of the old one
        return password

    def update(self, name: str, *, role: str | None = None, groups: tuple[str, ...] | None = None,
               email: str | None = None, full_name: str | None = None,
               known_groups: Collection[str] | None = None) -> User:
        with self._locked() as users:
            user = users.get(name)
            if user is None:
                raise NotFound(f"no user '{name}'; see `netkit user list`")
            new_role = role or user.role
            new_groups = tuple(sorted(set(groups))) if groups is not None else user.groups
            new_email = email.strip().lower() if email is not None else user.email
            new_full_name = " ".join(full_name.split()) if full_name is not None else user.full_name
            added = tuple(g for g in new_groups if g not in user.groups)  # groups kept as they were are not judged
            _check(name, new_role, new_groups, new_email, new_full_name, known_groups, judged=added)
            if user.role == "admin" and new_role != "admin" and \
                    sum(1 for u in users.values() if u.role == "admin") == 1:
                raise Invalid("the last admin must stay admin",
                              [Problem.at("users", "make another user admin first", field="role")])
            users[name] = replace(user, role=new_role, groups=new_groups, email=new_email, full_name=new_full_name)
            return users[name]

    def change_groups(self, name: str, *, join: str | None = None, leave: str | None = None) -> User:
        """Add the user to a group and/or take them out of one, in one locked step."""
        with self._locked() as users:
            user = users.get(name)
            if user is None:
                raise NotFound(f"no user '{name}'; see `netkit user list`")
            groups = (set(user.groups) | ({join} if join else set())) - ({leave} if leave else set())
            _check(name, user.role, tuple(sorted(groups)))
            users[name] = replace(user, groups=tuple(sorted(groups)))
            return users[name]

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when the password is right, else None (the same work either way: no timing hint)."""
        user = self._read().get(name)
        if user is None:
            check_password(password, _dummy_hash())
            return None
        return user if check_password(password, user.password_hash) else None

    def by_subject(self, subject: str) -> User | None:
        return next((u for u in self._read().values() if subject and u.subject == subject), None)

    def sign_in_external(self, subject: str, *, preferred: str, email: str, full_name: str, role: str,
                         groups: tuple[str, ...], reserved: Collection[str] = ()) -> User:
        """The account of a person signed in at the OpenID provider, made on the first sign-in (a user name from
        `preferred`, made valid and unique — also against `reserved`, names that records give rights to; no
        password: no local sign-in) and found again by `subject`, so a changed e-mail or name updates it instead of
        making a second one. Role and working groups are replaced by what the provider's groups map to (the
        mapping is the authority: a group taken away there is gone). An e-mail address another account holds is
        not taken (an address is a right: the projects listing it)."""
        email = email.strip().lower()
        email = email if EMAIL.match(email) else ""
        full_name = " ".join("".join(c for c in full_name if c.isprintable()).split())[:FULL_NAME_MAX]
        groups = tuple(sorted(set(groups)))
        with self._locked() as users:
            user = next((u for u in users.values() if u.subject == subject), None)
            if email and any(u.email.lower() == email for u in users.values() if user is None or u.name != user.name):
                email = ""
            if user is None:
                taken = {name.casefold() for name in (*users, *reserved)}
                user = User(_free_name(preferred, taken), role, groups, "", email, full_name, subject)
            else:
                user = replace(user, role=role, groups=groups, email=email, full_name=full_name)
            _check(user.name, user.role, user.groups, user.email, user.full_name)
            users[user.name] = user
            return user

    def ensure_admin(self) -> str | None:
        """On the very first start, an `admin` with a random password (returned once); None when users exist."""
        with self._locked() as users:
            if users:
                return None
            password = new_password()
            users["admin"] = User("admin", "admin", (), hash_password(password))
            return password

    # -- the file --------------------------------------------------------------------------------------------

    def _read(self) -> dict[str, User]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise Invalid(f"{self.path} cannot be read", [Problem.at(str(self.path), str(exc))]) from None
        return {entry["name"]: User(entry["name"], entry["role"], tuple(entry.get("groups", ())),
                                    entry["password"], entry.get("email", ""), entry.get("full_name", ""),
                                    entry.get("subject", ""))
                for entry in data.get("users", [])}

    @contextmanager
    def _locked(self) -> Iterator[dict[str, User]]:
        self.home.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.home / ".users.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            users = self._read()
            yield users
            payload = {"users": [{**u.to_dict(), "password": u.password_hash}
                                 for u in sorted(users.values(), key=lambda u: u.name)]}
            temporary = self.path.with_name(f".{USERS_FILE}.{os.getpid()}.tmp")
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False, indent=1)
            os.replace(temporary, self.path)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _check(name: str, role: str, groups: tuple[str, ...], email: str = "", full_name: str = "",
           known_groups: Collection[str] | None = None, *, judged: tuple[str, ...] | None = None) -> None:
    problems = []
    if not NAME.match(name or ""):
        problems.append(Problem.at("users", "2–40 characters: lowercase letters, digits, '.', '_' or '-', starting "
                                            "with a letter", field="name"))
    if role not in ROLES:
        problems.append(Problem.at("users", f"'{role}' is not a role; roles: {', '.join(ROLES)}", field="role"))
    for group in groups:
        if not GROUP.match(group):
            problems.append(Problem.at("users", f"'{group}' is not a working-group id (lowercase, digits, hyphens)",
                                       field="group"))
        elif known_groups is not None and group not in known_groups and (judged is None or group in judged):
            problems.append(Problem.at("users", _unknown_group(group, known_groups), field="group"))
    if email and not EMAIL.match(email):
        problems.append(Problem.at("users", f"'{email[:80]}' is not an e-mail address", field="email"))
    if len(full_name) > FULL_NAME_MAX or any(ord(c) < 32 or ord(c) == 127 for c in full_name):
        problems.append(Problem.at("users", f"a full name is one line of at most {FULL_NAME_MAX} characters",
                                   field="full_name"))
    if problems:
        raise Invalid("invalid user", problems)


def _free_name(preferred: str, taken: Collection[str]) -> str:
    """A valid user name like `preferred` (an e-mail address gives its local part), not among `taken`."""
    local = preferred.split("@")[0].strip().lower()
    for danish, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        local = local.replace(danish, plain)
    local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9._-]+", "-", local).strip("._-")
    base = (base if base[:1].isalpha() else f"u{base}")[:36].rstrip("._-")
    base = base if len(base) >= 2 else "bruger"
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}{number}"
    return name


def _unknown_group(group: str, known: Collection[str]) -> str:
    near = difflib.get_close_matches(group, sorted(known), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(g) for g in near)}?" if near else \
        f"; the groups are: {', '.join(sorted(known)) or 'none yet'} (create one on /grupper or `netkit groups`)"
    return f"there is no working group '{group}'{hint}"


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid("password too short", [Problem.at("users", f"use at least {MIN_PASSWORD} characters",
                                                        field="password")])


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))
