"""User commands: user add|list|remove|passwd (accounts live in the instance folder)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from toolkit.cli.base import Context, LazyChoice, core_errors, main, pass_context

if TYPE_CHECKING:  # the accounts (sqlite3, the sign-in throttle) are imported when used (see toolkit/cli/base.py)
    from toolkit.people.accounts import Accounts


def _roles() -> tuple[str, ...]:
    from toolkit.people.accounts import ROLES

    return ROLES


def _accounts(ctx: Context) -> Accounts:
    from toolkit.people.accounts import Accounts

    return Accounts(ctx.settings.home)


def _password_from_stdin(flag: bool) -> str | None:
    if not flag:
        return None
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        raise click.UsageError("--password-stdin given but standard input is empty")
    return line


@main.group("user")
def user_group() -> None:
    """Accounts and roles: user add|list|remove|passwd.

    Example: netkit user add ane --role member --group samtykke
    """


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=LazyChoice(_roles), required=True, help="member, facilitator or admin.")
@click.option("--group", "groups", multiple=True, metavar="GROUP", help="A working group (repeat for several).")
@click.option("--email", default="", help="The person's e-mail address (a project listing it may be edited by them).")
@click.option("--full-name", default="", help="The person's name as others see it (history, editions, feeds).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (else a random one).")
@pass_context
@core_errors
def user_add(ctx: Context, name: str, role: str, groups: tuple[str, ...], email: str, full_name: str,
             password_stdin: bool) -> None:
    """Create a user; prints the password when Netkit chose it. A --group must be an existing working group.

    Example: netkit user add bo --role facilitator --full-name "Bo Hansen" --email bo@rm.dk --group dataadgang
    """
    password = _accounts(ctx).add(name, role, groups=groups, email=email, full_name=full_name,
                                  known_groups=_known_groups(ctx) if groups else None,
                                  password=_password_from_stdin(password_stdin))
    click.echo(f"added {name} ({role})" + ("" if password_stdin else f"; password: {password}"))


@user_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
@core_errors
def user_list(ctx: Context, as_json: bool) -> None:
    """List users with their roles and working groups.

    Example: netkit user list --json
    """
    users = _accounts(ctx).users()
    if as_json:
        click.echo(json.dumps([u.to_dict() for u in users], ensure_ascii=False, indent=2))
        return
    for user in users:
        click.echo(f"{user.name:20} {user.full_name:28} {user.role:12} {user.email:30} {', '.join(user.groups)}"
                   .rstrip())


@user_group.command("remove")
@click.argument("name")
@pass_context
@core_errors
def user_remove(ctx: Context, name: str) -> None:
    """Remove a user (not the last admin).

    Example: netkit user remove bo
    """
    _accounts(ctx).remove(name)
    click.echo(f"removed {name}")


@user_group.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@pass_context
@core_errors
def user_passwd(ctx: Context, name: str, password_stdin: bool) -> None:
    """Set a new password (a random one unless given).

    Example: netkit user passwd ane
    """
    password = _accounts(ctx).set_password(name, _password_from_stdin(password_stdin))
    click.echo(f"new password for {name}" + ("" if password_stdin else f": {password}"))


def _known_groups(ctx: Context) -> set[str]:
    from toolkit.history.records import Records
    from toolkit.network.groups import GROUP, group_ids

    return group_ids(ctx.library, Records(ctx.library_root, GROUP))
