import pytest

from ofeli.domain.identifiers import nda_error, siret_error


@pytest.mark.parametrize("siret", ["81432712100012", "814 327 121 00012", "35600000000048", "35600000012346"])
def test_valid_sirets(siret):
    assert siret_error(siret) is None


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("", "Le SIRET est obligatoire."),
        ("8143271210001", "Le SIRET doit comporter exactement 14 chiffres."),
        ("8143271210001A", "Le SIRET doit comporter exactement 14 chiffres."),
        ("81432712100013", "Ce SIRET n'est pas valide : sa clé de contrôle est fausse."),
        # La Poste: its own key (sum of the digits a multiple of 5), not Luhn.
        ("35600000012345", "Ce SIRET n'est pas valide : sa clé de contrôle est fausse."),
    ],
)
def test_invalid_sirets(siret, message):
    assert siret_error(siret).startswith(message)


@pytest.mark.parametrize(
    ("nda", "error"),
    [
        ("28140000014", None),
        ("28 14 00000 14", None),
        ("", "Le numéro de déclaration d'activité est obligatoire."),
        ("2814000001", "Le numéro de déclaration d'activité doit comporter exactement 11 chiffres."),
        ("2814000001X", "Le numéro de déclaration d'activité doit comporter exactement 11 chiffres."),
    ],
)
def test_nda(nda, error):
    assert nda_error(nda) == error
