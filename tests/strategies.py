"""Hypothesis strategies shared across the test modules."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from rtaprotocol.deadlines import FIRST_SUPPORTED_DATE, LAST_SUPPORTED_DATE

#: Any date the calendar supports.
supported_dates = st.dates(min_value=FIRST_SUPPORTED_DATE, max_value=LAST_SUPPORTED_DATE)

#: Dates away from the ends of the range, so a few hundred business days either way fit.
middle_dates = st.dates(min_value=date(2002, 1, 1), max_value=date(2098, 12, 31))

#: Dates under the tariff regime (accidents from 31 May 2021).
tariff_dates = st.dates(min_value=date(2021, 5, 31), max_value=LAST_SUPPORTED_DATE)


def money(max_pounds: int = 20_000) -> st.SearchStrategy[Decimal]:
    """Amounts in pence from £0.00 to ``max_pounds``, as two-place Decimals."""
    return st.integers(min_value=0, max_value=max_pounds * 100).map(lambda p: Decimal(p).scaleb(-2))


def percents(high: int = 100) -> st.SearchStrategy[Decimal]:
    """Percentages from 0 to ``high`` with up to two decimal places."""
    return st.integers(min_value=0, max_value=high * 100).map(lambda b: Decimal(b).scaleb(-2))


#: Characters a number or date must never contain: digits of other scripts (Arabic-Indic,
#: full-width, Devanagari...) and non-ASCII spaces (no-break, em, ideographic), all of which
#: ``\d``, ``str.strip()`` or ``Decimal()`` would otherwise take.
non_ascii_digits_and_spaces = st.characters(
    categories=["Nd", "Zs", "Zl", "Zp"], exclude_characters="0123456789 "
)


@st.composite
def with_a_non_ascii_character(draw: st.DrawFn, text: str) -> str:
    """``text`` with one non-ASCII digit or space put in at any position."""
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(non_ascii_digits_and_spaces) + text[at:]


# --- documents a JSON Schema accepts -------------------------------------------------------
#
# hypothesis-jsonschema (0.23.1, its latest release) fails on object schemas under the
# Hypothesis this project tests with (AttributeError: 'many' object has no attribute
# 'more'), so the schema tests draw documents with this small strategy instead. It knows
# the keywords the shipped schemas use and refuses any other, so a schema that grows a
# keyword fails loudly here rather than being sampled wrongly. Every document it draws is
# meant to be valid; the tests still check each with the real validator.

#: Keywords that only annotate: they never change which documents are valid.
_ANNOTATIONS = frozenset(
    {"title", "description", "default", "$comment", "$schema", "$id", "$defs", "examples"}
)
_KNOWN = _ANNOTATIONS | {
    "$ref", "const", "enum", "type", "oneOf", "anyOf", "properties", "required",
    "additionalProperties", "items", "minItems", "maxItems", "pattern", "format",
    "maxLength", "minimum", "maximum", "exclusiveMinimum", "multipleOf",
}  # fmt: skip

#: Any JSON value, small: for a property whose schema is empty (accepted and ignored).
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=4,
)


def _resolve(root: dict, ref: str) -> dict:
    if ref == "#":
        return root
    if not ref.startswith("#/$defs/"):
        raise ValueError(f"from_schema resolves local $defs only, not {ref!r}")
    return root["$defs"][ref.removeprefix("#/$defs/")]


def from_schema(root: dict, node: dict | None = None, depth: int = 0) -> st.SearchStrategy:
    """Documents the schema ``root`` (or its part ``node``) accepts, for the keywords it uses."""
    node = root if node is None else node  # depth: the $refs followed to reach it
    unknown = set(node) - _KNOWN
    if unknown:
        raise ValueError(f"from_schema does not know the keywords {sorted(unknown)}")
    if "$ref" in node:
        if depth > 20:
            raise ValueError("from_schema draws from non-recursive schemas only")
        rest = {k: v for k, v in node.items() if k not in _ANNOTATIONS and k != "$ref"}
        if rest:
            raise ValueError(f"from_schema: $ref beside {sorted(rest)}")
        return from_schema(root, _resolve(root, node["$ref"]), depth + 1)
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    for word in ("oneOf", "anyOf"):
        if word in node:
            # A type or required list beside the branches narrows nothing in these schemas:
            # each branch states its own.
            return st.one_of([from_schema(root, branch, depth) for branch in node[word]])
    types = node.get("type")
    if isinstance(types, list):
        return st.one_of([from_schema(root, {**node, "type": t}, depth) for t in types])
    if types is None:
        return json_values
    if types == "null":
        return st.none()
    if types == "boolean":
        return st.booleans()
    if types == "integer":
        return st.integers(node.get("minimum", -(10**15)), node.get("maximum", 10**15))
    if types == "number":
        return _numbers(node)
    if types == "string":
        return _strings(node)
    if types == "array":
        items = from_schema(root, node.get("items", {}), depth)
        return st.lists(items, min_size=node.get("minItems", 0), max_size=node.get("maxItems", 3))
    if types == "object":
        return _objects(root, node, depth)
    raise ValueError(f"from_schema does not know the type {types!r}")


def _numbers(node: dict) -> st.SearchStrategy:
    """Numbers in hundredths (the only multipleOf the schemas use), as ints and floats."""
    if node.get("multipleOf") != 0.01:
        raise ValueError("from_schema draws numbers in hundredths (multipleOf 0.01) only")
    low = round(node.get("minimum", 0) * 100)
    if "exclusiveMinimum" in node:
        low = max(low, round(node["exclusiveMinimum"] * 100) + 1)
    cents = st.integers(low, round(node.get("maximum", 10**6) * 100))
    return cents.map(lambda c: c / 100) | cents.filter(lambda c: c % 100 == 0).map(
        lambda c: c // 100
    )


def _strings(node: dict) -> st.SearchStrategy:
    if node.get("format") == "date":
        days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
        texts = days.map(date.isoformat)
        if "pattern" in node:
            texts = texts.filter(re.compile(node["pattern"]).search)
        return texts
    if "format" in node:
        raise ValueError(f"from_schema does not know the format {node['format']!r}")
    if "pattern" in node:
        return st.from_regex(node["pattern"])
    return st.text(max_size=min(node.get("maxLength", 30), 30))


def _objects(root: dict, node: dict, depth: int) -> st.SearchStrategy:
    properties = node.get("properties", {})
    required = node.get("required", [])
    if node.get("additionalProperties", True) is not False:
        raise ValueError("from_schema draws closed objects only (additionalProperties: false)")
    return st.fixed_dictionaries(
        {name: from_schema(root, properties[name], depth) for name in required},
        optional={
            name: from_schema(root, sub, depth)
            for name, sub in properties.items()
            if name not in required
        },
    )
