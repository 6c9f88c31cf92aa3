"""A session goes on past the ID token's hour: the pages renew it with the refresh token."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect
from support import SINGLE_OF_USER, sign_in


def test_an_expired_id_token_is_renewed_without_signing_in_again(page):
    sign_in(page, SINGLE_OF_USER)
    stored = json.loads(page.evaluate("sessionStorage.getItem('ofeli.tokens')"))
    stored["expires_at"] = 1  # the hour is over (1 ms after 1970)
    page.evaluate("value => sessionStorage.setItem('ofeli.tokens', value)", json.dumps(stored))
    page.reload()
    expect(page.get_by_text("Atelier Normand des Métiers").first).to_be_visible()
    assert "/connexion" not in page.url
    renewed = json.loads(page.evaluate("sessionStorage.getItem('ofeli.tokens')"))
    assert renewed["expires_at"] > 1 and renewed["id_token"]  # renewed through POST /auth/refresh


def test_a_refused_refresh_leads_to_the_sign_in_page(page):
    sign_in(page, SINGLE_OF_USER)
    stored = json.loads(page.evaluate("sessionStorage.getItem('ofeli.tokens')"))
    stored["expires_at"] = 1
    stored["refresh_token"] = "revoked"
    page.evaluate("value => sessionStorage.setItem('ofeli.tokens', value)", json.dumps(stored))
    page.reload()
    expect(page).to_have_url(re.compile(r"/connexion$"))
    expect(page.get_by_text("Votre session a expiré")).to_be_visible()
