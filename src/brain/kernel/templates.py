"""Jinja2 environments for server-rendered HTML: one per template folder, built once."""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined


@functools.cache
def environment(package: str, folder: str, *, keep_trailing_newline: bool = False) -> Environment:
    """The environment of the templates in `folder` of `package`: every value autoescaped, an
    undefined name an error rather than an empty string."""
    return Environment(
        loader=PackageLoader(package, folder),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )
