"""The LHEO 2.3 schema as the writer uses it: the full `XMLSchema`, and what makes checking each formation
cheap without giving up soundness.

Validating every formation with the XSD would cost more than the whole budget of an export (libxml2 takes
about 0.1 ms per session here, on top of parsing the markup), so the writer relies on two properties of this
schema:

1. Every element of LHEO is a global element with a type of its own (content models only `ref` them), so an
   element's type depends on its name alone: whether a leaf value is valid depends only on the element's
   name and the value (its facets, read from the XSD itself: minLength, maxLength, length, enumeration,
   pattern; xs:long), and whether an element's content is valid depends only on its name, its attributes'
   names and its children (names, order, their own content), wherever it stands.
2. The schema has no identity constraint the writer could break (it writes no `id`/`idref`), and every
   attribute the writer writes (numero, datemaj, datecrea, info) is an unconstrained xs:string.

So a formation is valid when each of its leaf values passes its element's facets and its *skeleton* (the
sequence of its start tags with their attributes' names, and end tags, without texts or attribute values:
`skeleton()`) is one the XSD accepts. A formation's skeleton is cut into its actions' and the rest (each
action replaced by `action/`): an action's validity does not depend on the formation around it.

Leaf values. The writer checks at run time every value that can break a facet: free texts are cleaned (the
characters XML forbids removed), cut to the element's maxLength and left out (or replaced by a fixed
fallback) when empty, which meets minLength 1; codes are checked against the element's enumeration read from
the XSD (the domain's tables are a subset of them: tests/unit/test_lheo_writer.py proves it, so the check
never refuses a validated record); identifiers and the pieces made once per file (addresses, contacts,
organisations, funding lines...) go through the element's full facets. The rest is made by the writer in a
form that cannot break its facet: a date as AAAAMMJJ from a `date`, an hour as HH:MM from a `time`, a number
as the decimal digits of an `int` (18 at most: within xs:long), 0 or 1.

Skeletons. Recording every tag as it is written costs more than writing it, so the writer computes a *shape
key* per part instead: the markup of each part is made by one fixed template from the values it writes and
from its key, which holds what the template chooses (which optional elements and attributes are present, how
many times a repeated element occurs) and the skeletons of the pieces it contains (a piece made once per file
has its skeleton read from its markup by `skeleton()` when it is made). So two parts with the same key have
the same skeleton: the key stands for the skeleton. `Shapes(audit=True)` checks exactly that on every
formation (the tests write with it, over variations of every optional part): two formations whose keys are
equal must have equal skeletons, read from their markup.

`Shapes` keeps the keys proven: a formation with an unseen one is validated whole by the real XSD (lxml), and
its keys are remembered only when it passes. The first formations of each shape are validated with the XSD,
the others have their values checked, and no formation the XSD would refuse is ever written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from lxml import etree

NS = "http://lheo.gouv.fr/2.3"
SCHEMA = "data/lheo-2.3.xsd"  # in the `ofeli` package: a copy of lheo/lheo-2.3.xsd, byte for byte
_XS = "{http://www.w3.org/2001/XMLSchema}"
_LONG = (-(2**63), 2**63 - 1)
_INTEGER = re.compile(r"[+-]?[0-9]+")
_MOST = 1 << 62
# a leaf's facets as the writer checks them: fewest and most characters, the codes allowed, a pattern
Facets = tuple[int, int, frozenset[str] | None, re.Pattern[str] | None]


@dataclass(frozen=True)
class Leaf:
    """An element of simple content: its type's base and facets."""

    name: str
    base: str  # string, token, long
    min_length: int | None = None
    max_length: int | None = None
    enumeration: frozenset[str] | None = None
    patterns: tuple[re.Pattern[str], ...] = ()

    def error(self, value: str) -> str | None:
        """Why `value` is not valid for this element (None when it is). Never looser than the XSD: a token is
        taken as written (the XSD would collapse its spaces first)."""
        if self.base == "long":
            if not _INTEGER.fullmatch(value) or not _LONG[0] <= int(value) <= _LONG[1]:
                return f"« {value[:20]} » n'est pas un nombre entier"
            return None
        size = len(value)
        if self.min_length is not None and size < self.min_length:
            return f"« {value[:50]} » compte {size} caractère(s), {self.min_length} au moins"
        if self.max_length is not None and size > self.max_length:
            return f"le texte compte {size} caractères, {self.max_length} au plus"
        if self.enumeration is not None and value not in self.enumeration:
            return f"« {value[:20]} » n'est pas un code de la nomenclature LHEO"
        for pattern in self.patterns:
            if not pattern.fullmatch(value):
                return f"« {value[:20]} » n'a pas la forme attendue"
        return None


@dataclass(frozen=True)
class Schema:
    xml: etree.XMLSchema
    leaves: dict[str, Leaf]  # simple-content elements by name
    open_content: frozenset[str]  # elements of type xs:anyType (extra): anything inside
    facets: dict[str, Facets]  # the leaves' facets as the writer checks them


@cache
def schema() -> Schema:
    """The LHEO 2.3 schema, read once (at first use) from the layer's copy."""
    with resources.files("ofeli").joinpath(SCHEMA).open("rb") as stream:
        document = etree.parse(stream)
    leaves, open_content = _leaves(document.getroot())
    return Schema(etree.XMLSchema(document), leaves, open_content, _facets(leaves))


def _facets(leaves: dict[str, Leaf]) -> dict[str, Facets]:
    out: dict[str, Facets] = {}
    for name, leaf in leaves.items():
        if leaf.base == "long":  # 18 digits at most: always within xs:long
            out[name] = (1, 19, None, _INTEGER)
            continue
        if len(leaf.patterns) > 1:
            raise ValueError(f"LHEO schema: {name} has several patterns")
        pattern = leaf.patterns[0] if leaf.patterns else None
        out[name] = (
            leaf.min_length or 0,
            _MOST if leaf.max_length is None else leaf.max_length,
            leaf.enumeration,
            pattern,
        )
    return out


def _leaves(root: etree._Element) -> tuple[dict[str, Leaf], frozenset[str]]:
    simple = {t.get("name"): t for t in root.findall(f"{_XS}simpleType")}
    complex_ = {t.get("name"): t for t in root.findall(f"{_XS}complexType")}
    leaves: dict[str, Leaf] = {}
    open_content: set[str] = set()
    for element in root.findall(f"{_XS}element"):
        name = str(element.get("name"))
        type_name = str(element.get("type")).split(":")[-1]
        if type_name == "anyType" or element.get("type") == "xs:anyType":
            open_content.add(name)
            continue
        declared = complex_.get(type_name)
        if declared is None:
            raise ValueError(f"LHEO schema: the type of {name} is not a complex type")
        extension = declared.find(f"{_XS}simpleContent/{_XS}extension")
        if extension is None:
            if declared.find(f"{_XS}complexContent/{_XS}extension[@base='xs:anyType']") is not None:
                open_content.add(name)
            continue
        base = str(extension.get("base")).split(":")[-1]
        restriction = simple[base].find(f"{_XS}restriction") if base in simple else None
        if restriction is None:
            raise ValueError(f"LHEO schema: the simple type of {name} is not a restriction")
        leaves[name] = _leaf(name, restriction)
    return leaves, frozenset(open_content)


def _leaf(name: str, restriction: etree._Element) -> Leaf:
    base = str(restriction.get("base")).removeprefix("xs:")
    if base not in ("string", "token", "long"):
        raise ValueError(f"LHEO schema: {name} is of base {base}, which the writer does not check")
    facets: dict[str, object] = {}
    enumeration: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for facet in restriction:
        kind = etree.QName(facet).localname
        value = str(facet.get("value"))
        if kind == "enumeration":
            enumeration.add(value)
        elif kind == "pattern":
            patterns.append(re.compile(value))
        elif kind in ("minLength", "maxLength"):
            facets[kind] = int(value)
        elif kind == "length":
            facets["minLength"] = facets["maxLength"] = int(value)
        else:
            raise ValueError(f"LHEO schema: facet {kind} of {name} is not checked by the writer")
    return Leaf(
        name=name,
        base=base,
        min_length=facets.get("minLength"),  # type: ignore[arg-type]
        max_length=facets.get("maxLength"),  # type: ignore[arg-type]
        enumeration=frozenset(enumeration) if enumeration else None,
        patterns=tuple(patterns),
    )


def schema_error(markup: str) -> str | None:
    """The XSD's first complaint about one formation (markup of a `formation` without namespace declaration),
    wrapped in `lheo/offres`; None when it is valid."""
    checker = schema().xml
    document = etree.fromstring(f'<lheo xmlns="{NS}"><offres>{markup}</offres></lheo>'.encode())
    if checker.validate(document):
        return None
    error = checker.error_log[0] if len(checker.error_log) else None
    return str(error.message).replace("{" + NS + "}", "") if error is not None else "document refusé"


_TAGS = re.compile(r"<[^>]*>")
_VALUES = re.compile(r'"[^"]*"')


def skeleton(markup: str) -> str:
    """The tags of `markup` without their attributes' values. Sound for the writer's markup only: its texts and
    attribute values are escaped (no `<` or `>` in a text, no `"` in an attribute value)."""
    return _VALUES.sub('""', "".join(_TAGS.findall(markup)))


def skeletons(markup: str) -> list[str]:
    """A formation's skeletons as its shape keys stand for them: the rest (each action as `action/`), then
    each action's."""
    rest: list[str] = []
    actions: list[str] = []
    inside: list[str] | None = None
    for tag in _TAGS.findall(markup):
        if inside is None and (tag.startswith("<action ") or tag == "<action>"):
            inside = [tag]
            rest.append("action/")
        elif inside is not None:
            inside.append(tag)
            if tag == "</action>":
                actions.append(_VALUES.sub('""', "".join(inside)))
                inside = None
        else:
            rest.append(tag)
    return [_VALUES.sub('""', "".join(rest)), *actions]


class Shapes:
    """The shapes proven valid by the XSD during one export (see the module's docstring)."""

    def __init__(self, validate: Callable[[str], str | None] = schema_error, *, audit: bool = False) -> None:
        self.known: set[Hashable] = set()
        self.validate = validate
        self.validations = 0  # formations validated whole with the XSD (the bench prints it)
        self.audit = audit
        self.seen: dict[Hashable, str] = {}  # audit: the skeleton each key stood for

    def error(self, markup: str, keys: Sequence[Hashable]) -> str | None:
        """None when the formation is valid: its shape keys (the rest's, then each action's) all proven, or
        the XSD accepts it whole (its leaf values were checked as they were written)."""
        if self.audit:
            self.check_keys(markup, keys)
        found = set(keys)
        if found <= self.known:
            return None
        self.validations += 1
        error = self.validate(markup)
        if error is None:
            self.known |= found
        return error

    def check_keys(self, markup: str, keys: Sequence[Hashable]) -> None:
        """That each key stands for one skeleton (read from the markup): raises AssertionError otherwise."""
        found = skeletons(markup)
        if len(found) != len(keys):
            raise AssertionError(f"{len(keys)} shape keys for {len(found)} skeletons")
        for key, shape in zip(keys, found, strict=True):
            known = self.seen.setdefault(key, shape)
            if known != shape:
                raise AssertionError(f"one shape key for two skeletons:\n{key!r}\n{known}\n{shape}")
