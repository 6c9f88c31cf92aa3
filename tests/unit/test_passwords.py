import pytest

from ofeli.domain.errors import RuleViolation
from ofeli.domain.passwords import check_password


@pytest.mark.parametrize("password", ["Organisme-2026!", "ABCDEFG#", "Été  de 2026 ?"])
def test_accepted(password):
    check_password(password)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab!", "Le mot de passe doit contenir au moins 8 caractères."),
        ("abcdefgh!", "Le mot de passe doit contenir une majuscule."),
        ("Abcdefghi", "Le mot de passe doit contenir un caractère spécial."),
        ("abc", "Le mot de passe doit contenir au moins 8 caractères, une majuscule, un caractère spécial."),
    ],
)
def test_rejected_with_what_is_missing(password, message):
    with pytest.raises(RuleViolation) as caught:
        check_password(password)
    assert caught.value.message == message
    assert caught.value.fields[0].field == "password"
