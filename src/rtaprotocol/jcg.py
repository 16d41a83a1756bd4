"""Judicial College Guidelines brackets for non-whiplash injuries, as the guide extracts them.

Guide 4.4.2 and its Appendix, "Extracts from the Judicial College Guidelines (17th
edition) for valuation of non-whiplash injuries", transcribed as data. These are
**indicative ranges from one edition (the 17th), not a valuation**: the guide itself says
"the figures set out in the JCG are only a guide", that the JCG "is usually updated every
two years" and that several non-whiplash injuries get one combined sum, not a sum each.
Nothing here values a claim; :func:`jcg_brackets` only looks the ranges up.

Each :class:`JcgBracket` keeps the guide's own words for its figure (``figure_text``)
and reads them into ``low`` and ``high`` by :class:`JcgFigure`:

- "£1,680 to £2,990": a range, ``low`` 1,680 and ``high`` 2,990;
- "Up to £4,820": no ``low``;
- "In the region of £7,930": a point, ``low == high``;
- "A few hundred pounds to £840": no ``low`` (the guide gives no figure), with a note;
- "Less than £2,990 when ...": ``high`` 2,990, exclusive, with a note.

Whiplash injuries are valued by the tariff (:mod:`rtaprotocol.tariff`), never here: the
neck, shoulder and back brackets are for non-whiplash injuries only.

>>> extract = jcg_brackets("neck")
>>> [(b.low, b.high) for b in extract]
[(Decimal('5310.00'), Decimal('9630.00')), (Decimal('2990.00'), Decimal('5310.00')), (None, Decimal('2990.00'))]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from typing import Any, Final, final

from attrs import frozen

from rtaprotocol._checks import check_enum
from rtaprotocol._decimal import exact
from rtaprotocol._render import html_table, html_verdict, jsonable, text_table
from rtaprotocol._views import install_views

__all__ = [
    "JCG_BRACKETS",
    "JCG_EDITION",
    "JcgArea",
    "JcgBracket",
    "JcgExtract",
    "JcgFigure",
    "jcg_brackets",
]

JCG_EDITION: Final = "17th"
JCG_REFERENCE: Final = (
    "Judicial College Guidelines (17th edition), as extracted in the guide's Appendix; guide 4.4.2"
)
JCG_CAVEAT: Final = (
    "Indicative ranges from one edition of the JCG (the 17th), as extracted in the guide; "
    "not a valuation. The guide: 'the figures set out in the JCG are only a guide'."
)


class JcgArea(Enum):
    """The body areas (chapters) of the guide's JCG extract; ``.value`` is a slug.

    >>> JcgArea("ribs-chest").title
    'Ribs/chest'
    """

    MINOR_INJURIES = "minor-injuries"
    RIBS_CHEST = "ribs-chest"
    FACE = "face"
    ARM_HAND = "arm-hand"
    LEG_FOOT = "leg-foot"
    SCARRING = "scarring"
    TEETH = "teeth"
    HEAD_HAIR = "head-hair"
    PSYCHIATRIC = "psychiatric"
    NECK = "neck"
    SHOULDER = "shoulder"
    BACK = "back"

    @property
    def title(self) -> str:
        """The chapter's title as the guide prints it."""
        return _TITLES[self]


_NON_WHIPLASH = (
    " – non-whiplash injuries only (where a whiplash injury has been sustained you will "
    "need to consider the tariff to value your claim)"
)
_TITLES: Final[dict[JcgArea, str]] = {
    JcgArea.MINOR_INJURIES: "Minor injuries, including cuts, lacerations and abrasions",
    JcgArea.RIBS_CHEST: "Ribs/chest",
    JcgArea.FACE: "Face/cheek/jaw/nose",
    JcgArea.ARM_HAND: "Forearm/wrist/hand/finger(s)",
    JcgArea.LEG_FOOT: "Leg/knee/ankle/foot/toe",
    JcgArea.SCARRING: "Scarring",
    JcgArea.TEETH: "Damage to teeth",
    JcgArea.HEAD_HAIR: "Head and hair",
    JcgArea.PSYCHIATRIC: "Psychological and psychiatric",
    JcgArea.NECK: "Neck" + _NON_WHIPLASH,
    JcgArea.SHOULDER: "Shoulder" + _NON_WHIPLASH,
    JcgArea.BACK: "Back" + _NON_WHIPLASH,
}

_NECK_BACK_FACTORS = (
    "the intensity of pain experienced and the consistency of symptoms; the extent to which "
    "ongoing symptoms are of a minor nature only; "
)
_COMMON_FACTORS = (
    "the impact of the symptoms on the injured person's ability to function in everyday "
    "life and engage in social/recreational activities; the impact of the injuries on the "
    "injured person's ability to work; the extent of any treatment required; the need to "
    "take medication to control symptoms of pain and discomfort."
)

#: Each chapter's introductory text, where the extract gives one.
_INTRODUCTIONS: Final[dict[JcgArea, str]] = {
    JcgArea.MINOR_INJURIES: (
        "Minor injuries are injuries which are of short duration, where there is a complete "
        "recovery within three months, and are not otherwise referred to in other chapters. "
        "Cases where there is significant pain or multiple injuries albeit full recovery "
        "within three months may fall outside this chapter. Likewise cases involving, for "
        "example, travel anxiety (associated with minor physical injuries) or minor scarring "
        "where symptoms last for more than three months may appropriately be included in "
        "this chapter. The awards within each bracket will be dependent on the severity and "
        "duration of symptoms. The extent to which the level of symptoms remains relatively "
        "constant will also be a relevant factor. Claims solely in respect of shock or "
        "travel anxiety in the absence of physical or recognized psychiatric injury will not "
        "attract an award of compensation."
    ),
    JcgArea.NECK: (
        "This bracket includes minor soft tissue injuries. Whilst the duration of symptoms "
        "will always be important, factors such as those listed below may justify an award "
        "in either a higher or lower bracket: the severity of the neck injury; "
        + _NECK_BACK_FACTORS
        + "the presence of additional symptoms in the back and/or shoulder and/or referred "
        "headaches; " + _COMMON_FACTORS
    ),
    JcgArea.SHOULDER: (
        "The starting point for the assessment will be the duration of symptoms but the "
        "severity of the original injury, the degree of pain experienced, and the extent to "
        "which ongoing symptoms are of a minor nature only may justify an award in a higher "
        "or lower bracket."
    ),
    JcgArea.BACK: (
        "This bracket includes less serious strains, sprains, disc prolapses, soft tissue "
        "injuries, or fracture injuries which recover without surgery. As with minor neck "
        "injuries, whilst the duration of symptoms will always be important, factors such as "
        "those listed below may justify an award in either a higher or lower bracket: the "
        "severity of the original injury; the degree of pain experienced and the consistency "
        "of symptoms; the extent to which ongoing symptoms are of a minor nature only; the "
        "presence of any additional symptoms in other parts of the anatomy, particularly the "
        "neck; " + _COMMON_FACTORS
    ),
}


class JcgFigure(Enum):
    """How the guide states a bracket's figure; ``.value`` is a slug.

    >>> [f.value for f in JcgFigure]
    ['range', 'up-to', 'point', 'less-than', 'few-hundred-to']
    """

    RANGE = "range"  # "£1,680 to £2,990"
    UP_TO = "up-to"  # "Up to £4,820": no low figure
    POINT = "point"  # "In the region of £7,930": low == high
    LESS_THAN = "less-than"  # "Less than £2,990 ...": high is exclusive
    FEW_HUNDRED_TO = "few-hundred-to"  # "A few hundred pounds to £840": no low figure


@final
@frozen
class JcgBracket:
    """One JCG bracket from the guide's Appendix: where, what, and its figures.

    ``low`` is ``None`` where the guide gives no lower figure; ``figure_text`` and
    ``description`` are the guide's own wording; ``note`` says how an unusual figure was
    read. ``heading`` is the extract's sub-heading where it prints one; where it prints
    none (facial scarring, hair, psychiatric damage, PTSD, neck, shoulder, back) it is a
    short heading of ours, not the guide's words.

    >>> seven_days = jcg_brackets(JcgArea.MINOR_INJURIES).brackets[2]
    >>> seven_days.figure_text, seven_days.low, seven_days.high, seven_days.kind
    ('A few hundred pounds to £840', None, Decimal('840.00'), <JcgFigure.FEW_HUNDRED_TO: 'few-hundred-to'>)
    """

    area: JcgArea
    heading: str
    description: str
    figure_text: str
    kind: JcgFigure
    low: Decimal | None
    high: Decimal
    note: str | None = None

    @property
    @exact
    def is_point(self) -> bool:
        """Whether the guide gives a single figure ("in the region of")."""
        return self.kind is JcgFigure.POINT

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings)."""
        return {
            "area": self.area.value,
            "area_title": self.area.title,
            "heading": self.heading,
            "description": self.description,
            "figure_text": self.figure_text,
            "kind": self.kind.value,
            "low": jsonable(self.low),
            "high": jsonable(self.high),
            "is_point": self.is_point,
            "note": self.note,
        }


_POUNDS = r"£([\d,]+)"
_PATTERNS: Final = (
    (re.compile(rf"{_POUNDS} to {_POUNDS}"), JcgFigure.RANGE),
    (re.compile(rf"Up to {_POUNDS}"), JcgFigure.UP_TO),
    (re.compile(rf"In the region of {_POUNDS}"), JcgFigure.POINT),
    (re.compile(rf"Less than {_POUNDS}.*"), JcgFigure.LESS_THAN),
    (re.compile(rf"A few hundred pounds to {_POUNDS}"), JcgFigure.FEW_HUNDRED_TO),
)
_NOTES: Final = {
    JcgFigure.FEW_HUNDRED_TO: "the guide gives no lower figure ('a few hundred pounds')",
    JcgFigure.LESS_THAN: "'less than': the high figure itself is not included",
}


@exact  # runs at import, when the importing thread's context may be anything
def _pounds(text: str) -> Decimal:
    return Decimal(text.replace(",", "")).quantize(Decimal("0.01"))


def _read_figure(figure_text: str) -> tuple[JcgFigure, list[Decimal]]:
    """Return the figure's kind and its amounts; unknown wording fails at import."""
    for pattern, kind in _PATTERNS:
        match = pattern.fullmatch(figure_text)
        if match:
            return kind, [_pounds(g) for g in match.groups()]
    raise AssertionError(f"unrecognised JCG figure: {figure_text!r}")  # pragma: no cover


def _bracket(
    area: JcgArea, heading: str, description: str, figure_text: str, note: str | None = None
) -> JcgBracket:
    kind, figures = _read_figure(figure_text)
    high = figures[-1]
    low = figures[0] if kind in {JcgFigure.RANGE, JcgFigure.POINT} else None
    notes = [n for n in (note, _NOTES.get(kind)) if n]
    return JcgBracket(
        area=area,
        heading=heading,
        description=description,
        figure_text=figure_text,
        kind=kind,
        low=low,
        high=high,
        note="; ".join(notes) or None,
    )


_A = JcgArea
_ELBOW_NOTE = (
    "the guide's heading: they comprise simple fractures, tennis elbow syndrome, and "
    "lacerations; i.e., those injuries which cause no permanent damage and do not result in "
    "any permanent impairment of function"
)
_PSYCH_NOTE = (
    "factors (i) to (iv): (i) the injured person's ability to cope with life, education, and "
    "work; (ii) the effect on the injured person's relationships with family, friends, and "
    "those with whom he or she comes into contact; (iii) the extent to which treatment would "
    "be successful; (iv) future vulnerability"
)
_NON_SURGICAL = "This bracket will also apply to very short-term acceleration and/or exacerbation"

#: Every bracket of the guide's Appendix, in the guide's order.
JCG_BRACKETS: Final[tuple[JcgBracket, ...]] = (
    _bracket(_A.MINOR_INJURIES, "Minor injuries",
             "Where there is a complete recovery within three months", "£1,680 to £2,990"),
    _bracket(_A.MINOR_INJURIES, "Minor injuries",
             "Where there is a complete recovery within 28 days", "£840 to £1,680"),
    _bracket(_A.MINOR_INJURIES, "Minor injuries",
             "Where there is a complete recovery within seven days",
             "A few hundred pounds to £840"),
    _bracket(_A.RIBS_CHEST, "Rib and chest injuries",
             "Fractures of ribs or soft tissue injuries causing serious pain and disability "
             "over a period of weeks only", "Up to £4,820"),
    _bracket(_A.RIBS_CHEST, "Lung injuries",
             "Injuries leading to collapsed lungs from which a full and uncomplicated "
             "recovery is made", "£2,680 to £6,500"),
    _bracket(_A.RIBS_CHEST, "Lung injuries",
             "Temporary aggravation of bronchitis or other chest problems resolving within a "
             "few months", "£2,680 to £6,500"),
    _bracket(_A.FACE, "Eye injuries",
             "Minor eye injuries – In this bracket fall cases of minor injuries, such as being "
             "struck in the eye, exposure to fumes including smoke, or being splashed by "
             "liquids, causing initial pain and some temporary interference with vision",
             "£4,820 to £10,660"),
    _bracket(_A.FACE, "Eye injuries",
             "Transient eye injuries – In these cases the injured person will have recovered "
             "completely within a few weeks", "£2,690 to £4,820"),
    _bracket(_A.FACE, "Ear injuries / hearing impairment",
             "Slight noise induced hearing loss without tinnitus or slight tinnitus without "
             "noise induced hearing loss", "Up to £8,560"),
    _bracket(_A.FACE, "Nose injuries",
             "Fractures of nose or nasal complex – displaced fracture where recovery complete "
             "but only after surgery", "£4,820 to £6,230"),
    _bracket(_A.FACE, "Nose injuries",
             "Fractures of nose or nasal complex – displaced fracture requiring no more than "
             "manipulation", "£3,080 to £3,850"),
    _bracket(_A.FACE, "Nose injuries",
             "Fractures of nose or nasal complex – simple undisplaced fracture with full "
             "recovery", "£2,080 to £3,080"),
    _bracket(_A.FACE, "Cheekbone injuries",
             "Simple fracture of cheekbones for which some reconstructive surgery is necessary "
             "but from which there is a complete recovery with no or only minimal cosmetic "
             "effects", "£5,310 to £7,880"),
    _bracket(_A.FACE, "Cheekbone injuries",
             "Simple fracture of cheekbone for which no surgery is required and where a "
             "complete recovery is effected", "£2,830 to £3,650"),
    _bracket(_A.ARM_HAND, "Elbow injuries – moderate to minor",
             "Injuries with the majority of symptoms resolving within 18 to 24 months but with "
             "nuisance level symptoms persisting after that", "In the region of £7,930",
             _ELBOW_NOTE),
    _bracket(_A.ARM_HAND, "Elbow injuries – moderate to minor",
             "Injuries fully resolving after about one year", "In the region of £4,310",
             _ELBOW_NOTE),
    _bracket(_A.ARM_HAND, "Elbow injuries – moderate to minor",
             "Injuries with full recovery within 18 to 24 months", "Up to £6,100", _ELBOW_NOTE),
    _bracket(_A.ARM_HAND, "Hand and finger injuries",
             "Loss of the terminal phalanx of the ring or middle fingers", "£4,820 to £9,610"),
    _bracket(_A.ARM_HAND, "Hand and finger injuries",
             "Loss of part of the little finger – this is appropriate where the remaining tip "
             "is sensitive", "£4,820 to £7,150"),
    _bracket(_A.ARM_HAND, "Hand and finger injuries",
             "Severe dislocation or Soft Tissue Injury of the thumb – Such injuries will "
             "involve some permanent minor loss of function", "£7,740 to £9,490"),
    _bracket(_A.ARM_HAND, "Hand and finger injuries",
             "Minor hand, finger and thumb injuries – This will include fractures which "
             "generally have recovered in six months. Also injuries such as scarring, "
             "tenderness, and reaction to the cold where there is full recovery",
             "Up to £5,800"),
    _bracket(_A.LEG_FOOT, "Leg injuries — Simple Fractures to Tibia or Fibula or Soft Tissue "
             "Injuries",
             "Where there has been a simple fracture of the tibia or fibula with a complete "
             "recovery. The level of award will be influenced by time spent in plaster and "
             "the length of the recovery period", "£8,640 to £11,050"),
    _bracket(_A.LEG_FOOT, "Leg injuries — Simple Fractures to Tibia or Fibula or Soft Tissue "
             "Injuries",
             "A wide variety of soft tissue injuries, lacerations, cuts, bruising, or "
             "contusions, all of which have recovered completely or almost so and any "
             "residual disability is cosmetic or of a minor nature",
             "Less than £2,990 when fully resolved within a few months"),
    _bracket(_A.LEG_FOOT, "Knee injuries",
             "Shorter periods of acceleration or exacerbation, and also lacerations, twisting, "
             "or bruising injuries. Where there is continuous aching or discomfort, or "
             "occasional pain, the award will be towards the upper end of the bracket. An "
             "acceleration of a pre-existing condition by a period of two to three years "
             "causing constant pain is likely to justify an award in the region of £9,930. "
             "Where recovery has been complete or almost complete the award is unlikely to "
             "exceed £7,370, unless both knees are involved. Modest injuries that resolve "
             "within a short space of time will attract lower awards. A soft tissue "
             "strain-type injury that does not significantly impact on daily activities and "
             "gradually resolves within six to seven months might be expected to attract an "
             "award in the region of £2,750", "Up to £16,770"),
    _bracket(_A.LEG_FOOT, "Ankle, foot and toe injuries",
             "The less serious, minor or undisplaced fractures, sprains, and ligamentous "
             "injuries. The level of the award within the bracket will be determined by "
             "whether or not a complete recovery has been made and, if recovery is incomplete, "
             "whether there is any tendency for the ankle to give way, and whether there is "
             "scarring, aching or discomfort, loss of movement, or the possibility of "
             "long-term osteoarthritis. Where recovery is complete without any ongoing "
             "symptoms or scarring, the award is unlikely to exceed £9,390. Where recovery is "
             "complete within a year, the award is unlikely to exceed £6,710. Modest injuries "
             "that resolve within a short space of time will attract lower awards",
             "Up to £16,770"),
    _bracket(_A.LEG_FOOT, "Ankle, foot and toe injuries",
             "Simple metatarsal fractures, ruptured ligaments, puncture wounds and the like. "
             "Where there are continuing symptoms, such as a permanent limp, pain, or aching, "
             "awards between £8,560 and £16,770 would be appropriate. Straightforward foot "
             "injuries such as fractures, lacerations, contusions etc. from which complete or "
             "near complete recovery is made would justify awards of £8,560 or less. Modest "
             "injuries that resolve within a short space of time will attract lower awards. "
             "Awards for minor foot injuries resolving within a few months, with little impact "
             "on lifestyle or day to day activities, are unlikely to exceed £2,990",
             "Up to £16,770"),
    _bracket(_A.LEG_FOOT, "Ankle, foot and toe injuries",
             "Moderate toe injuries – These injuries include relatively straight-forward "
             "fractures or the exacerbation of a pre-existing degenerative condition or "
             "laceration injuries to one or more toes. Cases involving prolonged minor "
             "symptoms and/or the need for surgery resulting in prolonged discomfort and "
             "permanent scarring are likely to justify awards towards the upper end of this "
             "bracket. Only £6,820 or less would be awarded for straightforward fractures or "
             "crushing/soft tissue injuries of one or more toes with complete resolution or "
             "near complete resolution. Modest injuries that resolve within a short space of "
             "time will attract lower awards", "Up to £11,720"),
    _bracket(_A.SCARRING, "Facial scarring",
             "Less significant facial scarring – In these cases there may be but one scar or, "
             "though there is a number of very small scars, the overall effect is to mar but "
             "not markedly to affect the appearance and the reaction is no more than that of "
             "an ordinarily sensitive young person. Cases involving one single scar (not "
             "hyperpigmented or keloid) that can be hidden or camouflaged and do not represent "
             "any significant cosmetic blemish are likely to attract an award at the lowest "
             "end of the bracket", "£4,820 to £16,770"),
    _bracket(_A.SCARRING, "Facial scarring",
             "Trivial facial scarring – In these cases the effect is minor only",
             "£2,080 to £4,310"),
    _bracket(_A.TEETH, "Damage to teeth", "Loss of or serious damage to several front teeth",
             "£10,660 to £13,930"),
    _bracket(_A.TEETH, "Damage to teeth",
             "Loss of or serious damage to two front teeth. The loss of two front teeth will "
             "attract an award in the middle to upper end of this bracket and damage to two "
             "front teeth or loss of two milk teeth will attract an award at the lower end",
             "£5,310 to £9,310"),
    _bracket(_A.TEETH, "Damage to teeth", "Loss of or serious damage to one front tooth",
             "£2,690 to £4,820"),
    _bracket(_A.TEETH, "Damage to teeth", "Loss of or damage to back teeth: per tooth",
             "£1,330 to £2,080"),
    _bracket(_A.HEAD_HAIR, "Minor brain or head injury",
             "Minor brain or head injury - In these cases brain damage, if any, will have been "
             "minimal. The level of the award will be affected by the following "
             "considerations: (i) the severity of the initial injury; (ii) the period taken "
             "to recover from any symptoms; (iii) the extent of continuing symptoms; (iv) the "
             "presence or absence of headaches. Cases resolving within about two to three "
             "years are likely to fall within the mid to lower range of the bracket. The "
             "bottom of the bracket will reflect full recovery within a few weeks",
             "£2,690 to £15,580"),
    _bracket(_A.HEAD_HAIR, "Damage to hair",
             "Less serious damage to hair in consequence of defective permanent waving, "
             "tinting, or the like, where the effects are dermatitis, eczema, or tingling or "
             "'burning' of the scalp causing dry, brittle hair, which breaks off and/or falls "
             "out, leading to distress, depression, embarrassment, and loss of confidence, and "
             "inhibiting social life. Also, cases where hair has been pulled out leaving bald "
             "patches. The level of the award will depend on the length of time taken before "
             "regrowth occurs. This bracket will include cases of alopecia induced by stress "
             "causing some hair loss where full recovery is made within two years",
             "£4,820 to £8,960"),
    _bracket(_A.PSYCHIATRIC, "Psychiatric damage",
             "Moderate psychiatric damage – While there may have been the sort of problems "
             "associated with factors (i) to (iv) above there will have been marked "
             "improvement by trial and the prognosis will be good. Cases of work-related "
             "stress may fall within this category if symptoms are not prolonged",
             "£7,150 to £23,270", _PSYCH_NOTE),
    _bracket(_A.PSYCHIATRIC, "Psychiatric damage",
             "Less severe psychiatric damage – The level of the award will take into "
             "consideration the length of the period of disability and the extent to which "
             "daily activities and sleep were affected. Cases falling short of a specific "
             "phobia or disorder such as travel anxiety when associated with minor physical "
             "symptoms may be found in the Minor Injuries chapter", "£1,880 to £7,150"),
    _bracket(_A.PSYCHIATRIC, "Post-traumatic stress disorder",
             "PTSD, moderate – In these cases the injured person will have largely recovered "
             "and any continuing effects will not be grossly disabling", "£9,980 to £28,250"),
    _bracket(_A.PSYCHIATRIC, "Post-traumatic stress disorder",
             "PTSD, less severe – In these cases a virtually full recovery will have been made "
             "within one to two years and only minor symptoms will persist over any longer "
             "period", "£4,820 to £9,980"),
    _bracket(_A.NECK, "Neck injuries (non-whiplash)",
             "Where a full recovery takes place within a period of about one to two years. "
             "This bracket will also apply to short-term acceleration and/or exacerbation "
             "injuries, usually between one and two years", "£5,310 to £9,630"),
    _bracket(_A.NECK, "Neck injuries (non-whiplash)",
             "Where a full recovery takes place between three months and a year. "
             f"{_NON_SURGICAL} injuries, usually less than one year", "£2,990 to £5,310"),
    _bracket(_A.NECK, "Neck injuries (non-whiplash)",
             "Where a full recovery is made within three months", "Up to £2,990"),
    _bracket(_A.SHOULDER, "Shoulder injuries (non-whiplash)", "In less than two years",
             "£5,310 to £9,630"),
    _bracket(_A.SHOULDER, "Shoulder injuries (non-whiplash)", "Within a year",
             "£2,990 to £5,310"),
    _bracket(_A.SHOULDER, "Shoulder injuries (non-whiplash)", "Within three months",
             "Up to £2,990"),
    _bracket(_A.BACK, "Back injuries (non-whiplash)",
             "Where a full recovery takes places without surgery within a period of about one "
             f"to two years. {_NON_SURGICAL} injuries, usually between one and two years",
             "£5,310 to £9,630"),
    _bracket(_A.BACK, "Back injuries (non-whiplash)",
             "Where a full recovery takes place without surgery between three months and one "
             f"year. {_NON_SURGICAL} injuries, usually less than one year", "£2,990 to £5,310"),
    _bracket(_A.BACK, "Back injuries (non-whiplash)",
             "Where a full recovery is made within three months", "Up to £2,990"),
)  # fmt: skip


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


@final
@frozen
class JcgExtract:
    """The JCG brackets for one body area, with the caveat that they are indicative only.

    Iterating over it gives the brackets; ``len()`` counts them.

    >>> print(jcg_brackets("shoulder"))
    Shoulder – non-whiplash injuries only (where a whiplash injury has been sustained you will need to consider the tariff to value your claim) (JCG 17th edition; indicative ranges, not a valuation)
    heading                          | description            | figure           |       low |      high
    ---------------------------------+------------------------+------------------+-----------+----------
    Shoulder injuries (non-whiplash) | In less than two years | £5,310 to £9,630 | £5,310.00 | £9,630.00
    Shoulder injuries (non-whiplash) | Within a year          | £2,990 to £5,310 | £2,990.00 | £5,310.00
    Shoulder injuries (non-whiplash) | Within three months    | Up to £2,990     |           | £2,990.00
    """

    area: JcgArea
    introduction: str | None
    brackets: tuple[JcgBracket, ...]

    def __iter__(self) -> Iterator[JcgBracket]:
        return iter(self.brackets)

    def __len__(self) -> int:
        return len(self.brackets)

    def _title(self) -> str:
        return f"{self.area.title} (JCG {JCG_EDITION} edition; indicative ranges, not a valuation)"

    @exact
    def __str__(self) -> str:
        headers = ["heading", "description", "figure", "low", "high"]
        rows = [
            [b.heading, _short(b.description), b.figure_text, b.low, b.high] for b in self.brackets
        ]
        return text_table(headers, rows, title=self._title())

    @exact
    def _repr_html_(self) -> str:
        headers = ["heading", "description", "figure", "low", "high", "note"]
        rows = [
            [b.heading, b.description, b.figure_text, b.low, b.high, b.note] for b in self.brackets
        ]
        return html_verdict(self._title(), "info") + html_table(headers, rows)

    @exact
    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data (amounts as exact strings) with the caveat and source."""
        return {
            "area": self.area.value,
            "area_title": self.area.title,
            "introduction": self.introduction,
            "edition": JCG_EDITION,
            "caveat": JCG_CAVEAT,
            "reference": JCG_REFERENCE,
            "brackets": [b.to_dict() for b in self.brackets],
        }


@exact
def jcg_brackets(area: JcgArea | str) -> JcgExtract:
    """Return the guide's JCG brackets for one body area (guide 4.4.2 and Appendix).

    ``area`` is a :class:`JcgArea` or its slug. A point figure has ``low == high``:

    >>> [(b.figure_text, b.is_point) for b in jcg_brackets(JcgArea.ARM_HAND)][:2]
    [('In the region of £7,930', True), ('In the region of £4,310', True)]
    >>> jcg_brackets("whiplash")
    Traceback (most recent call last):
    ...
    rtaprotocol.errors.RulesError: area: not one of JcgArea: 'minor-injuries', 'ribs-chest', 'face', 'arm-hand', 'leg-foot', 'scarring', 'teeth', 'head-hair', 'psychiatric', 'neck', 'shoulder', 'back': got 'whiplash' [Judicial College Guidelines (17th edition), as extracted in the guide's Appendix; guide 4.4.2]
    """
    chosen = check_enum(area, JcgArea, field="area", reference=JCG_REFERENCE)
    return JcgExtract(
        area=chosen,
        introduction=_INTRODUCTIONS.get(chosen),
        brackets=tuple(b for b in JCG_BRACKETS if b.area is chosen),
    )


install_views(globals())  # notebook views of every public class (rtaprotocol._views)
