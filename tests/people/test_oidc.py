"""The OpenID Connect core against a real provider (oidc-provider under node, tests/helpers/oidcprovider/): the ID
token checks with the provider's real discovery document and JWKS, the group mapping file, and the accounts a
provider sign-in makes and keeps up to date."""

from __future__ import annotations

import time
import urllib.parse

import pytest
from joserfc.jwk import RSAKey

from tests.helpers.oidc import ProviderBrowser, fetch_token_for, provider_fixture, signed_token
from toolkit.errors import Invalid
from toolkit.people.accounts import Accounts
from toolkit.people.oidc import KEYS_REFETCH_SECONDS, OidcClient, Pending, ProviderUnavailable, TokenRefused
from toolkit.people.oidcgroups import GroupMapping, resolve

provider = provider_fixture()
KNOWN = {"dataadgang", "samtykke", "styregruppe"}


@pytest.fixture
def client(provider) -> OidcClient:
    return OidcClient(provider.issuer, "netkit", provider.netkit_secret)


def claims(provider, **changes) -> dict:
    now = int(time.time())
    return {"iss": provider.issuer, "aud": "netkit", "sub": "alice", "iat": now, "exp": now + 300,
            "nonce": "the-nonce", **changes}


# -- the whole flow ------------------------------------------------------------------------------------------------

def test_a_real_sign_in_gives_the_providers_claims(provider, client):
    url, pending = client.start("http://127.0.0.1:9/log-ind/oidc/retur")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] == [pending.nonce]
    assert query["state"] == [pending.state] and "code_verifier" not in query
    back = ProviderBrowser(provider).sign_in(url, "alice")
    answer = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))
    signed = client.finish(pending, answer)
    assert signed.claims["sub"] == "alice" and signed.claims["groups"] == ["gid-data"]
    assert signed.claims["name"] == "Alice Ærø" and signed.claims["aud"] == "netkit"


def test_a_forged_state_is_refused_before_the_code_is_used(provider, client):
    url, pending = client.start("http://127.0.0.1:9/cb")
    back = ProviderBrowser(provider).sign_in(url, "alice")
    answer = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))
    with pytest.raises(TokenRefused, match="state"):
        client.finish(pending, {**answer, "state": "forged"})
    # the code was not spent on the forged answer: the real one still works, once
    assert client.finish(pending, answer).claims["sub"] == "alice"
    with pytest.raises(TokenRefused, match="refused the code"):
        client.finish(pending, answer)


def test_a_code_with_another_verifier_is_refused_by_the_provider(provider, client):
    url, pending = client.start("http://127.0.0.1:9/cb")
    back = ProviderBrowser(provider).sign_in(url, "alice")
    answer = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))
    stolen = Pending(pending.state, pending.nonce, "another-verifier-" + "x" * 40, pending.redirect_uri)
    with pytest.raises(TokenRefused, match="refused the code"):  # PKCE: a stolen code alone is worth nothing
        client.finish(stolen, answer)


# -- the ID token's checks -----------------------------------------------------------------------------------------

def test_a_token_signed_by_the_provider_passes(provider, client):
    assert client.validate(signed_token(provider.key, claims(provider)), "the-nonce")["sub"] == "alice"


def test_a_wrong_nonce_is_refused(provider, client):
    with pytest.raises(TokenRefused, match="nonce"):
        client.validate(signed_token(provider.key, claims(provider)), "another-sign-ins-nonce")


def test_a_token_for_another_application_is_refused(provider, client):
    tokens = fetch_token_for(provider, "other-app", provider.other_secret, "http://127.0.0.1:9/cb", "alice")
    with pytest.raises(TokenRefused, match="another application"):
        client.validate(tokens["id_token"], tokens["nonce"])
    other = OidcClient(provider.issuer, "other-app", provider.other_secret)
    assert other.validate(tokens["id_token"], tokens["nonce"])["aud"] == "other-app"  # real, only not ours


def test_several_audiences_need_azp_naming_netkit(provider, client):
    token = signed_token(provider.key, claims(provider, aud=["other-app", "netkit"], azp="other-app"))
    with pytest.raises(TokenRefused, match="azp"):
        client.validate(token, "the-nonce")
    token = signed_token(provider.key, claims(provider, aud=["other-app", "netkit"], azp="netkit"))
    assert client.validate(token, "the-nonce")["azp"] == "netkit"


def test_an_expired_token_is_refused_and_a_little_clock_difference_is_not(provider, client):
    now = int(time.time())
    with pytest.raises(TokenRefused, match="expired"):
        client.validate(signed_token(provider.key, claims(provider, iat=now - 900, exp=now - 600)), "the-nonce")
    just = signed_token(provider.key, claims(provider, iat=now - 330, exp=now - 30))
    assert client.validate(just, "the-nonce")["sub"] == "alice"  # within LEEWAY
    with pytest.raises(TokenRefused, match="future"):
        client.validate(signed_token(provider.key, claims(provider, iat=now + 600, exp=now + 900)), "the-nonce")


def test_a_token_signed_by_a_key_not_in_the_providers_jwks_is_refused(provider, client):
    forger = RSAKey.generate_key(2048, private=True).as_dict(private=True)
    with pytest.raises(TokenRefused, match="signature"):  # the provider's key id, another key
        client.validate(signed_token(forger, claims(provider), kid=provider.key["kid"]), "the-nonce")
    with pytest.raises(TokenRefused, match="signature"):  # an unknown key id: the JWKS is fetched again, then no
        client.validate(signed_token(forger, claims(provider), kid="rotated-in"), "the-nonce")


def test_keys_rotated_by_the_provider_are_fetched_again_once(tmp_path):
    from tests.helpers.oidc import node_or_skip, running_provider

    node = node_or_skip()
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    later = [0.0]  # seconds this server's clock is moved on: keys are fetched again at most every 30 s
    with running_provider(tmp_path / "first", node) as first:
        client = OidcClient(first.issuer, "netkit", first.netkit_secret, clock=lambda: time.time() + later[0])
        assert client.validate(signed_token(first.key, claims(first)), "the-nonce")["sub"] == "alice"
    port = int(first.issuer.rsplit(":", 1)[1])
    later[0] = KEYS_REFETCH_SECONDS + 1
    with running_provider(tmp_path / "second", node, port=port) as second:  # the same issuer, a new key
        assert second.key["kid"] != first.key["kid"]
        assert client.validate(signed_token(second.key, claims(second)), "the-nonce")["sub"] == "alice"
        with pytest.raises(TokenRefused, match="signature"):  # the old key is gone from the JWKS now
            client.validate(signed_token(first.key, claims(first)), "the-nonce")


def test_unsigned_and_symmetric_tokens_are_refused(provider, client):
    import base64
    import json

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    unsigned = f"{part({'alg': 'none'})}.{part(claims(provider))}."
    with pytest.raises(TokenRefused, match="'none'"):
        client.validate(unsigned, "the-nonce")
    secret_signed = signed_token({"kty": "oct", "k": part({"s": provider.netkit_secret}), "kid": "k"},
                                 claims(provider), algorithm="HS256")
    with pytest.raises(TokenRefused, match="HS256"):  # the client secret is not a signing key
        client.validate(secret_signed, "the-nonce")


def test_another_issuer_is_refused(provider, client):
    with pytest.raises(TokenRefused, match="issuer"):
        client.validate(signed_token(provider.key, claims(provider, iss="https://evil.example")), "the-nonce")


def test_an_unreachable_provider_is_a_clear_error():
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    client = OidcClient(f"http://127.0.0.1:{port}", "netkit", "secret", timeout=2)
    with pytest.raises(ProviderUnavailable, match=f"cannot be reached at http://127.0.0.1:{port}/.well-known"):
        client.start("http://127.0.0.1:9/cb")


def test_sign_out_goes_to_the_providers_end_session_endpoint(provider, client):
    url = client.logout_url("the.id.token", "http://127.0.0.1:9/")
    parts = urllib.parse.urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == provider.issuer + "/session/end"
    assert urllib.parse.parse_qs(parts.query) == {"id_token_hint": ["the.id.token"], "client_id": ["netkit"],
                                                  "post_logout_redirect_uri": ["http://127.0.0.1:9/"]}


# -- the mapping file ----------------------------------------------------------------------------------------------

def test_the_mapping_gives_the_highest_role_and_the_union_of_groups(tmp_path):
    (tmp_path / "oidc-groups.yaml").write_text('groups:\n  "a": {role: member, groups: [dataadgang]}\n'
                                               '  "b": {role: facilitator, groups: [samtykke]}\n'
                                               '  "c": {role: member}\n')
    mapping = GroupMapping(tmp_path)
    access = mapping.access(["c", "b", "a", "unknown"], KNOWN)
    assert (access.role, access.groups) == ("facilitator", ("dataadgang", "samtykke"))
    assert mapping.access("c", KNOWN).role == "member"  # a single string claim
    assert mapping.access(["unknown"], KNOWN) is None and mapping.access(None, KNOWN) is None
    assert resolve({}, ["a"]) is None


def test_a_mapping_with_an_unknown_group_or_role_is_a_clear_error(tmp_path):
    (tmp_path / "oidc-groups.yaml").write_text('groups:\n  "a": {role: member, groups: [dataadgan]}\n'
                                               '  "b": {role: boss}\n')
    with pytest.raises(Invalid) as refused:
        GroupMapping(tmp_path).access(["a"], KNOWN)
    problems = [str(p) for p in refused.value.problems]
    assert problems[0] == ("oidc-groups.yaml:2: a: there is no working group 'dataadgan'; did you mean "
                           "'dataadgang'?")
    assert problems[1].startswith("oidc-groups.yaml:3: b: 'boss' is not a role; roles: member, facilitator, admin")


def test_a_mapping_with_aliases_is_refused(tmp_path):
    (tmp_path / "oidc-groups.yaml").write_text('groups:\n  "a": &x {role: admin}\n  "b": *x\n')
    with pytest.raises(Invalid, match=r"oidc-groups\.yaml is not valid YAML") as refused:
        GroupMapping(tmp_path).access(["b"], KNOWN)
    assert "aliases" in str(refused.value)


def test_the_mapping_is_read_again_when_it_changes(tmp_path):
    path = tmp_path / "oidc-groups.yaml"
    path.write_text('groups:\n  "a": {role: facilitator}\n')
    mapping = GroupMapping(tmp_path)
    assert mapping.access(["a"], KNOWN).role == "facilitator"
    path.write_text('groups:\n  "a": {role: member, groups: [samtykke]}\n')
    assert mapping.access(["a"], KNOWN) == resolve({"a": mapping.rules(KNOWN)["a"]}, ["a"])
    assert mapping.access(["a"], KNOWN).role == "member"
    path.unlink()
    assert mapping.access(["a"], KNOWN) is None


# -- the accounts ----------------------------------------------------------------------------------------------------

def test_the_first_sign_in_makes_an_account_linked_to_the_subject(tmp_path):
    accounts = Accounts(tmp_path)
    accounts.add("alice", "admin", password="a-local-password-1")  # a local account of the same name stays apart
    user = accounts.sign_in_external("https://idp alice-sub", preferred="Alice@Region.dk", email="Alice@Region.dk",
                                     full_name="Alice  Ærø", role="member", groups=("dataadgang",))
    assert (user.name, user.email, user.full_name, user.role) == ("alice2", "alice@region.dk", "Alice Ærø", "member")
    assert accounts.authenticate("alice2", "") is None  # no password: no local sign-in
    again = accounts.sign_in_external("https://idp alice-sub", preferred="alice.new@region.dk",
                                      email="alice.new@region.dk", full_name="Alice Nyt-Navn", role="facilitator",
                                      groups=())
    assert (again.name, again.email, again.full_name, again.role, again.groups) == \
        ("alice2", "alice.new@region.dk", "Alice Nyt-Navn", "facilitator", ())
    assert [u.name for u in accounts.users()] == ["alice", "alice2"]
    assert accounts.get("alice").role == "admin" and accounts.by_subject("https://idp alice-sub").name == "alice2"


@pytest.mark.parametrize(("preferred", "name"), [("Søren Ærø", "soeren-aeroe"), ("1234", "u1234"), ("@x", "bruger"),
                                                 ("x" * 80, "x" * 36), ("ole.o'hara@x.dk", "ole.o-hara")])
def test_user_names_from_the_token_are_made_valid(tmp_path, preferred, name):
    user = Accounts(tmp_path).sign_in_external("s", preferred=preferred, email="not an address", full_name="\x00N",
                                               role="member", groups=())
    assert (user.name, user.email, user.full_name) == (name, "", "N")
