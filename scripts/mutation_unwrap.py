"""Rewrite decorated functions so mutmut 3 mutates them (scratch copies only).

mutmut 3 never mutates a decorated function (it cannot put its trampoline under an
arbitrary decorator), and nearly every public rule function here is decorated
(``@exact``, ``@property``, ``@classmethod``, ``@lru_cache``). scripts/mutation.sh runs
this on the scratch copy of the module under test, never on the repository: each

    @dec1
    @dec2
    def name(...): ...

becomes the same function undecorated followed by ``name = dec1(dec2(name))`` at the same
indentation, which is what the decorator syntax means. mutmut then trampolines ``name``
and the decorators wrap the trampoline. Functions decorated with ``@staticmethod`` or
``@classmethod`` alone are left for mutmut, which handles them itself; ``@overload`` stubs
and property setters (``@x.setter``) are left alone.

Usage: python scripts/mutation_unwrap.py FILE.py  (rewrites FILE.py in place)
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def _skip(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    names = [ast.unparse(d) for d in node.decorator_list]
    if not names or names in (["staticmethod"], ["classmethod"]):
        return True
    return any(n.endswith(("overload", ".setter", ".deleter", ".getter")) for n in names)


def rewrite(source: str) -> str:
    """Return ``source`` with its top-level and class-level decorators applied by assignment."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, list[str], int, str]] = []
    bodies = [tree.body] + [n.body for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    for body in bodies:
        for node in body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or _skip(node):
                continue
            indent = " " * node.col_offset
            call = node.name
            for decorator in reversed(node.decorator_list):
                call = f"{ast.unparse(decorator)}({call})"
            first = node.decorator_list[0].lineno - 1
            def_line = node.lineno - 1
            assert node.end_lineno is not None
            edits.append(
                (
                    first,
                    def_line,
                    lines[first:def_line],
                    node.end_lineno,
                    f"{indent}{node.name} = {call}\n",
                )
            )
    # Apply bottom-up so earlier line numbers stay valid.
    for first, def_line, _removed, end, assignment in sorted(edits, key=lambda e: -e[0]):
        lines[end:end] = [assignment]
        del lines[first:def_line]
    return "".join(lines)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        path = Path(name)
        new = rewrite(path.read_text(encoding="utf-8"))
        compile(new, name, "exec")
        path.write_text(new, encoding="utf-8")
