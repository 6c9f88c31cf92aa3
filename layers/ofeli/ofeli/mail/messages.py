"""The French messages OFeli sends. Every value that comes from a person is escaped in the HTML."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from ofeli.mail import Email
from ofeli.settings import settings

SIGNATURE = "L'équipe offre de formation du Carif-Oref"


def link(path: str, **query: str) -> str:
    base = settings().web_url.rstrip("/")
    return f"{base}{path}" + (f"?{urlencode(query)}" if query else "")


def _html(title: str, paragraphs: list[str], action: tuple[str, str] | None = None) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    if action:
        label, url = action
        body += (
            f'<p><a href="{escape(url)}" style="display:inline-block;padding:10px 18px;background:#0b5d66;'
            f'color:#ffffff;text-decoration:none;border-radius:4px">{escape(label)}</a></p>'
            f'<p style="font-size:13px;color:#444">Si le bouton ne fonctionne pas, copiez ce lien dans votre '
            f"navigateur : {escape(url)}</p>"
        )
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>"
        '<body style="font-family:Arial,sans-serif;color:#1b1b1b;line-height:1.5">'
        f'<h1 style="font-size:20px">{escape(title)}</h1>{body}<p>{escape(SIGNATURE)}</p></body></html>'
    )


def activation(to: str, first_name: str, key: str) -> Email:
    url = link("/activation", key=key)
    subject = "Demande de clé d'activation"
    text = (
        f"Bonjour {first_name},\n\n"
        "Votre demande de compte OFeli a été acceptée. Pour choisir votre mot de passe, ouvrez ce lien "
        f"(valable 7 jours, une seule fois) :\n\nActiver mon compte : {url}\n\n"
        "Votre identifiant est votre adresse e-mail.\n\n"
        f"{SIGNATURE}\n"
    )
    html = _html(
        subject,
        [
            f"Bonjour {escape(first_name)},",
            "Votre demande de compte OFeli a été acceptée. Pour choisir votre mot de passe, cliquez sur le "
            "lien ci-dessous (valable 7 jours, une seule fois).",
            f"Votre identifiant est votre adresse e-mail : {escape(to)}.",
        ],
        ("Activer mon compte", url),
    )
    return Email(to, subject, text, html)


def password_reset(to: str, first_name: str, key: str) -> Email:
    url = link("/activation", key=key)
    subject = "Réinitialisation de votre mot de passe OFeli"
    text = (
        f"Bonjour {first_name},\n\n"
        "Vous avez demandé à réinitialiser votre mot de passe OFeli. Pour en choisir un nouveau, ouvrez ce "
        f"lien (valable 7 jours, une seule fois) :\n\nChoisir un nouveau mot de passe : {url}\n\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe actuel "
        f"reste valable.\n\n{SIGNATURE}\n"
    )
    html = _html(
        subject,
        [
            f"Bonjour {escape(first_name)},",
            "Vous avez demandé à réinitialiser votre mot de passe OFeli. Pour en choisir un nouveau, cliquez "
            "sur le lien ci-dessous (valable 7 jours, une seule fois).",
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe actuel "
            "reste valable.",
        ],
        ("Choisir un nouveau mot de passe", url),
    )
    return Email(to, subject, text, html)


def account_rejected(to: str, first_name: str, reason: str) -> Email:
    subject = "Votre demande de compte OFeli"
    text = (
        f"Bonjour {first_name},\n\n"
        "Nous ne pouvons pas donner suite à votre demande de compte OFeli, pour la raison suivante :\n\n"
        f"{reason}\n\n"
        "Vous pouvez faire une nouvelle demande une fois ce point réglé, ou nous répondre pour en parler.\n\n"
        f"{SIGNATURE}\n"
    )
    html = _html(
        subject,
        [
            f"Bonjour {escape(first_name)},",
            "Nous ne pouvons pas donner suite à votre demande de compte OFeli, pour la raison suivante :",
            f"<em>{escape(reason)}</em>".replace("\n", "<br>"),
            "Vous pouvez faire une nouvelle demande une fois ce point réglé, ou nous répondre pour en parler.",
        ],
        ("Faire une nouvelle demande", link("/creer-un-compte")),
    )
    return Email(to, subject, text, html)


def submission_approved(to: str, label: str, title: str, page: str) -> Email:
    url = link(page)
    subject = f"OFeli : vos modifications de {label} sont publiées"
    text = (
        "Bonjour,\n\n"
        f"Le Carif-Oref a validé vos modifications de {label} « {title} ». Elles sont publiées.\n\n"
        f"Voir {label} : {url}\n\n{SIGNATURE}\n"
    )
    html = _html(
        subject,
        [
            "Bonjour,",
            f"Le Carif-Oref a validé vos modifications de {escape(label)} « {escape(title)} ». Elles sont publiées.",
        ],
        (f"Voir {label}", url),
    )
    return Email(to, subject, text, html)


def submission_rejected(to: str, label: str, title: str, comment: str, page: str) -> Email:
    url = link(page)
    subject = f"OFeli : vos modifications de {label} sont à reprendre"
    text = (
        "Bonjour,\n\n"
        f"Le Carif-Oref n'a pas validé vos modifications de {label} « {title} », pour la raison suivante :\n\n"
        f"{comment}\n\n"
        "Vos modifications vous attendent en brouillon : corrigez-les puis soumettez-les de nouveau.\n\n"
        f"Reprendre {label} : {url}\n\n{SIGNATURE}\n"
    )
    html = _html(
        subject,
        [
            "Bonjour,",
            f"Le Carif-Oref n'a pas validé vos modifications de {escape(label)} « {escape(title)} », pour la "
            "raison suivante :",
            f"<em>{escape(comment)}</em>".replace("\n", "<br>"),
            "Vos modifications vous attendent en brouillon : corrigez-les puis soumettez-les de nouveau.",
        ],
        (f"Reprendre {label}", url),
    )
    return Email(to, subject, text, html)


def new_message(to: str, structure_name: str, page: str) -> Email:
    url = link(page)
    subject = "OFeli : nouveau message du Carif-Oref"
    text = (
        "Bonjour,\n\n"
        f"Le Carif-Oref vous a écrit au sujet de « {structure_name} ». Lisez et répondez dans OFeli :\n\n"
        f"{url}\n\n{SIGNATURE}\n"
    )
    html = _html(
        subject,
        ["Bonjour,", f"Le Carif-Oref vous a écrit au sujet de « {escape(structure_name)} »."],
        ("Lire le message", url),
    )
    return Email(to, subject, text, html)


def account_exists(to: str, *, pending: bool) -> Email:
    """Someone asked for an account with an address that already has one (or a pending request): its
    owner hears of it, the person who asked learns nothing more than for a new address."""
    subject = "OFeli : une demande de compte avec votre adresse e-mail"
    intro = (
        f"Une demande de création de compte OFeli vient d'être faite avec votre adresse e-mail ({to}). "
        "1 compte = 1 adresse mail : aucun autre compte n'a été créé, aucune autre demande enregistrée."
    )
    ignore = "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien n'a changé pour vous."
    if pending:
        state = (
            "Une demande de compte est déjà en cours pour cette adresse : le Carif-Oref la traite et vous "
            "enverra une clé d'activation par e-mail (pensez à vérifier vos courriers indésirables)."
        )
        text = f"Bonjour,\n\n{intro}\n\n{state}\n\n{ignore}\n\n{SIGNATURE}\n"
        return Email(to, subject, text, _html(subject, ["Bonjour,", escape(intro), escape(state), escape(ignore)]))
    sign_in, reset = link("/connexion"), link("/mot-de-passe-oublie")
    state = "Un compte OFeli existe déjà pour cette adresse : votre identifiant est votre adresse e-mail."
    text = (
        f"Bonjour,\n\n{intro}\n\n{state}\n\nSe connecter : {sign_in}\n\n"
        f"Mot de passe oublié ? Réinitialiser mon mot de passe : {reset}\n\n{ignore}\n\n{SIGNATURE}\n"
    )
    html = _html(
        subject,
        [
            "Bonjour,",
            escape(intro),
            escape(state),
            f'Mot de passe oublié ? <a href="{escape(reset)}">Réinitialiser mon mot de passe</a> ({escape(reset)})',
            escape(ignore),
        ],
        ("Se connecter", sign_in),
    )
    return Email(to, subject, text, html)


def moderation_digest(to: str, counts: dict[str, int]) -> Email:
    """The moderation address's digest: what waits, in one e-mail, whatever the number of events."""
    lines = [
        (
            counts.get("account_requests", 0),
            "demande(s) de compte ou d'accès à une structure",
            "/moderation/demandes-de-compte",
        ),
        (counts.get("submissions", 0), "modification(s) soumise(s) à valider", "/moderation/file"),
        (counts.get("unread_messages", 0), "message(s) d'organismes non lu(s)", "/messagerie"),
        (counts.get("contact_requests", 0), "demande(s) de contact à traiter", "/moderation/demandes-de-contact"),
    ]
    waiting = [(n, label, link(page)) for n, label, page in lines if n]
    subject = "OFeli : des demandes attendent le Carif-Oref"
    once = "Ce message récapitule tout ce qui attend ; il n'est envoyé que lorsqu'une nouvelle demande arrive."
    text = (
        "Bonjour,\n\nDe nouvelles demandes attendent dans OFeli :\n\n"
        + "".join(f"- {n} {label} : {url}\n" for n, label, url in waiting)
        + f"\n{once}\n\n{SIGNATURE}\n"
    )
    html = _html(
        subject,
        [
            "Bonjour,",
            "De nouvelles demandes attendent dans OFeli :",
            "<br>".join(f'{n} <a href="{escape(url)}">{escape(label)}</a>' for n, label, url in waiting),
            escape(once),
        ],
        ("Ouvrir OFeli", link("/")),
    )
    return Email(to, subject, text, html)


def rights_granted(to: str, first_name: str, structure_name: str) -> Email:
    """*Demander l'accès à une autre structure*: accepted."""
    url = link("/")
    subject = "OFeli : votre demande d'accès est acceptée"
    text = (
        f"Bonjour {first_name},\n\n"
        f"Le Carif-Oref a accepté votre demande d'accès à « {structure_name} ». Connectez-vous puis choisissez "
        "cette structure dans la liste « Espace structure », sous votre nom.\n\n"
        f"Ouvrir OFeli : {url}\n\n{SIGNATURE}\n"
    )
    html = _html(
        subject,
        [
            f"Bonjour {escape(first_name)},",
            f"Le Carif-Oref a accepté votre demande d'accès à « {escape(structure_name)} ». Connectez-vous puis "
            "choisissez cette structure dans la liste « Espace structure », sous votre nom.",
        ],
        ("Ouvrir OFeli", url),
    )
    return Email(to, subject, text, html)


def rights_rejected(to: str, first_name: str, siret: str, reason: str) -> Email:
    """*Demander l'accès à une autre structure*: refused, with the moderator's reason."""
    url = link("/mon-compte")
    subject = "OFeli : votre demande d'accès à une structure"
    text = (
        f"Bonjour {first_name},\n\n"
        f"Nous ne pouvons pas donner suite à votre demande d'accès à la structure de SIRET {siret}, pour la "
        f"raison suivante :\n\n{reason}\n\n"
        "Vous pouvez faire une nouvelle demande depuis Mon compte une fois ce point réglé, ou nous écrire "
        f"depuis la messagerie.\n\nMon compte : {url}\n\n{SIGNATURE}\n"
    )
    html = _html(
        subject,
        [
            f"Bonjour {escape(first_name)},",
            f"Nous ne pouvons pas donner suite à votre demande d'accès à la structure de SIRET {escape(siret)}, "
            "pour la raison suivante :",
            f"<em>{escape(reason)}</em>".replace("\n", "<br>"),
            "Vous pouvez faire une nouvelle demande depuis Mon compte une fois ce point réglé, ou nous écrire "
            "depuis la messagerie.",
        ],
        ("Mon compte", url),
    )
    return Email(to, subject, text, html)
