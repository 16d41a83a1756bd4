"""A persistent vector: the append-only, structure-sharing sequence behind a claim's state.

A claim is immutable and every event returns a new one (guide 6.1: the claim as a list
of recorded actions). Holding its history, met deadlines and interim requests as tuples
copied on every event made replay quadratic (issue 24: 16 µs per event at 100 events,
48 µs at 3,000). :class:`Vec` shares all but one path of a 32-way trie between
versions: appending, reading or replacing one element costs O(log32 n) (three levels
hold 32,768 elements), whatever came before, and old versions stay valid.

>>> v = Vec.of("abc")
>>> w = v.append("d").set(0, "z")
>>> tuple(v), tuple(w), w[3], len(w)
(('a', 'b', 'c'), ('z', 'b', 'c', 'd'), 'd', 4)
>>> Vec() == Vec.of(()), v == ("a", "b", "c")
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar, final, overload

T = TypeVar("T")

_BITS = 5
_WIDTH = 1 << _BITS
_MASK = _WIDTH - 1


def _set(node: tuple[Any, ...], shift: int, i: int, value: Any) -> tuple[Any, ...]:
    """Return ``node`` with element ``i`` set (or appended, at the end): path copying."""
    k = (i >> shift) & _MASK
    if shift == 0:
        return (*node[:k], value, *node[k + 1 :])
    child = node[k] if k < len(node) else ()
    return (*node[:k], _set(child, shift - _BITS, i, value), *node[k + 1 :])


def _walk(node: tuple[Any, ...], shift: int) -> Iterator[Any]:
    if shift == 0:
        yield from node
        return
    for child in node:
        yield from _walk(child, shift - _BITS)


@final
class Vec(Generic[T]):
    """An immutable sequence with O(log n) ``append``, ``set`` and indexing.

    Equal to another :class:`Vec` with the same elements in the same order (never to a
    tuple: compare ``tuple(v)``); hashable when its elements are. ``as_tuple()`` gives the
    elements as a tuple, built once per version and kept.
    """

    __slots__ = ("_len", "_root", "_shift", "_tuple")

    _len: int
    _root: tuple[Any, ...]
    _shift: int
    _tuple: tuple[T, ...] | None

    def __init__(self) -> None:
        self._len = 0
        self._root = ()
        self._shift = 0
        self._tuple = ()

    @classmethod
    def of(cls, items: Iterable[T]) -> Vec[T]:
        """Return a vector of ``items``, in order (linear time)."""
        out: Vec[T] = cls()
        for item in items:
            out = out.append(item)
        return out

    def _make(self, root: tuple[Any, ...], shift: int, n: int) -> Vec[T]:
        new: Vec[T] = object.__new__(Vec)
        new._len = n
        new._root = root
        new._shift = shift
        new._tuple = None
        return new

    def append(self, item: T) -> Vec[T]:
        """Return a new vector with ``item`` at the end."""
        n = self._len
        root, shift = self._root, self._shift
        if n == _WIDTH << shift:  # full: one more level
            root, shift = (root,), shift + _BITS
        return self._make(_set(root, shift, n, item), shift, n + 1)

    def set(self, index: int, item: T) -> Vec[T]:
        """Return a new vector with element ``index`` (0 to len - 1) replaced."""
        if not 0 <= index < self._len:
            raise IndexError(index)
        return self._make(_set(self._root, self._shift, index, item), self._shift, self._len)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...
    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return self.as_tuple()[index]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        node = self._root
        shift = self._shift
        while shift:
            node = node[(index >> shift) & _MASK]
            shift -= _BITS
        return node[index & _MASK]  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def __iter__(self) -> Iterator[T]:
        if self._tuple is not None:
            return iter(self._tuple)
        return _walk(self._root, self._shift)

    def __reversed__(self) -> Iterator[T]:
        return reversed(self.as_tuple())

    def as_tuple(self) -> tuple[T, ...]:
        """Return the elements as a tuple (built on first use, then kept)."""
        out = self._tuple
        if out is None:
            out = tuple(_walk(self._root, self._shift))
            self._tuple = out
        return out

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Vec):
            return NotImplemented
        return self._len == other._len and (
            self._root == other._root or self.as_tuple() == other.as_tuple()
        )

    def __hash__(self) -> int:
        return hash(self.as_tuple())

    def __repr__(self) -> str:
        return f"Vec({list(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Vec.of, (self.as_tuple(),))


EMPTY: Vec[Any] = Vec()
