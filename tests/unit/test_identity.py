import pytest

from ofeli.domain.identity import Identity, parse_groups


@pytest.mark.parametrize(
    ("raw", "groups"),
    [
        (None, set()),
        ("", set()),
        ("moderators", {"moderators"}),
        ("moderators,admins", {"moderators", "admins"}),
        ("[moderators admins]", {"moderators", "admins"}),
        (["moderators"], {"moderators"}),
    ],
)
def test_groups_as_api_gateway_passes_them(raw, groups):
    assert parse_groups(raw) == groups


def test_roles():
    assert Identity("u", "a@b.fr", frozenset({"moderators"})).roles == ["moderator"]
    assert Identity("u", "a@b.fr").roles == ["of"]
