"""A griffe extension for the docs site: docstrings' doctest examples render as code.

It also shows Sphinx roles (``:class:`~x.Y```) as code spans, which Markdown cannot read.

rtaprotocol's docstrings are plain text (pep257) whose examples are doctests (``>>>``
lines and their output). Markdown would read their brackets as links and their output as
prose, so this extension wraps each doctest block in a ```pycon fence before
mkdocstrings renders it. It changes only what the site shows: pytest still runs the
examples from the source. Loaded by mkdocs.yml (``extensions:``); not part of the package.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|func|meth|data|attr|mod|exc|obj):`(~?)([^`]+)`")


def plain_roles(text: str) -> str:
    """Return ``text`` with Sphinx roles as code spans (``~`` keeps the last name only).

    >>> plain_roles(":class:`~rtaprotocol.errors.RulesError` and :func:`tariff_award`")
    '`RulesError` and `tariff_award`'
    """
    return _ROLE.sub(lambda m: f"`{m[2].rsplit('.', 1)[-1] if m[1] else m[2]}`", text)


def fence_doctests(text: str) -> str:
    r"""Return ``text`` with each doctest block (``>>>`` to the next blank line) fenced.

    >>> fence_doctests("Intro.\n>>> 1 + 1\n2\n\nAfter.").splitlines()
    ['Intro.', '```pycon', '>>> 1 + 1', '2', '```', '', 'After.']
    """
    out: list[str] = []
    inside = False
    indent = ""
    for line in text.splitlines():
        stripped = line.lstrip()
        if not inside and stripped.startswith(">>>"):
            inside = True
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}```pycon")
        elif inside and not stripped:
            out.append(f"{indent}```")
            inside = False
        out.append(line)
    if inside:
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence every docstring's doctest blocks as the objects are loaded."""

    def on_instance(self, *, node: Any, obj: griffe.Object, agent: Any, **kwargs: Any) -> None:
        """Rewrite ``obj``'s docstring (griffe calls this once per object)."""
        if obj.docstring is not None:
            obj.docstring.value = plain_roles(fence_doctests(obj.docstring.value))
