"""The example systemd unit (docs/deploy/netkit.service) read as Netkit reads its environment: every NETKIT_*
variable in it is a setting Netkit knows with a value it accepts, it runs behind one proxy with secure cookies, and
the hardening leaves it writing only its instance."""

from __future__ import annotations

import configparser
from pathlib import Path

from toolkit.config import SETTINGS, Settings

UNIT = Path(__file__).parents[2] / "docs" / "deploy" / "netkit.service"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # systemd's keys are case-sensitive

    # Environment= appears many times: keep them all (configparser would keep the last).
    lines, count = [], 0
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if line.startswith("Environment="):
            count += 1
            line = f"Environment{count}={line.split('=', 1)[1]}"
        lines.append(line)
    parser.read_string("\n".join(lines))
    return parser


def environment() -> dict[str, str]:
    service = unit()["Service"]
    return dict(value.split("=", 1) for key, value in service.items() if key.startswith("Environment")
                and not key.startswith("EnvironmentFile"))


def test_every_variable_is_a_setting_netkit_accepts():
    env = environment()
    known = {spec.env for spec in SETTINGS}
    assert set(env) <= known, set(env) - known
    settings = Settings.from_env(env)  # raises Invalid on a value Netkit refuses
    assert settings.proxy_hops == 1 and settings.secure_cookies is True
    assert settings.host == "127.0.0.1" and settings.port == 5000  # where the nginx site proxies to
    assert settings.base_url.startswith("https://")


def test_it_writes_only_its_instance():
    service = unit()["Service"]
    home = Path(environment()["NETKIT_HOME"])
    assert service["ProtectSystem"] == "strict" and service["NoNewPrivileges"] == "true"
    writable = [Path(p) for p in service["ReadWritePaths"].split()]
    assert any(home == p or p in home.parents for p in writable)
    assert service["User"] == "netkit" and service["ExecStart"].endswith("netkit serve")


def test_the_nginx_site_proxies_to_the_units_address():
    site = (UNIT.parent / "nginx-netkit.conf").read_text(encoding="utf-8")
    env = environment()
    assert f"proxy_pass http://{env['NETKIT_HOST']}:{env['NETKIT_PORT']}" in site
