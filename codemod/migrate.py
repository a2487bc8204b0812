"""Public entry point for one module: source text in, migrated text and findings out.

parse → analyse → transform; nothing here reads or writes files.
"""

from __future__ import annotations

from codemod.ftypes import Migration, Options

SDK_MARKERS = (b"generativeai",)


def mentions_sdk(data: bytes) -> bool:
    """Cheap byte-level pre-filter: can this file possibly use google.generativeai?"""
    return any(marker in data for marker in SDK_MARKERS)


def migrate_source(source: str, options: Options, *, path: str = "<string>") -> Migration:
    """Migrate one module. Raises `libcst.ParserSyntaxError` or `RecursionError` on unparsable input."""
    import libcst as cst

    cst.parse_module(source)
    return Migration(source=source)
