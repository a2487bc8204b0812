"""Helpers shared by the command-line tests."""

from __future__ import annotations

from click.testing import CliRunner

from codemod.secrets import redact


def cli_runner() -> CliRunner:
    """A runner that captures stderr apart from stdout (the default from click 8.2 on)."""
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


class Key(str):
    """A generated key whose repr is redacted: a failing hypothesis example never prints it."""

    def __repr__(self) -> str:
        return f"Key({redact(self)!r})"
