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
from enum import Enum
from functools import lru_cache
from importlib import resources
from typing import Final, final

import attrs

from rtaprotocol.errors import RulesError

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


class Confidence(Enum):
    """How far the library's reading of a source has been checked."""

    #: The primary text itself (statute, regulation, judgment, the guide) was read.
    PRIMARY = "primary text read"
    #: Two or more secondary sources agree; the primary text was not read.
    SECONDARY = "secondary sources agree"
    #: Not confirmed: held as data that can be changed, and the docs say so.
    UNCONFIRMED = "unconfirmed"


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


_CHECKED: Final = date(2026, 11, 28)
_SECTION: Final = r"[1-6](?:\.[0-9]+)*(?: ?\((?:[0-9]+|[a-z])\))*|Appendix|Tariff"
_STATUTE: Final = (
    r"(?:ss?\.|s |reg |regs |rule |r\.|Sch |Schedule |Part |para |paras |art |PD )?"
    r"[0-9]+[A-Z]?(?:\.[0-9]+)*(?: ?\((?:[0-9]+|[a-z]+)\))*"
)

#: The registry: every source the library cites, by id.
SOURCES: Final[Mapping[str, Source]] = {
    s.id: s
    for s in (
        Source(
            id="oic-guide",
            title='Official Injury Claim "Guide to Making a Claim" (under the RTA small claims protocol)',
            publisher="Official Injury Claim (Motor Insurers' Bureau, for the Ministry of Justice)",
            url="https://www.officialinjuryclaim.org.uk/resources-for-professionals/user-guides/",
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note=(
                "The library's main specification; section numbers are the guide's own. The "
                "text read states no version number or publication date; it gives 31 May 2021 "
                "as the start of the regime, says the tariff will be reviewed 'in 2024 at the "
                "earliest' and extracts the JCG 17th edition, so it predates the 2025 tariff. "
                "Where the guide and the protocol differ, the protocol takes precedence."
            ),
            names=("guide", "Guide"),
            pinpoint=_SECTION,
        ),
        Source(
            id="rta-small-claims-protocol",
            title=(
                "Pre-Action Protocol for Personal Injury Claims below the Small Claims Limit in "
                "Road Traffic Accidents (the RTA Small Claims Protocol)"
            ),
            publisher="Ministry of Justice (Civil Procedure Rules)",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.SECONDARY,
            note=(
                "Cited by paragraph (para 4.3: the excluded claims). The paragraph contents are "
                "taken from the guide's own account and agreeing secondary sources; the "
                "protocol's own definition of 'business day' is unconfirmed (the sibling "
                "protocols' definition is used). Public URL not confirmed."
            ),
            names=("protocol", "RTA Small Claims Protocol"),
            pinpoint=r"para [0-9]+(?:\.[0-9]+)*(?: ?\([0-9]+\))*",
        ),
        Source(
            id="cla-2018",
            title="Civil Liability Act 2018",
            publisher="UK Parliament (legislation.gov.uk)",
            url="https://www.legislation.gov.uk/ukpga/2018/29",
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note="Part 1 (whiplash): s.1 definition, s.3 tariff (2 years), s.5 uplift.",
            names=("Civil Liability Act 2018", "CLA 2018"),
            pinpoint=_STATUTE,
        ),
        Source(
            id="whiplash-regs-2021",
            title="Whiplash Injury Regulations 2021 (SI 2021/642)",
            publisher="Ministry of Justice (legislation.gov.uk)",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note=(
                "Reg 2: the tariff table as made (also reproduced on the guide's 'Tariff' "
                "page); reg 3: uplift up to 20%. Public URL not confirmed by the library."
            ),
            names=(
                "Whiplash Injury Regulations 2021 (SI 2021/642)",
                "Whiplash Injury Regulations 2021",
                "SI 2021/642",
                "WIR 2021",
            ),
            pinpoint=_STATUTE,
            pinpoint_required=False,
        ),
        Source(
            id="whiplash-amendment-2025",
            title="Whiplash Injury (Amendment) Regulations 2025",
            publisher="Ministry of Justice (legislation.gov.uk)",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.SECONDARY,
            note=(
                "Splits the tariff into Table 1 (accidents before 31 May 2025) and Table 2 (on "
                "or after). Figures agree across secondary sources (MoJ review of 21 Nov 2024, "
                "Lords debate 6 May 2025, law-firm summaries); the SI number is UNCONFIRMED."
            ),
            names=("Whiplash Injury (Amendment) Regulations 2025",),
            pinpoint=_STATUTE,
            pinpoint_required=False,
        ),
        Source(
            id="hassam-uksc-2024",
            title="Hassam v Rabot [2024] UKSC 11",
            publisher="UK Supreme Court",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note=(
                "Mixed injuries: value each part, add, step back and deduct any overlap from "
                "the non-tariff part only; the total is never below the non-tariff figure. "
                "Worked examples as in guide 4.4.2."
            ),
            names=("Hassam v Rabot [2024] UKSC 11", "[2024] UKSC 11", "Hassam v Rabot"),
            pinpoint=r"para [0-9]+|\[[0-9]+\]",
            pinpoint_required=False,
        ),
        Source(
            id="hassam-ewca-2023",
            title="Hassam v Rabot [2023] EWCA Civ 19",
            publisher="Court of Appeal (Civil Division)",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.SECONDARY,
            note="The Court of Appeal decision the Supreme Court upheld in [2024] UKSC 11.",
            names=("[2023] EWCA Civ 19",),
            pinpoint=r"para [0-9]+|\[[0-9]+\]",
            pinpoint_required=False,
        ),
        Source(
            id="ssrba-1997",
            title="Social Security (Recovery of Benefits) Act 1997",
            publisher="UK Parliament (legislation.gov.uk)",
            url="https://www.legislation.gov.uk/ukpga/1997/27",
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note=(
                "Sch 2: CRU is set off head for head (earnings, care, mobility), never against "
                "damages for pain, suffering and loss of amenity. Which loss types count as "
                "'loss of mobility' is UNCONFIRMED."
            ),
            names=("Social Security (Recovery of Benefits) Act 1997", "SSRBA 1997"),
            pinpoint=_STATUTE,
        ),
        Source(
            id="limitation-act-1980",
            title="Limitation Act 1980",
            publisher="UK Parliament (legislation.gov.uk)",
            url="https://www.legislation.gov.uk/ukpga/1980/58",
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note="s.11 (three years for personal injury), s.14 (knowledge), s.28 (disability).",
            names=("Limitation Act 1980",),
            pinpoint=_STATUTE,
        ),
        Source(
            id="cpr-26",
            title="Civil Procedure Rules, Part 26 (rules 26.9 and 26.10: the small claims track limits)",
            publisher="Ministry of Justice (Civil Procedure Rule Committee)",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note=(
                "The £5,000 injury and £10,000 total limits for RTA claims and the lower limit "
                "in a 26.10 circumstance (CPR 26.6 as it was before October 2023). URL not "
                "confirmed."
            ),
            names=("CPR",),
            pinpoint=r"(?:r\.|rule |Part )?[0-9]+(?:\.[0-9]+)*(?: ?\([0-9a-z]+\))*",
        ),
        Source(
            id="cpr-pd-27a",
            title="CPR Practice Direction 27A (small claims track)",
            publisher="Ministry of Justice (Civil Procedure Rule Committee)",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.SECONDARY,
            note="Para 7.3(2): experts' fees up to £750 for each expert. URL not confirmed.",
            names=("PD 27A",),
            pinpoint=r"para [0-9]+(?:\.[0-9]+)*(?: ?\([0-9]+\))*",
        ),
        Source(
            id="cpr-pd-51zb",
            title="CPR Practice Direction 51ZB (the damages claims pilot, HMCTS online)",
            publisher="Ministry of Justice (Civil Procedure Rule Committee)",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.SECONDARY,
            note=(
                "Online damages claims; only a 'reject all of the claim' response stays online "
                "(see the HMCTS page). Not encoded; listed for the seeds. URL not confirmed."
            ),
            names=("PD 51ZB",),
            pinpoint=r"para [0-9]+(?:\.[0-9]+)*",
            pinpoint_required=False,
        ),
        Source(
            id="jcg-17",
            title="Judicial College Guidelines for the Assessment of General Damages in Personal Injury Cases, 17th edition (as extracted in the guide's Appendix)",
            publisher="Judicial College (Oxford University Press)",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note=(
                "The library encodes only the guide's Appendix extract of the 17th edition "
                "(the text read); later editions' figures are not encoded."
            ),
            names=(
                "Judicial College Guidelines (17th edition)",
                "Judicial College Guidelines",
                "JCG",
            ),
            pinpoint=r"ch\.? ?[0-9]+|chapter [0-9]+",
            pinpoint_required=False,
        ),
        Source(
            id="govuk-bank-holidays",
            title="UK bank holidays (GOV.UK), England and Wales division",
            publisher="Government Digital Service (GOV.UK)",
            url="https://www.gov.uk/bank-holidays.json",
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note=(
                "The calendar uses the holidays package (subdiv ENG); the test suite "
                "cross-checks it against this list (govuk-bank-holidays). Holidays proclaimed "
                "after a release are passed in by the caller."
            ),
            names=("GOV.UK bank holidays",),
            pinpoint=r"england-and-wales",
            pinpoint_required=False,
        ),
        Source(
            id="bfda-1971",
            title="Banking and Financial Dealings Act 1971",
            publisher="UK Parliament (legislation.gov.uk)",
            url="https://www.legislation.gov.uk/ukpga/1971/80",
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note="s.1 and Sch 1: bank holidays in England and Wales, and proclaimed extra days.",
            names=("Banking and Financial Dealings Act 1971",),
            pinpoint=_STATUTE,
            pinpoint_required=False,
        ),
        Source(
            id="low-value-rta-protocol",
            title="Pre-Action Protocol for Low Value Personal Injury Claims in Road Traffic Accidents",
            publisher="Ministry of Justice (Civil Procedure Rules)",
            url="https://www.justice.gov.uk/courts/procedure-rules/civil/protocol/prot_rta",
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note=(
                "A sibling protocol: its para 1.1 defines 'business day' (any day except "
                "Saturday, Sunday, a bank holiday, Good Friday or Christmas Day), the "
                "definition this library applies to the RTA small claims protocol, whose own "
                "wording is UNCONFIRMED."
            ),
            names=("low-value RTA protocol", "RTA Protocol", "sibling protocols"),
            pinpoint=r"para [0-9]+(?:\.[0-9]+)*(?: ?\([0-9]+\))*",
            pinpoint_required=False,
        ),
        Source(
            id="elpl-protocol",
            title="Pre-Action Protocol for Low Value Personal Injury (Employers' Liability and Public Liability) Claims",
            publisher="Ministry of Justice (Civil Procedure Rules)",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.SECONDARY,
            note="A sibling protocol with the same 'business day' definition (para 1.1). URL not confirmed.",
            names=("EL/PL protocol", "EL/PL Protocol"),
            pinpoint=r"para [0-9]+(?:\.[0-9]+)*(?: ?\([0-9]+\))*",
            pinpoint_required=False,
        ),
        Source(
            id="claims-portal",
            title="Claims Portal (low-value RTA, EL and PL claims)",
            publisher="Claims Portal Ltd",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note=(
                "The older portal for professional users under the sibling protocols (the "
                "seeds' home page text); not the OIC portal this library encodes. URL not "
                "confirmed."
            ),
            names=("Claims Portal",),
            pinpoint_required=False,
        ),
        Source(
            id="hmcts-damages-claims",
            title="HMCTS online damages claims (PD 51ZB)",
            publisher="HM Courts & Tribunals Service",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note=(
                "Damages claims issued and answered online since 2022; only 'reject all of "
                "the claim' responses stay online. Not encoded. URL not confirmed."
            ),
            names=("HMCTS damages claims",),
            pinpoint_required=False,
        ),
        Source(
            id="mib-untraced-drivers-2017",
            title="Untraced Drivers' Agreement 2017 (Motor Insurers' Bureau)",
            publisher="Motor Insurers' Bureau and the Secretary of State for Transport",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.SECONDARY,
            note="Claims against an untraced driver cannot use the portal (guide 4.2). URL not confirmed.",
            names=("Untraced Drivers' Agreement 2017",),
            pinpoint=r"clause [0-9]+",
            pinpoint_required=False,
        ),
        Source(
            id="hswa-1974",
            title="Health and Safety at Work etc Act 1974",
            publisher="UK Parliament (legislation.gov.uk)",
            url="https://www.legislation.gov.uk/ukpga/1974/37",
            checked=_CHECKED,
            confidence=Confidence.SECONDARY,
            note="s.53: a claim partly caused by a breach of it cannot use the portal (guide 4.2).",
            names=("Health and Safety at Work etc Act 1974",),
            pinpoint=_STATUTE,
            pinpoint_required=False,
        ),
        Source(
            id="vata-1994",
            title="Value Added Tax Act 1994",
            publisher="UK Parliament (legislation.gov.uk)",
            url="https://www.legislation.gov.uk/ukpga/1994/23",
            checked=_CHECKED,
            confidence=Confidence.SECONDARY,
            note="s.2: the standard rate (20%), a parameter the caller passes.",
            names=("Value Added Tax Act 1994",),
            pinpoint=_STATUTE,
        ),
        Source(
            id="rtaprotocol",
            title="rtaprotocol's own documented limits and input contracts",
            publisher="rtaprotocol",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note=(
                "Not law: the library's own limits (the dates its calendar and tariff tables "
                "cover, the shapes of its input files and batch columns). Cited where a refusal "
                "comes from the library rather than from a rule of law; each pinpoint is a "
                "documented contract (`rtaprotocol schema NAME` prints the file schemas)."
            ),
            names=("rtaprotocol",),
            pinpoint=(
                r"schema [a-z][a-z0-9-]*|schemas|sources|calendar|tariff tables|batch columns|"
                r"batch rows|dates|negotiate file|payment pairs|percentages|amounts|"
                r"claim versions|event ids|json text|claim snapshots"
            ),
        ),
        Source(
            id="si-2023-572",
            title="Civil Procedure (Amendment No. 2) Rules 2023 (SI 2023/572)",
            publisher="UK Parliament (legislation.gov.uk)",
            url="https://www.legislation.gov.uk/uksi/2023/572",
            checked=_CHECKED,
            confidence=Confidence.SECONDARY,
            note=(
                "The intermediate track and CPR 26.9(10) from 1 October 2023. r.2(2): the "
                "allocation amendments apply (a) to a personal injury claim other than a "
                "disease claim whose cause of action accrues on or after 1 October 2023, "
                "(b) to a disease claim where no letter of claim was sent before that day. "
                "r.2(1) and (2) read as quoted by a practitioner source (Civil Litigation "
                "Brief, 25 September 2023), the opening of r.2(1) on vLex; the official text "
                "itself was not read. It also substituted CPR Part 45 (fixed costs; London "
                "weighting now rule 45.3): r.2(2)(a) keeps the old Part 45 for a personal "
                "injury claim whose cause of action accrued before that day."
            ),
            names=("SI 2023/572",),
            pinpoint=_STATUTE,
            pinpoint_required=False,
        ),
        Source(
            id="si-2024-106",
            title="Civil Procedure (Amendment) Rules 2024 (SI 2024/106)",
            publisher="UK Parliament (legislation.gov.uk)",
            url="https://www.legislation.gov.uk/uksi/2024/106/made",
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note=(
                "r.6(2), from 6 April 2024: the clinical negligence exception in CPR "
                "26.9(10)(b) needs an admission of liability in full in the letter of "
                "response under the Pre-Action Protocol for the Resolution of Clinical "
                "Disputes (text read on legislation.gov.uk, as made)."
            ),
            names=("SI 2024/106",),
            pinpoint=_STATUTE,
            pinpoint_required=False,
        ),
        Source(
            id="mib-uninsured-drivers-2015",
            title="Uninsured Drivers' Agreement 2015 (Motor Insurers' Bureau)",
            publisher="Motor Insurers' Bureau and the Secretary of State for Transport",
            url=None,
            checked=_CHECKED,
            confidence=Confidence.SECONDARY,
            note=(
                "A traced but uninsured driver: the MIB meets an unsatisfied judgment and is "
                "the compensator (OIC portal, guide 6.3.1) or defendant (RTA Protocol para "
                "1.1, 6.11) within the protocols. Clause numbers not confirmed; URL not "
                "confirmed."
            ),
            names=("Uninsured Drivers' Agreement 2015",),
            pinpoint=r"clause [0-9]+",
            pinpoint_required=False,
        ),
        Source(
            id="cpr-pd-27b",
            title=(
                "CPR Practice Direction 27B: claims under the Pre-Action Protocol for Personal "
                "Injury Claims below the Small Claims Limit in Road Traffic Accidents (court "
                "procedure), in force 31 May 2021"
            ),
            publisher="Ministry of Justice (Civil Procedure Rule Committee)",
            url=(
                "https://www.justice.gov.uk/courts/procedure-rules/civil/rules/part27/"
                "practice-direction-27b-claims-under-the-pre-action-protocol-for-personal-"
                "injury-claims-below-the-small-claims-limit-in-road-traffic-accidents-court-"
                "procedure"
            ),
            checked=_CHECKED,
            confidence=Confidence.PRIMARY,
            note=(
                "The court stage of a portal claim. Read: para 1.2(3) (Appendix C's Tables A "
                "to G, the court pack for each section), para 1.3 and Table 27.1's rows for "
                "Sections 2 to 8 (liability denied in full; the value with liability not in "
                "dispute, admitted in part but disputed, with non-protocol vehicle costs, with "
                "an uplift; application for interim payment; non-payment of an agreed interim "
                "payment) and the start of Section 9's row (starting proceedings because of "
                "limitation). Para 9.2 and the stay in para 9.5 as quoted in commentary. "
                "UNCONFIRMED: which Appendix C table goes with which section (the library "
                "reads A to G as Sections 2 to 8, in order), and Sections 10 and 11."
            ),
            names=("PD 27B", "Practice Direction 27B"),
            pinpoint=(
                r"para [0-9]+(?:\.[0-9]+)*(?: ?\([0-9]+\))*|Section [0-9]+|Table 27\.1|"
                r"Appendix C(?: Table [A-G])?"
            ),
        ),
        Source(
            id="cpr-amendment-no6-2014",
            title="Civil Procedure (Amendment No. 6) Rules 2014 (SI 2014/2044)",
            publisher="Civil Procedure Rule Committee (legislation.gov.uk)",
            url="https://www.legislation.gov.uk/uksi/2014/2044/made",
            checked=date(2026, 12, 7),
            confidence=Confidence.SECONDARY,
            note=(
                "In force 1 October 2014: inserted CPR 45.19(2A), the fixed costs of medical "
                "reports in soft tissue (and later whiplash) claims: first report £180; further "
                "reports £420 (consultant orthopaedic surgeon), £360 (A&E consultant), £180 (GP, "
                "physiotherapist); medical records at most £30 plus the holder's cost, £80 in all "
                "for each set; addendum £50; answers to Part 35 questions £80 (all before VAT). "
                "Amounts from agreeing secondary sources quoting the rule; the guide gives the "
                "£180 first-report fee itself (5.3.1)."
            ),
            names=("Civil Procedure (Amendment No. 6) Rules 2014", "SI 2014/2044"),
            pinpoint=_STATUTE,
            pinpoint_required=False,
        ),
        Source(
            id="cpr-amendment-2025",
            title="Civil Procedure (Amendment) Rules 2025 and the 179th Practice Direction Update",
            publisher="Civil Procedure Rule Committee",
            url=None,
            checked=date(2026, 12, 7),
            confidence=Confidence.UNCONFIRMED,
            note=(
                "Secondary sources (Expert Witness Institute news; legal press on the MoJ's "
                "December 2024 consultation response) say the fixed costs of medical reports "
                "were uprated by 25.4% (Services Producer Price Index) from 6 April 2025. The "
                "new amounts and the SI number are UNCONFIRMED: rtaprotocol.fees refuses a fee "
                "incurred from that date unless the caller gives the amount."
            ),
            names=("Civil Procedure (Amendment) Rules 2025",),
            pinpoint=_STATUTE,
            pinpoint_required=False,
        ),
    )
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
            "no such source", value=source_id, field="source", reference=_REFERENCE
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
        raise RulesError(
            "names no registered source (see rtaprotocol sources)",
            value=text,
            field="reference",
            reference=_REFERENCE,
        )
    for c in citations:
        if c.source.pinpoint_required and not c.pinpoint:
            raise RulesError(
                f"cites {c.source.id} without a pinpoint",
                value=text,
                field="reference",
                reference=_REFERENCE,
            )
        if c.source.id == "oic-guide" and _SUB_ITEM.sub("", c.pinpoint) not in _guide_numbers():
            raise RulesError(
                f"cites guide {c.pinpoint}, which is not a numbered section of the guide",
                value=text,
                field="reference",
                reference=_REFERENCE,
            )
    return citations


_SUB_ITEM: Final = re.compile(r" ?\(.*$")


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
