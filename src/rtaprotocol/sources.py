"""Every source the library relies on, and references that name them.

Each figure, refusal and explanation the library gives cites a rule: ``"guide 6.5.2 (1)"``,
``"Whiplash Injury Regulations 2021, reg 3(3)"``, ``"Limitation Act 1980 ss.11, 28"``.
This module makes those citations checkable:

- :data:`SOURCES` is the registry: one :class:`Source` per document (the OIC guide, the
  protocol, each Act, regulation, judgment, CPR provision, the JCG edition, the GOV.UK
  bank-holiday list, ...), with a stable ``id``, its title and publisher, a public URL
  where one was confirmed (``None`` otherwise), the date it was checked, a
  :class:`Confidence` mark and a note saying what is unconfirmed.
- :class:`Reference` is the short text the library emits, as a ``str`` subclass: it
  compares, prints and serialises exactly as the text it always was, and its
  :attr:`~Reference.citations` are the (source, pinpoint) pairs it names, resolved from
  the registry.

>>> ref = Reference("guide 6.5.2 (1), 6.5.2.1")
>>> ref == "guide 6.5.2 (1), 6.5.2.1"
True
>>> [(c.source.id, c.pinpoint) for c in ref.citations]
[('oic-guide', '6.5.2 (1)'), ('oic-guide', '6.5.2.1')]
>>> Reference("Civil Liability Act 2018 s.3: a tariff injury lasts not more than 2 years; guide 4.4.1").to_dict()["citations"]
[{'source': 'cla-2018', 'pinpoint': 's.3', 'text': 'Civil Liability Act 2018 s.3'}, {'source': 'oic-guide', 'pinpoint': '4.4.1', 'text': 'guide 4.4.1'}]

Text that names no registered source resolves to no citation; :func:`resolve` refuses it:

>>> resolve("because I say so")
Traceback (most recent call last):
...
rtaprotocol.errors.RulesError: reference: names no registered source (see rtaprotocol sources): got 'because I say so' [rtaprotocol sources]

The grammar a reference follows: clauses separated by ``;``; in each, a source's name
(``guide``, ``protocol``, ``Civil Liability Act 2018``, ``CLA 2018``, ...) followed by
pinpoints separated by ``,``, ``and``, ``or`` or ``to`` (``6.5.2 (1)``, ``s.3``,
``reg 2(1)(a)``, ``Sch 2``, ``para 4.3``, ``Part 1``). A gloss may follow a pinpoint in
brackets (``guide 1.1.1 (non-protocol vehicle costs)``) or after a colon, and a plain
sentence may carry its citations in brackets (``amounts are pounds and pence, never
negative (guide 4.4, 6.5.2)``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Final, final

import attrs

from rtaprotocol import _data, errors
from rtaprotocol._data import Confidence
from rtaprotocol.errors import ErrorCode, RulesError

__all__ = [
    "SOURCES",
    "Citation",
    "Confidence",
    "Reference",
    "Source",
    "cite",
    "resolve",
    "source",
]

_REFERENCE: Final = "rtaprotocol sources"


@final
@attrs.frozen
class Source:
    """One document the library relies on.

    ``names`` are the ways references spell the source (``"guide"``, ``"CLA 2018"``);
    ``pinpoint`` is the pattern a pinpoint into it must match (a section number, a
    regulation, a paragraph); ``pinpoint_required`` says whether a bare mention of the
    source, with no pinpoint, is a citation of the whole document (for a judgment or an
    agreement) or too vague to count.

    >>> source("cla-2018").title
    'Civil Liability Act 2018'
    >>> source("cla-2018").to_dict()["confidence"]
    'primary text read'
    """

    id: str
    title: str
    publisher: str = attrs.field(repr=False)
    url: str | None
    checked: date = attrs.field(repr=False)
    confidence: Confidence
    note: str = attrs.field(repr=False)
    names: tuple[str, ...] = attrs.field(repr=False)
    pinpoint: str = attrs.field(default=r"[0-9A-Za-z][0-9A-Za-z.]*", repr=False)
    pinpoint_required: bool = attrs.field(default=True, repr=False)

    def to_dict(self) -> dict[str, object]:
        """Return the source as JSON-ready data (the date ISO, the confidence its text)."""
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "checked": self.checked.isoformat(),
            "confidence": self.confidence.value,
            "note": self.note,
            "names": list(self.names),
        }


@final
@attrs.frozen
class Citation:
    """One registered source and a pinpoint into it (``""`` for the whole document).

    ``text`` is the short form it renders as: the name the reference used, then the
    pinpoint (``"guide 6.5.2 (1)"``).

    >>> Citation(source("oic-guide"), "6.5.2 (1)", "guide 6.5.2 (1)").to_dict()
    {'source': 'oic-guide', 'pinpoint': '6.5.2 (1)', 'text': 'guide 6.5.2 (1)'}
    """

    source: Source
    pinpoint: str
    text: str

    def __str__(self) -> str:
        return self.text

    def to_dict(self) -> dict[str, str]:
        """Return ``{"source": id, "pinpoint": ..., "text": ...}``."""
        return {"source": self.source.id, "pinpoint": self.pinpoint, "text": self.text}


#: The registry: every source the library cites, by id, from the data file
#: src/rtaprotocol/data/rules/sources/registry.json (a new source is one entry there; see
#: docs/maintaining.md).
SOURCES: Final[Mapping[str, Source]] = {
    s.id: Source(
        id=s.id,
        title=s.title,
        publisher=s.publisher,
        url=s.url,
        checked=s.checked,
        confidence=s.confidence,
        note=s.note,
        names=s.names,
        **({} if s.pinpoint is None else {"pinpoint": s.pinpoint}),
        pinpoint_required=s.pinpoint_required,
    )
    for s in _data.sources()
}


def source(source_id: str) -> Source:
    """Return the registered source ``source_id``; an unknown id raises RulesError.

    >>> source("limitation-act-1980").url
    'https://www.legislation.gov.uk/ukpga/1980/58'
    >>> source("facts")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: source: no such source: got 'facts' [rtaprotocol sources]
    """
    try:
        return SOURCES[source_id]
    except (KeyError, TypeError):
        raise RulesError(
            "no such source",
            value=source_id,
            field="source",
            reference=_REFERENCE,
            code=ErrorCode.VALUE_INVALID,
        ) from None


_NAMES: Final = sorted(
    ((name, s) for s in SOURCES.values() for name in s.names), key=lambda pair: -len(pair[0])
)
_NAME_RE: Final = re.compile(
    "|".join(
        rf"(?P<n{i}>(?<![\w'-])" + re.escape(name) + r"(?![\w'-])(?!\.\w))"
        for i, (name, _) in enumerate(_NAMES)
    )
)
_BY_GROUP: Final = {f"n{i}": s for i, (_, s) in enumerate(_NAMES)}
_LEAD: Final = re.compile(r",?\s+")
_SEPARATOR: Final = re.compile(r"\s*(?:,\s*|\s+and\s+|\s+or\s+|\s+to\s+)")
_GLOSS: Final = re.compile(r" \((?:[^()]|\([^()]*\))*\)")
_PREFIX: Final = re.compile(r"(ss?\.|s |regs? |rule |r\.|Sch |Schedule |Part |paras? |art )")
_SINGULAR: Final = {"ss.": "s.", "regs ": "reg ", "paras ": "para "}


@lru_cache(maxsize=64)
def _pinpoint_re(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{pattern})(?!\w)(?!\.\w)")


def _pinpoints(text: str, start: int, src: Source) -> Iterator[str]:
    """Yield each pinpoint after a source's name ending at ``start``.

    A plural prefix becomes singular, and a bare number after a prefixed pinpoint takes
    its prefix: ``ss.11, 28`` gives ``s.11`` and ``s.28``.
    """
    pin = _pinpoint_re(src.pinpoint)
    lead = _LEAD.match(text, start)
    if lead is None:
        return
    pos = lead.end()
    prefix = ""
    while True:
        found = pin.match(text, pos)
        if found is None:
            return
        value = found.group(0)
        has_prefix = _PREFIX.match(value)
        if has_prefix:
            prefix = _SINGULAR.get(has_prefix.group(0), has_prefix.group(0))
            value = prefix + value[has_prefix.end() :]
        elif value[0].isdigit():
            value = prefix + value
        yield value
        pos = found.end()
        gloss = _GLOSS.match(text, pos)
        if gloss:
            pos = gloss.end()
        sep = _SEPARATOR.match(text, pos)
        if sep is None:
            return
        pos = sep.end()


@lru_cache(maxsize=4096)
def _resolve(text: str) -> tuple[Citation, ...]:
    found: list[Citation] = []
    for match in _NAME_RE.finditer(text):
        src = _BY_GROUP[str(match.lastgroup)]
        name = match.group(0)
        pins = list(_pinpoints(text, match.end(), src))
        found.extend(Citation(src, p, f"{name} {p}") for p in pins)
        if not pins:
            found.append(Citation(src, "", name))
    return tuple(found)


def cite(text: str) -> tuple[Citation, ...]:
    """Return the citations ``text`` names, in order (empty when it names none).

    A mention of a source that needs a pinpoint but has none comes back with pinpoint
    ``""``, which :func:`resolve` refuses.

    >>> [c.text for c in cite("Limitation Act 1980 ss.11, 28; guide 5.4")]
    ['Limitation Act 1980 s.11', 'Limitation Act 1980 s.28', 'guide 5.4']
    >>> [c.text for c in cite("guide 1.1.1 (non-protocol vehicle costs), 5.3 (fees)")]
    ['guide 1.1.1', 'guide 5.3']
    >>> cite("the batch functions work row by row")
    ()
    """
    return _resolve(str(text))


def resolve(text: str) -> tuple[Citation, ...]:
    """Return the citations ``text`` names; raise RulesError unless it fully resolves.

    Fully resolves: it names at least one registered source, every source that needs a
    pinpoint (the guide, a statute, a regulation) is given one, and every guide pinpoint
    is a numbered section of the guide (``rtaprotocol coverage`` lists them).

    >>> [c.to_dict()["source"] for c in resolve("guide 6.6.2.1")]
    ['oic-guide']
    >>> resolve("see the guide")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: reference: cites oic-guide without a pinpoint: got 'see the guide' [rtaprotocol sources]
    >>> resolve("guide 6.9")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: reference: cites guide 6.9, which is not a numbered section of the guide: got 'guide 6.9' [rtaprotocol sources]
    """
    citations = cite(text)
    if not citations:
        raise _unresolved(text, "names no registered source (see rtaprotocol sources)")
    for c in citations:
        if c.source.pinpoint_required and not c.pinpoint:
            raise _unresolved(text, f"cites {c.source.id} without a pinpoint")
        if c.source.id == "oic-guide" and _SUB_ITEM.sub("", c.pinpoint) not in _guide_numbers():
            raise _unresolved(
                text, f"cites guide {c.pinpoint}, which is not a numbered section of the guide"
            )
    return citations


_SUB_ITEM: Final = re.compile(r" ?\(.*$")


def _unresolved(text: str, why: str) -> RulesError:
    """Return the refusal of a reference ``text`` that does not fully resolve."""
    return RulesError(
        why, value=text, field="reference", reference=_REFERENCE, code=ErrorCode.VALUE_INVALID
    )


@lru_cache(maxsize=1)
def _guide_numbers() -> frozenset[str]:
    """Every numbered section of the guide, from the coverage map shipped with the package."""
    path = resources.files("rtaprotocol") / "data" / "guide-coverage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(entry["number"] for entry in data["sections"])


class Reference(str):
    """A reference as the library emits it: its short text, with the citations it names.

    A ``str`` subclass, so ``err.reference == "guide 6.5.2"``, ``print`` and JSON keep the
    text exactly; :attr:`citations` resolves it against :data:`SOURCES` (on first use).

    >>> ref = Reference("Whiplash Injury Regulations 2021, reg 3(3)")
    >>> str(ref), ref.citations[0].source.id, ref.citations[0].pinpoint
    ('Whiplash Injury Regulations 2021, reg 3(3)', 'whiplash-regs-2021', 'reg 3(3)')
    >>> import json; json.dumps({"reference": ref})
    '{"reference": "Whiplash Injury Regulations 2021, reg 3(3)"}'
    """

    __slots__ = ()

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The (source, pinpoint) pairs this reference names (empty if it names none)."""
        return cite(self)

    def to_dict(self) -> dict[str, object]:
        """Return ``{"text": ..., "citations": [{"source", "pinpoint", "text"}, ...]}``.

        >>> Reference("guide 6.5.2 (3), 6.3.1.4").to_dict()
        {'text': 'guide 6.5.2 (3), 6.3.1.4', 'citations': [{'source': 'oic-guide', 'pinpoint': '6.5.2 (3)', 'text': 'guide 6.5.2 (3)'}, {'source': 'oic-guide', 'pinpoint': '6.3.1.4', 'text': 'guide 6.3.1.4'}]}
        """
        return {"text": str(self), "citations": [c.to_dict() for c in self.citations]}


# Every error's reference is a Reference from now on: the errors module names sources by
# their text and never imports this one (issue 25: no errors <-> sources cycle).
errors._register_reference_type(Reference)
