"""The website-link checker's pure rules (`ofeli.domain.links`); its network half is tested in
tests/integration/test_link_probe.py."""

import pytest

from ofeli.domain.links import (
    NO_SCHEME,
    NOT_HTTP,
    UncheckableUrl,
    address_allowed,
    answered,
    host_key,
    normalised,
    retry_with_get,
    timeout_reason,
    too_many_redirects,
    verdict,
)


@pytest.mark.parametrize(
    ("status", "ok", "reason"),
    [
        (200, True, "Lien valide."),
        (204, True, "Lien valide."),
        (404, False, "La page n'existe pas (erreur 404)."),
        (410, False, "La page a été supprimée du site (erreur 410)."),
        (400, False, "Le site a refusé la demande (erreur 400)."),
        (405, False, "Le site a refusé la demande (erreur 405)."),
        (500, False, "Le site a renvoyé une erreur (500)."),
        (503, False, "Le site a renvoyé une erreur (503)."),
        # the public cannot read a page that asks for an identification
        (
            401,
            False,
            "La page est réservée aux personnes identifiées (erreur 401) : le public ne peut pas la voir.",
        ),
        # anti-robot answers: the page exists for people, so the link is not counted as broken, but noted
        (
            403,
            True,
            "Le site refuse les vérifications automatiques (erreur 403) : la page n'a pas pu être vérifiée.",
        ),
        (
            429,
            True,
            "Le site refuse les vérifications automatiques (erreur 429) : la page n'a pas pu être vérifiée.",
        ),
        # a redirect that could not be followed
        (302, False, "Le site renvoie vers une autre adresse sans dire laquelle (code 302)."),
        (304, False, "Le site renvoie vers une autre adresse sans dire laquelle (code 304)."),
        (999, False, "Réponse inattendue du site (code 999)."),
        (101, False, "Réponse inattendue du site (code 101)."),
    ],
)
def test_verdict(status, ok, reason):
    assert verdict(status) == (ok, reason)


def test_answered_carries_status_and_final_address():
    result = answered("http://exemple.fr", 404, "https://www.exemple.fr/")
    assert (result.url, result.ok, result.status, result.final_url) == (
        "http://exemple.fr",
        False,
        404,
        "https://www.exemple.fr/",
    )
    assert result.reason == "La page n'existe pas (erreur 404)."


@pytest.mark.parametrize(("status", "again"), [(405, True), (501, True), (400, True), (403, True), (404, True)])
def test_head_refusals_are_asked_again_with_get(status, again):
    assert retry_with_get(status) is again


@pytest.mark.parametrize("status", [200, 204, 301, 302, 429])
def test_head_answers_kept(status):
    assert retry_with_get(status) is False


def test_reasons_with_figures():
    assert timeout_reason(10.0) == "Le site ne répond pas dans le délai (10 s)."
    assert timeout_reason(0.3) == "Le site ne répond pas dans le délai (0,3 s)."
    assert too_many_redirects(5) == "Trop de redirections (plus de 5)."


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.exemple.fr/formation", "https://www.exemple.fr/formation"),
        ("  http://exemple.fr  ", "http://exemple.fr/"),
        ("HTTPS://WWW.Exemple.FR/Page?Ref=A", "https://www.exemple.fr/Page?Ref=A"),  # the path keeps its case
        ("http://exemple.fr:80/a", "http://exemple.fr/a"),
        ("https://exemple.fr:443/a", "https://exemple.fr/a"),
        ("http://exemple.fr:8080/a", "http://exemple.fr:8080/a"),
        ("https://exemple.fr./a", "https://exemple.fr/a"),
        ("https://exemple.fr/a#section", "https://exemple.fr/a"),
        (
            "https://exemple.fr/ma formation/é?q=pâte brisée",
            "https://exemple.fr/ma%20formation/%C3%A9?q=p%C3%A2te%20bris%C3%A9e",
        ),
        ("https://exemple.fr/d%C3%A9j%C3%A0", "https://exemple.fr/d%C3%A9j%C3%A0"),  # escapes kept
        ("https://pâtisserie.fr/", "https://xn--ptisserie-b2a.fr/"),
        ("http://127.0.0.1:8000/x", "http://127.0.0.1:8000/x"),
        ("http://[::1]:8000/x", "http://[::1]:8000/x"),
    ],
)
def test_normalised(url, expected):
    assert normalised(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "Adresse vide."),
        ("   ", "Adresse vide."),
        ("ftp://exemple.fr/catalogue.pdf", NOT_HTTP),
        ("mailto:contact@exemple.fr", NOT_HTTP),
        ("javascript:alert(1)", NOT_HTTP),
        ("file:///etc/passwd", NOT_HTTP),
        ("www.exemple.fr", NO_SCHEME),
        ("exemple.fr/formation", NO_SCHEME),
        ("exemple.fr:8080/formation", NO_SCHEME),
        ("//exemple.fr/formation", NO_SCHEME),
        ("http:///formation", "Adresse incomplète : le nom du site manque."),
        ("https://", "Adresse incomplète : le nom du site manque."),
        ("http://exemple.fr:http/", "Adresse invalide : le numéro de port est incorrect."),
        ("http://exemple.fr:70000/", "Adresse invalide : le numéro de port est incorrect."),
        ("http://exemple.fr:0/", "Adresse invalide : le numéro de port est incorrect."),
        ("http://[::1/", "Adresse invalide."),
        ("http://mon site.fr/", "Nom de domaine invalide."),
        ("http://exemple..fr/", "Nom de domaine invalide."),
        ("http://-exemple.fr/", "Nom de domaine invalide."),
        ("https://moi:secret@exemple.fr/", "Adresse non vérifiable : elle contient un identifiant ou un mot de passe."),
        ("https://exemple.fr/" + "a" * 2100, "Adresse trop longue (plus de 2048 caractères)."),
    ],
)
def test_uncheckable(url, reason):
    with pytest.raises(UncheckableUrl) as raised:
        normalised(url)
    assert raised.value.reason == reason


def test_one_site_is_host_and_port_case_ignored():
    assert (
        host_key(normalised("http://Exemple.FR/a")) == host_key(normalised("http://exemple.fr:80/b")) == "exemple.fr:80"
    )
    assert host_key(normalised("https://exemple.fr/")) == "exemple.fr:443"
    assert host_key(normalised("http://exemple.fr:8080/")) == "exemple.fr:8080"
    assert host_key(normalised("http://[::1]/")) == "[::1]:80"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.1.2.3",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # the instance metadata service
        "100.64.0.1",  # shared address space (CGNAT)
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "fec0::1",
        "ff02::1",
        "::ffff:127.0.0.1",  # mapped IPv4
        "::ffff:10.0.0.1",
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2001:db8::1",  # documentation
        "pas une adresse",
    ],
)
def test_private_addresses_are_refused(address):
    assert address_allowed(address) is False


@pytest.mark.parametrize("address", ["8.8.8.8", "193.51.24.1", "2a00:1450:4007:80a::200e", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert address_allowed(address) is True
