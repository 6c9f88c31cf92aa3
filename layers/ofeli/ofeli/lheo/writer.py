"""The LHEO 2.3 writer: offers (`ofeli.domain.exports.Offer`) → one `lheo` file, streamed.

`write(offers, out, generated_at=...)` writes `<lheo xmlns="http://lheo.gouv.fr/2.3"><offres>`, then one
`formation` per offer: each formation is made as markup in memory, checked, written and dropped, so memory
stays flat whatever the number of offers. A formation that would break the schema, or France Travail's
address rules, is not written: it comes back in `Report.rejected` with the reason in French. Every file
written validates against the XSD: each leaf value that could break its element's facets is checked (or
made so that it cannot) as it is written, and each formation of a shape not yet proven is validated whole by
the XSD with lxml (`ofeli.lheo.schema` says why that is sound, and why the XSD is not run on every formation:
too slow).
As LHEO wants at least one formation, an export where none can be written raises `NothingToWrite` (with
its report) and writes nothing.

What each element comes from (OFeli's session carries LHEO's `action` and `session`: one `action` with one
`session` per OFeli session):

| LHEO | Offer |
|---|---|
| formation@numero, @datemaj | ref (F number), updated_at |
| domaine-formation | formacodes, nsf (3 characters), romes |
| intitule-formation, objectif-, contenu-formation | formation.title, objective, content ("Non renseigné" when empty) |
| resultats-attendus | formation.expected_results; else, certifying, the certifications it leads to |
| certifiante, certification (code-RNCP, code-CERTIFINFO, code-RS) | formation.certifying, certifications |
| contact-formation | formation.contact_id (contacts); else the responsible's principal contact or its e-mail/phone |
| parcours-de-formation | the sessions' path_type (one: it; several: mixte; none: en groupe) |
| code-niveau-entree, code-niveau-sortie | formation.entry_level, exit_level |
| url-formation/urlweb | formation.website |
| action@numero | session.ref |
| action/rythme-formation | session.rhythms and rhythm_comment |
| action/code-public-vise | the Formacode of the funding lines' publics (financing referential), else `UNKNOWN_PUBLIC` |
| action/info-public-vise, detail-conditions-prise-en-charge | session.audience_info, funding_conditions |
| action/niveau-entree-obligatoire | 0 (OFeli's entry level is never a hard requirement) |
| action/modalites-alternance | hours in company, the cycles' rhythms |
| action/modalites-enseignement, conditions-specifiques | session.teaching_mode, prerequisites ("Aucune") |
| action/prise-en-charge-frais-possible | a funding line by someone other than the trainee |
| action/lieu-de-formation | session.places (a place_id resolved through places) |
| action/modalites-entrees-sorties | `lheo_entry_mode` (on demand is written as fixed dates) |
| action/url-action | session.website |
| action/duree-cycle | formation.cycle_years (apprenticeship) |
| action/equipement | session.equipment |
| action/nombre-heures-centre, -entreprise, -total | session hours |
| action/conventionnement | the funding lines' *état du dispositif* (conventionné → 1) |
| action/organisme-formateur | session.trainer_siret (else the responsible), its name from trainers |
| action/organisme-financeur | funding: code-financeur, nb-places-financees; measure and market number in extras |
| session@numero, session/periode | session.ref, start_date, end_date |
| session/adresse-inscription | session.registration |
| session/etat-recrutement | the funding lines' recruitment_state (open if one is) |
| session/recrutement@numero | recruitment: code, remote (`remote_address()`), address, seats, one per ISC period, |
|  | date and hours of an RDVI/ICO, comment cut by `exported_comment` |
| session/contact-session | session.contacts (contacts) |
| session/blocs-competences | session.blocks, blocks' titles from certifications |
| session/cycle | session.cycles |
| organisme-formation-responsable | responsible: NDA, SIRET, name, address, e-mail, phone, site, principal contact |

Texts are escaped (`&`, `<`, `>`, and carriage returns kept as `&#13;`); the characters XML 1.0 forbids (and
C1 controls) are removed; free texts are cut to the schema's maxLength (read from the XSD); an address line
too long is split over LHEO's `ligne`s; a URL or an e-mail too long is left out rather than cut into a wrong
one. The markup is made as text rather than with lxml's elements (building ~75 lxml elements per session
costs ~3.5 µs each here, more than the whole budget: bench/exports.py), each action and its session with one
template, and written with one buffered stream. What is the same wherever it appears is made once per file:
an organisation responsible (per SIRET), a trainer organisation, an address (per value), a contact, a funding
line, the publics' codes, a certification, an equipment, a cycle, competence blocks. Each part comes with its
*shape key*, which stands for its skeleton (`ofeli.lheo.schema` says how, and why that keeps every file valid).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from datetime import date, datetime, time
from functools import cache
from typing import IO, Any

from ofeli.domain import lheo_codes as lheo
from ofeli.domain.certifications import CODE, Certification
from ofeli.domain.errors import RuleViolation
from ofeli.domain.exports import Offer, Rejected, Report
from ofeli.domain.sessions import (
    RHYTHM_SPANS,
    RHYTHM_UNIT_NAMES,
    RHYTHMS,
    AddressLike,
    ApprenticeshipCycle,
    Equipment,
    FundingLine,
    Place,
    RecruitmentModality,
    SessionAddress,
    SessionDraft,
    address_errors,
    department,
    exported_comment,
    financing_referential,
    lheo_entry_mode,
    remote_address,
    trainer_of,
)
from ofeli.domain.structures import Structure, StructureContact
from ofeli.domain.text import xml_escape as escape
from ofeli.lheo.schema import NS, Shapes, schema, skeleton

# `code-public-vise` is required (1 to 10 Formacode codes of the publics). The financing referential gives
# each public's Formacode when the Carif-Oref has set it; a session whose publics have none is written with
# this code, which says "not known" rather than claiming a public.
UNKNOWN_PUBLIC = "00000"
NOT_GIVEN = "Non renseigné"
NO_PREREQUISITE = "Aucune"
NO_ALTERNANCE = "Sans alternance en entreprise"
TRAINEE = "10"  # dict-financeurs: bénéficiaire de l'action (the trainee pays: no funding)
GROUP = "1"  # dict-type-parcours: en groupe
MIXED_PATH = "4"  # dict-type-parcours: mixte
CONVENTIONNE = "conventionne"
LINE = 50  # an address line (ligne)
BUFFER = 1 << 20
_MEETINGS = (lheo.INTERVIEW, lheo.INFORMATION_MEETING)
# the free texts of a session, remembered once written (`_Parts.free`); a comment is cut by `exported_comment`
_SESSION_TEXTS = (
    "info-public-vise",
    "modalites-alternance",
    "conditions-specifiques",
    "detail-conditions-prise-en-charge",
    "commentaire",
)
_DIGITS = 18  # a number of 18 digits at most is within xs:long

# What XML 1.0 forbids (C0 controls but tab, LF, CR; lone surrogates; U+FFFE, U+FFFF) and C1 controls.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

Shape = tuple[Any, ...]  # a part's shape key (`ofeli.lheo.schema`)
Made = tuple[str, Hashable]  # a part's markup and its shape key
Where = tuple[str, str, int | None]  # what names an address in an error: session, what it is, its number


class NothingToWrite(RuleViolation):
    """No formation could be written: LHEO has no file for an empty offer (`offres` holds one or more)."""

    def __init__(self, report: Report) -> None:
        reasons = "; ".join(f"{r.ref} : {r.reason}" for r in report.rejected[:3])
        message = "Aucune formation ne peut être exportée au format LHEO"
        super().__init__(f"{message} ({reasons})." if reasons else f"{message} : la sélection est vide.")
        self.report = report


class _Refused(Exception):
    """Why a formation cannot be written (French)."""


# ---------------------------------------------------------------------- text
def clean(value: str | None, limit: int | None = None) -> str | None:
    """A text as XML may hold it: without forbidden characters, cut to `limit`; None when empty."""
    if not value:
        return None
    text = value if value.isprintable() else _FORBIDDEN.sub("", value)
    if limit is not None and len(text) > limit:
        text = text[:limit]
    return text if text and not text.isspace() else None


def _free(value: str | None, most: int) -> str | None:
    """A free text as written: cleaned, cut to `most` characters, escaped; None when empty. It meets the facets
    of a string element of maxLength `most` and minLength 1 at most."""
    if not value:
        return None
    if not value.isprintable():
        value = _FORBIDDEN.sub("", value)
    if len(value) > most:
        value = value[:most]
    if not value or value.isspace():
        return None
    return escape(value)


def _attribute(text: str) -> str:
    if not text.isprintable():
        text = _FORBIDDEN.sub("", text)
    text = escape(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\n" in text or "\t" in text:
        text = text.replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _where(where: Where) -> str:
    name, what, number = where
    return f"{name}, {what} {number}" if number is not None else f"{name}, {what}"


def _plain(value: str) -> bool:
    """Letters, digits and hyphens only: nothing to escape, nothing XML forbids."""
    return value.replace("-", "").isalnum()


def lheo_date(day: date) -> str:
    """AAAAMMJJ."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _number(value: int) -> str:
    text = f"{value:d}"  # the digits of an int (a value of another type raises)
    if len(text) > _DIGITS:
        raise _Refused(f"le nombre {text[:20]} est trop grand")
    return text


# ---------------------------------------------------------------------- the writer's state for one file
class _Parts:
    """What one file's formations are made with: the schema's facets, and the pieces made once per file (the
    same wherever they appear), each with its markup and its skeleton. Forgotten by the thousands."""

    SIZE = 4096

    def __init__(self) -> None:
        facets = schema().facets
        self.facets = facets
        self.most = {name: facet[1] for name, facet in facets.items()}
        self.codes = {name: facet[2] for name, facet in facets.items() if facet[2] is not None}
        self.made: dict[Hashable, Made] = {}  # key → (markup, skeleton)
        self.held: list[object] = []  # what the keys of `made` hold the identity of (so that it is not reused)
        self.addresses: dict[tuple[int, str | None, bool], tuple[AddressLike, Made]] = {}  # by identity: fast
        self.organisations: dict[str, Made | _Refused] = {}
        self.publics = {p.code: p.formacode for p in financing_referential().publics}
        self.dates: dict[date, str] = {}
        codes = self.codes
        self.teaching_modes = codes["modalites-enseignement"]
        self.entry_modes = codes["modalites-entrees-sorties"]
        self.recruitment_states = codes["etat-recrutement"]
        self.recruitment_codes = codes["modalite-recrutement"]
        self.numbers: dict[int, str] = {}  # the texts of numbers, of hours, of rhythms already made
        self.hours: dict[time, str] = {}
        self.rhythms: dict[tuple[str | None, ...], str] = {}
        # a session's free texts as written, by element and text: sessions repeat them
        self.texts: dict[str, dict[str, str]] = {name: {} for name in _SESSION_TEXTS}

    # checked leaves: every facet of the element, read from the XSD
    def leaf(self, name: str, value: str) -> str:
        """`<name>value</name>`, the value checked against all the element's facets."""
        if not value.isprintable():
            value = _FORBIDDEN.sub("", value)
        low, high, allowed, pattern = self.facets[name]
        if (
            not low <= len(value) <= high
            or (allowed is not None and value not in allowed)
            or (pattern is not None and not pattern.fullmatch(value))
        ):
            raise _Refused(f"{name} : {schema().leaves[name].error(value) or 'valeur refusée'}")
        return f"<{name}>{escape(value)}</{name}>"

    def text(self, name: str, value: str | None, fallback: str | None = None) -> str:
        """A free text, cut to the element's maxLength; left out when empty (or `fallback`)."""
        text = clean(value, self.most[name]) or fallback
        return "" if text is None else self.leaf(name, text)

    def code(self, name: str, value: str) -> str:
        """A code of the element's enumeration (read from the XSD), as it is."""
        if value not in self.codes[name]:
            raise _Refused(f"{name} : « {str(value)[:20]} » n'est pas un code de la nomenclature LHEO")
        return value

    def date(self, day: date) -> str:
        found = self.dates.get(day)
        if found is None:
            if len(self.dates) >= self.SIZE:
                self.dates.clear()
            found = self.dates[day] = lheo_date(day)
        return found

    def number(self, value: int) -> str:
        found = self.numbers[value] = _number(value)
        if len(self.numbers) >= self.SIZE:
            self.numbers.clear()
        return found

    def hour(self, moment: time) -> str:
        found = self.hours[moment] = f"{moment.hour:02d}:{moment.minute:02d}"
        if len(self.hours) >= self.SIZE:
            self.hours.clear()
        return found

    def free(self, name: str, value: str) -> str:
        """`value` as `name` holds it (`_free`), "" when empty; remembered."""
        texts = self.texts[name]
        if len(texts) >= self.SIZE:
            texts.clear()
        found = texts[value] = _free(exported_comment(value) if name == "commentaire" else value, self.most[name]) or ""
        return found

    def rhythm(self, session: SessionDraft) -> str:
        """`rythme-formation`'s text: the rhythms' labels and the comment."""
        key = (*session.rhythms, session.rhythm_comment)
        found = self.rhythms.get(key)
        if found is None:
            found = _free(_rhythm(session), self.most["rythme-formation"]) or NOT_GIVEN
            if len(self.rhythms) >= self.SIZE:
                self.rhythms.clear()
            self.rhythms[key] = found
        return found

    def piece(self, key: Hashable, make: Callable[[], str], held: object = None) -> Made:
        """A piece the same wherever it appears: made once (`make`), its skeleton read from its markup. `held`
        is kept while the key holds an object's identity (so that the identity is not reused)."""
        found = self.made.get(key)
        if found is None:
            found = self.add(key, make(), held)
        return found

    def add(self, key: Hashable, markup: str, held: object = None) -> Made:
        if len(self.made) >= self.SIZE:
            self.made.clear()
            self.held.clear()
            self.addresses.clear()
        if held is not None:
            self.held.append(held)
        found = self.made[key] = (markup, skeleton(markup))
        return found


# ---------------------------------------------------------------------- small pieces
def _lines(value: str | None, room: int) -> list[str]:
    """An address line as LHEO's `ligne`s of 50 characters: cut at spaces, at most `room` of them."""
    text = clean(value, 4 * LINE)
    if text is None:
        return []
    text = " ".join(text.split())
    out: list[str] = []
    while text and len(out) < room:
        if len(text) <= LINE:
            out.append(text)
            break
        cut = text.rfind(" ", 1, LINE + 1)
        cut = cut if cut > 0 else LINE
        out.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return out


def _address(p: _Parts, address: AddressLike, name: str | None = None, where: Where | None = None) -> Made:
    """`adresse`: denomination, lines, postal code, city, department, INSEE code, coordinates; checked first
    by France Travail's address rules when `where` (what names it in an error) is given. Made once per file for
    the same address: found by identity, else by value."""
    checked = where is not None
    known = p.addresses.get((id(address), name, checked))
    if known is not None and known[0] is address:
        return known[1]
    key = (type(address), *vars(address).values(), name, checked)
    found = p.made.get(key)
    if found is None:
        if where is not None:
            _check_address(address, _where(where))
        found = p.add(key, _address_markup(p, address, name))
    if len(p.addresses) >= p.SIZE:
        p.addresses.clear()
    p.addresses[id(address), name, checked] = (address, found)  # it holds the address: its id stays its own
    return found


def _address_markup(p: _Parts, address: AddressLike, name: str | None) -> str:
    lines: list[str] = []
    for line in (address.line1, getattr(address, "line2", None), getattr(address, "line3", None)):
        if line:
            lines += _lines(line, 4 - len(lines))
    out = ["<adresse>", p.text("denomination", name)]
    out += [p.leaf("ligne", line) for line in lines or [NOT_GIVEN]]
    out.append(p.leaf("codepostal", address.postal_code or ""))
    out.append(p.leaf("ville", clean(address.city, LINE) or ""))
    found_department = department(address)
    if found_department and 2 <= len(found_department) <= 3:
        out.append(p.leaf("departement", found_department))
    insee = getattr(address, "insee_code", None)
    if insee:
        out.append(p.leaf("code-INSEE-commune", insee))
    latitude, longitude = getattr(address, "latitude", None), getattr(address, "longitude", None)
    if latitude is not None and longitude is not None:
        out.append(
            f"<geolocalisation>{p.leaf('latitude', str(latitude)[:30])}"
            f"{p.leaf('longitude', str(longitude)[:30])}</geolocalisation>"
        )
    out.append("</adresse>")
    return "".join(out)


def _check_address(address: AddressLike, where: str, *, insee_required: bool = True) -> None:
    errors = address_errors(address, "adresse", insee_required=insee_required)
    if errors:
        raise _Refused(f"{where} : {errors[0].message}")


def _phones(p: _Parts, numbers: Sequence[str]) -> str:
    fixed = [n for n in numbers if not n.startswith(("06", "07"))][:3]
    mobile = [n for n in numbers if n.startswith(("06", "07"))][:3]
    out = []
    for name, group in (("telfixe", fixed), ("portable", mobile)):
        texts = [p.text("numtel", number) for number in group]
        if any(texts):
            out.append(f"<{name}>{''.join(texts)}</{name}>")
    return "".join(out)


def _email(p: _Parts, email: str | None) -> str:
    return p.leaf("courriel", email) if email and 3 <= len(email) <= 160 else ""


def _url(url: str | None) -> str | None:
    """A URL as written (escaped), or None when there is none or it is too long to be kept whole (urlweb holds
    3 to 400 characters)."""
    if not url:
        return None
    if not url.isprintable():
        url = _FORBIDDEN.sub("", url)
    return escape(url) if 3 <= len(url) <= 400 else None


def _web(p: _Parts, tag: str, urls: Sequence[str | None]) -> str:
    kept = [u for u in (_url(u) for u in urls) if u][:3]
    if not kept:
        return ""
    return f"<{tag}>{''.join(f'<urlweb>{url}</urlweb>' for url in kept)}</{tag}>"


def _contact(p: _Parts, tag: str, contact: StructureContact, contact_type: str | None = None) -> Made:
    """A person: `tag`/type-contact, coordonnees (civility, names, phones, e-mail)."""

    def make() -> str:
        kind = contact_type or (contact.types[0] if contact.types else None)
        return (
            f"<{tag}>{p.leaf('type-contact', kind) if kind is not None else ''}<coordonnees>"
            f"{p.text('civilite', contact.civility)}{p.text('nom', contact.last_name)}"
            f"{p.text('prenom', contact.first_name)}{_phones(p, contact.phones)}{_email(p, contact.email)}"
            f"</coordonnees></{tag}>"
        )

    return p.piece(("contact", id(contact), tag, contact_type), make, contact)


def _structure_contact(p: _Parts, tag: str, structure: Structure) -> Made:
    """A contact of the structure itself (no person named): its phones, e-mail and site."""

    def make() -> str:
        return (
            f"<{tag}><coordonnees>{_phones(p, [n.number for n in structure.phones])}"
            f"{_email(p, structure.emails[0].email if structure.emails else None)}"
            f"{_web(p, 'web', [w.url for w in structure.websites])}</coordonnees></{tag}>"
        )

    return p.piece(("structure-contact", id(structure), tag), make, structure)


def _principal(structure: Structure) -> StructureContact | None:
    return next((c for c in structure.contacts if c.principal), None) or next(iter(structure.contacts), None)


# ---------------------------------------------------------------------- the responsible organisation
def _organisation(p: _Parts, structure: Structure) -> Made:
    """`organisme-formation-responsable` is the same for every formation of a structure: made once per file."""
    found = p.organisations.get(structure.siret)
    if found is None:
        try:
            markup = _responsible(p, structure)
            found = (markup, skeleton(markup))
        except _Refused as refused:
            found = refused
        p.organisations[structure.siret] = found
    if isinstance(found, _Refused):
        raise found
    return found


def _responsible(p: _Parts, structure: Structure) -> str:
    if not structure.nda:
        raise _Refused(
            f"L'organisme responsable {structure.name} (SIRET {structure.siret}) n'a pas de numéro de déclaration "
            "d'activité, obligatoire en LHEO."
        )
    address = ""
    if structure.address is not None:
        _check_address(structure.address, "Adresse de l'organisme responsable", insee_required=False)
        address = _address(p, structure.address)[0]
    principal = _principal(structure)
    if principal is not None:
        contact = _contact(p, "contact-organisme", principal)[0]
    else:
        contact = _structure_contact(p, "contact-organisme", structure)[0]
    return (
        f"<organisme-formation-responsable>{p.leaf('numero-activite', structure.nda)}"
        f"<SIRET-organisme-formation>{p.leaf('SIRET', structure.siret)}</SIRET-organisme-formation>"
        f"{p.text('nom-organisme', structure.name, structure.siret)}"
        f"{p.text('raison-sociale', structure.name, structure.siret)}"
        f"<coordonnees-organisme><coordonnees>{address}{_phones(p, [n.number for n in structure.phones])}"
        f"{_email(p, structure.emails[0].email if structure.emails else None)}"
        f"{_web(p, 'web', [w.url for w in structure.websites])}</coordonnees></coordonnees-organisme>"
        f"{contact}</organisme-formation-responsable>"
    )


# ---------------------------------------------------------------------- the formation
def _certification_number(code: str) -> tuple[str, str] | None:
    """RNCP35000 → ("RNCP", "35000"); RS84 → ("RS", "084") (LHEO's code-RS has 3 characters at least)."""
    match = CODE.match(code)
    if match is None:
        return None
    return match.group(1), f"{int(match.group(2)):03d}"


def _expected_results(offer: Offer) -> str:
    formation = offer.formation
    if formation.expected_results:
        return formation.expected_results
    if formation.certifying and formation.certifications:
        names = []
        for chosen in formation.certifications:
            known = offer.certifications.get(chosen.code)
            names.append(f"{chosen.code} ({known.title})" if known else chosen.code)
        return "Obtention de la certification " + ", ".join(names) + "."
    return NOT_GIVEN


def _path_type(sessions: Sequence[SessionDraft]) -> str:
    types = {s.path_type for s in sessions if s.path_type}
    if len(types) == 1:
        return types.pop()
    return MIXED_PATH if types else GROUP


def _codes(codes: Sequence[str], size: int, most: int) -> list[str]:
    """Indexing codes as LHEO holds them: `size` characters (an NSF 254s is 254), no repeat, `most` at most."""
    return list(dict.fromkeys(c[:size] for c in codes if len(c) >= size))[:most]


def _domain(p: _Parts, offer: Offer) -> Made:
    def make() -> str:
        leaves = [p.leaf("code-FORMACODE", code) for code in _codes(offer.formacodes, 5, 5)]
        leaves += [p.leaf("code-NSF", code) for code in _codes(offer.nsf, 3, 3)]
        leaves += [p.leaf("code-ROME", code) for code in _codes(offer.romes, 5, 5)]
        return f"<domaine-formation>{''.join(leaves)}</domaine-formation>"

    return p.piece(("domaine", tuple(offer.formacodes), tuple(offer.nsf), tuple(offer.romes)), make)


def _certification(p: _Parts, code: str, known: Certification | None) -> Made | None:
    parts = _certification_number(code)
    if parts is None:
        return None
    certifinfo = known.certifinfo if known is not None else None

    def make() -> str:
        assert parts is not None
        return (
            f"<certification>{p.leaf('code-RNCP', parts[1]) if parts[0] == 'RNCP' else ''}"
            f"{p.leaf('code-CERTIFINFO', certifinfo) if certifinfo else ''}"
            f"{p.leaf('code-RS', parts[1]) if parts[0] == 'RS' else ''}</certification>"
        )

    return p.piece(("certification", code, certifinfo), make)


def _formation(p: _Parts, offer: Offer) -> tuple[str, list[Hashable]]:
    """The formation's markup and its shape keys: the rest's, then each action's."""
    formation = offer.formation
    if not offer.sessions:
        raise _Refused(
            "La formation n'a aucune session à exporter : en LHEO, une formation a au moins une action et une session."
        )
    most = p.most
    title = _free(formation.title, most["intitule-formation"])
    if title is None:
        raise _Refused("La formation n'a pas d'intitulé.")
    responsible, responsible_shape = _organisation(p, offer.responsible)
    domain, domain_shape = _domain(p, offer)
    datemaj = f' datemaj="{p.date(offer.updated_at.date())}"' if offer.updated_at is not None else ""
    objective = _free(formation.objective, most["objectif-formation"]) or NOT_GIVEN
    results = _free(_expected_results(offer), most["resultats-attendus"]) or NOT_GIVEN
    content = _free(formation.content, most["contenu-formation"]) or NOT_GIVEN
    contact = offer.contacts.get(formation.contact_id) if formation.contact_id else None
    contact = contact or _principal(offer.responsible)
    if contact is not None:
        contact_markup, contact_shape = _contact(p, "contact-formation", contact)
    else:
        contact_markup, contact_shape = _structure_contact(p, "contact-formation", offer.responsible)
    certifications = [
        made
        for chosen in formation.certifications[:5]
        if (made := _certification(p, chosen.code, offer.certifications.get(chosen.code))) is not None
    ]
    exit_level = formation.exit_level
    url = _url(formation.website)
    actions: list[str] = []
    keys: list[Hashable] = []
    cycle = (
        f"<duree-cycle>{_number(formation.cycle_years)}</duree-cycle>"
        if formation.apprenticeship and formation.cycle_years
        else ""
    )
    for position, session in enumerate(offer.sessions):
        markup, key = _action(p, offer, session, position, cycle)
        actions.append(markup)
        keys.append(key)
    markup = (
        f'<formation numero="{_attribute(offer.ref)}"{datemaj}>{domain}'
        f"<intitule-formation>{title}</intitule-formation><objectif-formation>{objective}</objectif-formation>"
        f"<resultats-attendus>{results}</resultats-attendus><contenu-formation>{content}</contenu-formation>"
        f"<certifiante>{'1' if formation.certifying else '0'}</certifiante>{contact_markup}"
        f"<parcours-de-formation>{p.code('parcours-de-formation', _path_type(offer.sessions))}"
        f"</parcours-de-formation><code-niveau-entree>{p.code('code-niveau-entree', formation.entry_level)}"
        f"</code-niveau-entree>{''.join(c[0] for c in certifications)}"
        + (
            f"<code-niveau-sortie>{p.code('code-niveau-sortie', exit_level)}</code-niveau-sortie>"
            if exit_level is not None
            else ""
        )
        + (f"<url-formation><urlweb>{url}</urlweb></url-formation>" if url else "")
        + f"{''.join(actions)}{responsible}</formation>"
    )
    rest = (
        "formation",
        bool(datemaj),
        domain_shape,
        contact_shape,
        tuple(c[1] for c in certifications),
        exit_level is not None,
        url is not None,
        len(actions),
        responsible_shape,
    )
    return markup, [rest, *keys]


# ---------------------------------------------------------------------- the action and its session
def _rhythm(session: SessionDraft) -> str | None:
    labels = ", ".join([RHYTHMS[r] for r in session.rhythms if r in RHYTHMS])
    return ". ".join([p for p in (labels, session.rhythm_comment) if p]) or None


def _alternance(session: SessionDraft) -> str | None:
    parts = []
    if session.hours_in_company:
        parts.append(f"{session.hours_in_centre or 0} heures en centre et {session.hours_in_company} en entreprise")
    for cycle in session.cycles:
        rhythm = cycle.rhythm
        text = lheo.ALTERNANCE_TYPES[cycle.contract_type]
        if cycle.year is not None:
            text = f"Année {cycle.year} : {text}"
        if rhythm is not None and rhythm.unit is not None and rhythm.in_centre is not None:
            span = RHYTHM_SPANS[rhythm.unit][0]
            text += (
                f", {rhythm.in_centre} {RHYTHM_UNIT_NAMES[rhythm.unit]} en centre et {rhythm.in_company or 0} en "
                f"entreprise sur {span}"
            )
        parts.append(text)
    return ". ".join(parts) or None


def _place(offer: Offer, place: Place, name: str, number: int) -> tuple[SessionAddress, str | None]:
    """A place's address and name (`number` 0: the registration place)."""
    found = offer.places.get(place.place_id) if place.place_id is not None else place
    if found is None or found.address is None:
        where = f"{name}, lieu de formation {number}" if number else f"{name}, lieu d'inscription"
        if found is None:
            raise _Refused(f"{where} : le lieu {place.place_id} est introuvable parmi ceux de l'organisme formateur.")
        raise _Refused(f"{where} : le lieu n'a pas d'adresse.")
    return found.address, found.name


def _publics(p: _Parts, publics: tuple[str, ...]) -> Made:
    found = p.made.get(publics)
    if found is None:
        codes = [p.publics.get(public) for public in publics]
        kept = list(dict.fromkeys(c for c in codes if c))[:10] or [UNKNOWN_PUBLIC]
        found = p.add(publics, "".join(p.leaf("code-public-vise", code) for code in kept))
    return found


def _financer(p: _Parts, line: FundingLine) -> Made:
    key = ("financer", line.financer, line.seats, line.measure, line.market_number)
    found = p.made.get(key)
    if found is None:
        assert line.financer is not None
        seats = f"<nb-places-financees>{_number(line.seats)}</nb-places-financees>" if line.seats is not None else ""
        extras = ""
        if line.measure or line.market_number:
            extras = (
                "<extras>"
                + (f'<extra info="mesure">{escape(clean(line.measure) or "")}</extra>' if line.measure else "")
                + (
                    f'<extra info="numero-marche">{escape(clean(line.market_number) or "")}</extra>'
                    if line.market_number
                    else ""
                )
                + "</extras>"
            )
        markup = f"<organisme-financeur>{p.leaf('code-financeur', line.financer)}{seats}{extras}</organisme-financeur>"
        found = p.add(key, markup)
    return found


def _trainer(p: _Parts, siret: str, trainer: Structure | None) -> Made:
    name = trainer.name if trainer else None
    key = ("trainer", siret, name)
    found = p.made.get(key)
    if found is None:
        markup = (
            f"<organisme-formateur><SIRET-formateur>{p.leaf('SIRET', siret)}</SIRET-formateur>"
            f"{p.text('raison-sociale-formateur', name, '')}</organisme-formateur>"
        )
        found = p.add(key, markup)
    return found


def _equipment(p: _Parts, equipment: Equipment) -> Made:
    def make() -> str:
        return (
            f"<equipement>{p.leaf('type-equipement', equipment.equipment_type)}"
            f"{p.text('commentaire', equipment.description)}</equipement>"
        )

    return p.piece(("equipment", equipment.equipment_type, equipment.description), make)


def _action(p: _Parts, offer: Offer, session: SessionDraft, position: int, cycle: str) -> Made:
    ref = session.ref
    name = f"Session {ref or position + 1}"
    start, end, registration = session.start_date, session.end_date, session.registration
    if start is None or end is None:
        raise _Refused(f"{name} : la date de début et la date de fin sont obligatoires.")
    if registration is None:
        raise _Refused(f"{name} : le lieu d'inscription est obligatoire.")
    numero = ""
    if ref:
        numero = f' numero="{ref}"' if ref.replace("-", "").isalnum() else f' numero="{_attribute(ref)}"'
    funded = "0"
    states: list[str] = []
    recruitment_states: list[str] = []
    publics: list[str] = []
    financers = ""
    financers_shape: tuple[Hashable, ...] = ()
    for index, line in enumerate(session.funding):
        financer = line.financer
        if financer is not None:
            if financer != TRAINEE:
                funded = "1"
            if index < 8:
                markup, shape = _financer(p, line)
                financers += markup
                financers_shape += (shape,)
        if line.scheme_state:
            states.append(line.scheme_state)
        recruitment_states.append(line.recruitment_state)
        publics += line.publics
    codes, codes_shape = _publics(p, tuple(publics))
    texts = p.texts
    info = session.audience_info
    if info:
        info = texts["info-public-vise"].get(info) or p.free("info-public-vise", info)
        if info:
            info = f"<info-public-vise>{info}</info-public-vise>"
    alternance = _alternance(session) if session.hours_in_company or session.cycles else None
    if alternance:
        alternance = texts["modalites-alternance"].get(alternance) or p.free("modalites-alternance", alternance)
    mode = session.teaching_mode
    if mode not in p.teaching_modes:
        p.code("modalites-enseignement", mode)
    prerequisites = session.prerequisites
    if prerequisites:
        prerequisites = texts["conditions-specifiques"].get(prerequisites) or p.free(
            "conditions-specifiques", prerequisites
        )
    places = ""
    places_shape: tuple[Hashable, ...] = ()
    for number, place in enumerate(session.places, 1):
        if place.place_id is None and place.address is not None:
            address, place_name = place.address, place.name
        else:
            address, place_name = _place(offer, place, name, number)
        markup, shape = _address(p, address, place_name, (name, "lieu de formation", number))
        places += f"<lieu-de-formation><coordonnees>{markup}</coordonnees></lieu-de-formation>"
        places_shape += (shape,)
    entry = lheo_entry_mode(session)
    if entry not in p.entry_modes:
        p.code("modalites-entrees-sorties", entry)
    url = _url(session.website)
    if url:
        url = f"<url-action><urlweb>{url}</urlweb></url-action>"
    session_markup, session_shape = _session(p, offer, session, name, start, end, registration, recruitment_states)
    equipment = ""
    equipment_shape: tuple[Hashable, ...] = ()
    for item in session.equipment:
        markup, shape = _equipment(p, item)
        equipment += markup
        equipment_shape += (shape,)
    numbers = p.numbers
    hours = ""
    centre, company, total = session.hours_in_centre, session.hours_in_company, session.total_hours
    if centre is not None:
        hours = f"<nombre-heures-centre>{numbers.get(centre) or p.number(centre)}</nombre-heures-centre>"
    if company is not None:
        hours += f"<nombre-heures-entreprise>{numbers.get(company) or p.number(company)}</nombre-heures-entreprise>"
    if total is not None:
        hours += f"<nombre-heures-total>{numbers.get(total) or p.number(total)}</nombre-heures-total>"
    conditions = session.funding_conditions
    if conditions:
        conditions = texts["detail-conditions-prise-en-charge"].get(conditions) or p.free(
            "detail-conditions-prise-en-charge", conditions
        )
    if conditions:
        conditions = f"<detail-conditions-prise-en-charge>{conditions}</detail-conditions-prise-en-charge>"
    siret = trainer_of(session, offer.responsible.siret)
    trainer = offer.trainers.get(siret) or (offer.responsible if siret == offer.responsible.siret else None)
    trainer_markup, trainer_shape = _trainer(p, siret, trainer)
    markup = (
        f"<action{numero}><rythme-formation>{p.rhythm(session)}</rythme-formation>{codes}{info or ''}"
        f"<niveau-entree-obligatoire>0</niveau-entree-obligatoire><modalites-alternance>{alternance or NO_ALTERNANCE}"
        f"</modalites-alternance><modalites-enseignement>{mode}</modalites-enseignement>"
        f"<conditions-specifiques>{prerequisites or NO_PREREQUISITE}</conditions-specifiques>"
        f"<prise-en-charge-frais-possible>{funded}</prise-en-charge-frais-possible>{places}"
        f"<modalites-entrees-sorties>{entry}</modalites-entrees-sorties>{url or ''}{cycle}{session_markup}"
        f"{equipment}{hours}{conditions or ''}"
        f"{f'<conventionnement>{1 if CONVENTIONNE in states else 0}</conventionnement>' if states else ''}"
        f"{trainer_markup}{financers}</action>"
    )
    shape = (
        "action",
        bool(ref),
        codes_shape,
        bool(info),
        places_shape,
        bool(url),
        bool(cycle),
        session_shape,
        equipment_shape,
        centre is not None,
        company is not None,
        total is not None,
        bool(conditions),
        bool(states),
        trainer_shape,
        financers_shape,
    )
    return markup, shape


def _session(
    p: _Parts,
    offer: Offer,
    session: SessionDraft,
    name: str,
    start: date,
    end: date,
    registration: Place,
    states: list[str],
) -> Made:
    ref = session.ref
    numero = ""
    if ref:
        numero = f' numero="{ref}"' if ref.replace("-", "").isalnum() else f' numero="{_attribute(ref)}"'
    if registration.place_id is None and registration.address is not None:
        address, place_name = registration.address, registration.name
    else:
        address, place_name = _place(offer, registration, name, 0)
    registered, registered_shape = _address(p, address, place_name, (name, "lieu d'inscription", None))
    state = ""
    if states:
        found = lheo.OPEN if lheo.OPEN in states else states[0]
        if found not in p.recruitment_states:
            p.code("etat-recrutement", found)
        state = f"<etat-recrutement>{found}</etat-recrutement>"
    recruitment = ""
    recruitment_shape: tuple[Hashable, ...] = ()
    for number, modality in enumerate(session.recruitment, 1):
        markup, shape = _recruitment(p, modality, name, number)
        recruitment += markup
        recruitment_shape += (shape,)
    others = ""
    others_shape: tuple[Hashable, ...] = ()
    for chosen in session.contacts:
        contact = offer.contacts.get(chosen.contact_id)
        if contact is not None:
            markup, shape = _contact(p, "contact-session", contact, chosen.contact_type)
            others += markup
            others_shape += (shape,)
    for entry in session.blocks:
        made = _blocks(p, offer, entry.certification, entry.validation, entry.blocks)
        if made is not None:
            others += made[0]
            others_shape += (made[1],)
    for cycle in session.cycles:
        markup, shape = _cycle(p, cycle)
        others += markup
        others_shape += (shape,)
    dates = p.dates
    markup = (
        f"<session{numero}><periode><debut>{dates.get(start) or p.date(start)}</debut>"
        f"<fin>{dates.get(end) or p.date(end)}</fin></periode><adresse-inscription>{registered}"
        f"</adresse-inscription>{state}{recruitment}{others}</session>"
    )
    # contacts, blocks and cycles follow one another in this order: their skeletons say which each is
    return markup, (bool(ref), registered_shape, bool(state), recruitment_shape, others_shape)


def _cycle(p: _Parts, cycle: ApprenticeshipCycle) -> Made:
    rhythm = cycle.rhythm
    values = (rhythm.unit, rhythm.in_centre, rhythm.in_company) if rhythm is not None else (None, None, None)

    def make() -> str:
        unit, in_centre, in_company = values
        rhythm_markup = ""
        if unit is not None and in_centre is not None and in_company is not None:
            rhythm_markup = (
                f"<rythme-alternance>{p.leaf('unite-rythme-alternance', unit)}"
                f"<unites-entreprise>{_number(in_company)}</unites-entreprise>"
                f"<unites-centre>{_number(in_centre)}</unites-centre></rythme-alternance>"
            )
        year = f"<annee-cycle>{_number(cycle.year)}</annee-cycle>" if cycle.year is not None else ""
        return (
            f"<cycle>{p.leaf('type-cycle', cycle.cycle_type)}{year}<alternance>"
            f"{p.leaf('type-alternance', cycle.contract_type)}{rhythm_markup}</alternance></cycle>"
        )

    return p.piece(("cycle", cycle.cycle_type, cycle.year, cycle.contract_type, *values), make)


@cache
def _remote_address() -> SessionAddress:
    return remote_address()


def _recruitment(p: _Parts, modality: RecruitmentModality, name: str, number: int) -> Made:
    """`recrutement`: an ISC once per application period, an RDVI or ICO with its date, hours and address (or
    remote: `a-distance` and France Travail's remote address)."""
    code = modality.code
    if code not in p.recruitment_codes:
        p.code("modalite-recrutement", code)
    comment = modality.comment
    if comment:
        comment = p.texts["commentaire"].get(comment) or p.free("commentaire", comment)
    numero = modality.number
    if numero:
        numero = f' numero="{numero}"' if numero.replace("-", "").isalnum() else f' numero="{_attribute(numero)}"'
    head = f"<recrutement{numero or ''}><modalite-recrutement>{code}</modalite-recrutement>"
    address_shape = None
    start_hour = end_hour = ""
    dates = p.dates
    dated: tuple[bool, ...] = ()
    meeting = code in _MEETINGS
    if meeting:
        if modality.remote:
            markup, address_shape = _address(p, _remote_address())
            head += f"<a-distance>1</a-distance>{markup}"
        elif modality.address is not None:
            markup, address_shape = _address(p, modality.address, None, (name, "modalité de recrutement", number))
            head += f"<a-distance>0</a-distance>{markup}"
        else:
            head += "<a-distance>0</a-distance>"
        hours = modality.hours
        if hours is not None:
            if hours.start is not None:
                start_hour = f"<heure-debut>{p.hours.get(hours.start) or p.hour(hours.start)}</heure-debut>"
            if hours.end is not None:
                end_hour = f"<heure-fin>{p.hours.get(hours.end) or p.hour(hours.end)}</heure-fin>"
    seats = modality.seats
    if seats is not None:
        head += f"<nb-places>{p.numbers.get(seats) or p.number(seats)}</nb-places>"
    tail = f"{start_hour}{end_hour}{f'<commentaire>{comment}</commentaire>' if comment else ''}</recrutement>"
    markup = ""
    if meeting and modality.date is not None:
        day, last = modality.date, modality.end_date or modality.date
        markup = (
            f"{head}<periode><debut>{dates.get(day) or p.date(day)}</debut>"
            f"<fin>{dates.get(last) or p.date(last)}</fin></periode>{tail}"
        )
        dated = (True,)
    elif code == lheo.APPLICATION and modality.periods:
        for period in modality.periods:
            opens, closes = period.start, period.end
            if opens is not None and closes is not None:
                markup += (
                    f"{head}<periode><debut>{dates.get(opens) or p.date(opens)}</debut>"
                    f"<fin>{dates.get(closes) or p.date(closes)}</fin></periode>{tail}"
                )
                dated += (True,)
            else:
                markup += head + tail
                dated += (False,)
    else:
        markup = head + tail
    shape = (
        bool(numero),
        meeting,
        address_shape,
        seats is not None,
        dated,
        bool(start_hour),
        bool(end_hour),
        bool(comment),
    )
    return markup, shape


def _blocks(p: _Parts, offer: Offer, code: str, validation: str | None, chosen: Sequence[str]) -> Made | None:
    parts = _certification_number(code)
    if parts is None or not chosen:
        return None
    certification = offer.certifications.get(code)

    def make() -> str:
        assert parts is not None
        titles = {b.code: b.title for b in certification.blocks} if certification else {}
        checked = validation
        if checked is None:
            checked = lheo.TOTAL if titles and set(titles) <= set(chosen) else lheo.PARTIAL
        reference = "reference-code-RNCP" if parts[0] == "RNCP" else "reference-code-RS"
        blocks = "".join(
            f"<bloc-competences>{p.text('libelle-bloc', titles.get(block), block)}{p.leaf('code-bloc', block)}"
            "</bloc-competences>"
            for block in chosen
        )
        return (
            f"<blocs-competences>{p.leaf('validation-blocs', checked)}<reference-certification>"
            f"{p.leaf(reference, parts[1])}</reference-certification>{blocks}</blocs-competences>"
        )

    return p.piece(("blocks", code, validation, tuple(chosen), id(certification)), make, certification)


# ---------------------------------------------------------------------- the file
def formations(offers: Iterable[Offer], report: Report, shapes: Shapes | None = None) -> Iterator[str]:
    """Each offer's `formation` markup (no namespace declaration: it is written inside `lheo`), valid; a
    formation that cannot be written is recorded in `report.rejected` instead."""
    parts = _Parts()
    proven = shapes or Shapes()
    for offer in offers:
        try:
            markup, keys = _formation(parts, offer)
        except _Refused as refused:
            report.rejected.append(Rejected(offer.ref, str(refused)))
            continue
        error = proven.error(markup, keys)
        if error is not None:
            report.rejected.append(Rejected(offer.ref, f"La formation ne respecte pas le schéma LHEO 2.3 : {error}"))
            continue
        report.formations += 1
        report.sessions += len(offer.sessions)
        yield markup


def write(
    offers: Iterable[Offer], out: IO[bytes] | str, *, generated_at: datetime, shapes: Shapes | None = None
) -> Report:
    """Write the offers as one LHEO 2.3 file to `out` (a binary stream or a path). The file is opened at the
    first formation that can be written: when none can, nothing is written and `NothingToWrite` (with the
    report) is raised. `shapes`: the shapes proven (by default, none yet; the tests pass an auditing one)."""
    report = Report()
    stream: IO[bytes] | None = None
    opened = False
    try:
        for markup in formations(offers, report, shapes):
            if stream is None:
                if isinstance(out, str):
                    stream, opened = open(out, "wb", buffering=BUFFER), True  # noqa: SIM115
                else:
                    stream = io.BufferedWriter(_Unclosed(out), BUFFER)
                stream.write(
                    f'<?xml version="1.0" encoding="UTF-8"?>\n<lheo xmlns="{NS}" datecrea="'
                    f'{lheo_date(generated_at.date())}">\n<offres>\n'.encode()
                )
            stream.write(markup.encode())
            stream.write(b"\n")
        if stream is None:
            raise NothingToWrite(report)
        stream.write(b"</offres>\n</lheo>\n")
        stream.flush()
    finally:
        if stream is not None and opened:
            stream.close()
    return report


class _Unclosed(io.RawIOBase):
    """The caller's stream, written through a buffer that never closes it."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.target.write(bytes(data))
        return len(data)


__all__ = ["UNKNOWN_PUBLIC", "NothingToWrite", "clean", "escape", "formations", "lheo_date", "write"]
