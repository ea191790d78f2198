"""`id_url`: url_for for the links a page repeats once per row, differing only in integer ids.

A topic page builds a hundred-odd links to twenty posts (permalink, edit, flag, helpful, delete, ...); each url_for
walks Werkzeug's URL map. Here each shape of link is built once per request through url_for, with placeholder ids,
and every later link of that shape is the same string with the real ids put in: the result is what url_for gives.
"""

from __future__ import annotations

from typing import Any

from flask import g, url_for

_PLACEHOLDER = 7_391_046_285_173  # an id no table reaches, recognisable in the built URL


def _shape(endpoint: str, values: dict[str, Any]) -> tuple[str, tuple[str, ...]] | None:
    """The URL with each integer value as a `{}` slot, and those values' names in slot order; None when the URL
    cannot be a pattern (a placeholder not found exactly once, or braces of its own)."""
    ints = [name for name, value in values.items() if type(value) is int]
    markers = {name: str(_PLACEHOLDER + i) for i, name in enumerate(ints)}
    built = url_for(endpoint, **{**values, **{name: int(marker) for name, marker in markers.items()}})
    if "{" in built or "}" in built or any(built.count(marker) != 1 for marker in markers.values()):
        return None
    names = tuple(sorted(ints, key=lambda name: built.index(markers[name])))
    for marker in markers.values():
        built = built.replace(marker, "{}")
    return built, names


def id_url(endpoint: str, **values: Any) -> str:
    """url_for(endpoint, **values), built from a per-request pattern when only integer values change."""
    cache = g.setdefault("kindred_id_urls", {})
    key = (endpoint, tuple((name, int if type(value) is int else value) for name, value in values.items()))
    try:
        shape = cache.get(key, False)
    except TypeError:  # an unhashable value: no pattern
        return url_for(endpoint, **values)
    if shape is False:
        shape = cache[key] = _shape(endpoint, values)
    if shape is None:
        return url_for(endpoint, **values)
    pattern, names = shape
    return pattern.format(*(values[name] for name in names))
