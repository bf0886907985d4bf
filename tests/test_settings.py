"""The settings added for running at a region (issue 20) are checked where they are read: a wrong value names its
variable and what to give instead; nothing half-valid gets through."""

import pytest

from toolkit.config import Settings
from toolkit.errors import Invalid


def problems_of(environ: dict[str, str]) -> str:
    with pytest.raises(Invalid) as caught:
        Settings.from_env(environ)
    return "\n".join(str(problem) for problem in caught.value.problems)


def test_the_defaults_keep_a_plain_install_as_it_was():
    settings = Settings.from_env({})
    assert settings.proxy_hops == 0 and settings.local_login is True and settings.activity_days == 180
    assert settings.oidc_issuer == "" and settings.oidc_groups_claim == "groups"
    assert settings.oidc_provider_name == "Region Midtjylland"
    assert "secret" not in repr(Settings.from_env({"NETKIT_OIDC_CLIENT_SECRET": "secret"}))


def test_region_settings_are_read_from_the_environment():
    settings = Settings.from_env({
        "NETKIT_PROXY_HOPS": "1", "NETKIT_LOCAL_LOGIN": "off", "NETKIT_ACTIVITY_DAYS": "30",
        "NETKIT_OIDC_ISSUER": "https://login.microsoftonline.com/abc/v2.0/",
        "NETKIT_OIDC_GROUPS_CLAIM": "roles", "NETKIT_ACCESSIBILITY_STATEMENT_URL": "https://was.digst.dk/netkit-rm-dk",
    })
    assert settings.proxy_hops == 1 and settings.local_login is False and settings.activity_days == 30
    assert settings.oidc_issuer == "https://login.microsoftonline.com/abc/v2.0"  # issuers compare without the slash
    assert settings.oidc_groups_claim == "roles"
    assert settings.accessibility_statement_url == "https://was.digst.dk/netkit-rm-dk"


def test_a_provider_over_plain_http_is_allowed_only_on_this_machine():
    assert Settings.from_env({"NETKIT_OIDC_ISSUER": "http://127.0.0.1:3000"}).oidc_issuer == "http://127.0.0.1:3000"
    assert "NETKIT_OIDC_ISSUER" in problems_of({"NETKIT_OIDC_ISSUER": "http://login.rm.dk"})


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("NETKIT_PROXY_HOPS", "-1", "not a whole number of 0 or more"),
    ("NETKIT_PROXY_HOPS", "two", "not a whole number of 0 or more"),
    ("NETKIT_ACTIVITY_DAYS", "1.5", "not a whole number of 0 or more"),
    ("NETKIT_LOCAL_LOGIN", "maybe", "not a yes/no value"),
    ("NETKIT_ACCESSIBILITY_STATEMENT_URL", "javascript:alert(1)", "not an http(s) address"),
    ("NETKIT_PRIVACY_URL", "https://user:pw@rm.dk/privatliv", "not an http(s) address"),
    ("NETKIT_OIDC_GROUPS_CLAIM", "groups\nrole", "not a claim name"),
    ("NETKIT_OIDC_PROVIDER_NAME", "Region\nMidt", "one line"),
])
def test_a_wrong_value_names_the_variable_and_what_to_give(variable, value, expected):
    message = problems_of({variable: value})
    assert variable in message and expected in message
