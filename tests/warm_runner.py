"""Run ``python script.py`` in forks of a warm interpreter, without paying for the imports.

Importing openai or genai costs about half a second; the differential harness runs two programs
per fixture. ``WarmRunner(env).run(script, cwd)`` starts (once) this file as a server process
with ``env``, which imports ``PRELOAD`` and then forks once per script. The child becomes the
script's process: working directory, environment, ``sys.argv``, ``sys.path[0]``, stdin from
``/dev/null``, stdout and stderr to files, a fresh ``random`` seed; it runs the script as
``__main__`` (``runpy.run_path``) and exits through the normal interpreter shutdown, so exit
status, tracebacks, ``atexit`` and non-daemon threads behave as in a fresh process.

What differs from a fresh process: the ``PRELOAD`` modules are already imported, so their
import-time reads of the environment saw the server's environment (the job's, as the harness
passes the same one) rather than one the program changed first. ``google.generativeai`` itself
is not preloaded (its import reads ``GEMINI_API_KEY``/``GOOGLE_API_KEY``), and a program that
mentions a variable ``openai`` reads at import (``COLD_IF_MENTIONED``) is run cold. With ``cold=True``
(the default where ``os.fork`` is missing or ``GENAI2OPENAI_COLD_RUNS=1``), every script runs
cold, in a fresh ``subprocess.run``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

PRELOAD = (
    "openai",
    "google.ai.generativelanguage",
    "google.api_core.gapic_v1",
    "google.api_core.operations_v1",
    "google.auth.transport.requests",
    "googleapiclient.discovery",
    "PIL.Image",
)
COLD_IF_MENTIONED = ("OPENAI_API_TYPE", "OPENAI_API_VERSION", "AZURE_OPENAI_ENDPOINT", "OPENAI_LOG")
COLD_RUNS = os.environ.get("GENAI2OPENAI_COLD_RUNS") == "1" or not hasattr(os, "fork")


@dataclasses.dataclass(frozen=True)
class Result:
    """Exit status (negative: killed by that signal) and output of one script."""

    returncode: int
    stdout: str
    stderr: str


def run_cold(script: Path, cwd: Path, env: Mapping[str, str], timeout: float) -> Result:
    """``python script`` in a fresh process."""
    proc = subprocess.run(
        [sys.executable, script.name],
        check=False,
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


class WarmRunner:
    """A server process that forks a warm interpreter per script; one script at a time."""

    def __init__(self, env: Mapping[str, str], cold: bool = COLD_RUNS) -> None:
        self._env = dict(env)
        self._cold = cold
        self._lock = threading.Lock()
        self._server: subprocess.Popen[str] | None = None

    def run(self, script: Path, cwd: Path, timeout: float) -> Result:
        """Run ``script`` (in ``cwd``) as ``python script.name`` would."""
        source = script.read_text(encoding="utf-8")
        if self._cold or any(name in source for name in COLD_IF_MENTIONED):
            return run_cold(script, cwd, self._env, timeout)
        with self._lock, tempfile.TemporaryDirectory() as tmp:
            out, err = Path(tmp, "stdout"), Path(tmp, "stderr")
            job = {"cwd": str(cwd), "script": script.name, "env": self._env}
            job.update(stdout=str(out), stderr=str(err), timeout=int(timeout))
            returncode = self._call(job)
            read = {"encoding": "utf-8", "errors": "replace"}
            return Result(returncode, out.read_text(**read), err.read_text(**read))

    def stop(self) -> None:
        """End the server process."""
        if self._server is not None:
            self._server.kill()
            self._server.wait()
            self._server = None

    def _call(self, job: dict[str, Any]) -> int:
        server = self._start()
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(json.dumps(job) + "\n")
        server.stdin.flush()
        reply = server.stdout.readline()
        if not reply:
            self.stop()
            raise RuntimeError("the warm runner died")
        return int(json.loads(reply)["returncode"])

    def _start(self) -> subprocess.Popen[str]:
        if self._server is None or self._server.poll() is not None:
            self._server = subprocess.Popen(
                [sys.executable, __file__],
                env=self._env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
            )
        return self._server


# -- the server process ---------------------------------------------------------------------


def _become(job: Mapping[str, Any]) -> None:
    """Turn this fork into the script's process (see the module docstring)."""
    import random
    import signal

    os.chdir(job["cwd"])
    os.environ.clear()
    os.environ.update(job["env"])
    for fd, path, flags in (
        (0, os.devnull, os.O_RDONLY),
        (1, job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
        (2, job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
    ):
        opened = os.open(path, flags, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - the process's stdin
    sys.argv = [job["script"]]
    sys.path[0] = job["cwd"]
    random.seed()
    signal.alarm(job["timeout"])


def _exec_main(path: str) -> None:
    """Run the file at ``path`` as the ``__main__`` module, as the interpreter does."""
    import builtins
    import importlib.machinery
    import types

    with open(path, "rb") as f:
        code = compile(f.read(), path, "exec")
    main = types.ModuleType("__main__")
    main.__dict__.update(
        __file__=path,
        __builtins__=builtins,
        __loader__=importlib.machinery.SourceFileLoader("__main__", path),
        __spec__=None,
        __cached__=None,
    )
    sys.modules["__main__"] = main
    exec(code, main.__dict__)


def _serve(requests: IO[str], replies: IO[str]) -> None:
    import gc
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    # The children's collections (the last one at exit) then leave the preloaded objects
    # alone instead of touching, and so copying, every page of the parent.
    gc.freeze()
    for line in iter(requests.readline, ""):
        job = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _become(job)
            _exec_main(os.path.join(job["cwd"], job["script"]))
            raise SystemExit(0)  # leaves through the interpreter's normal shutdown
        _, status = os.waitpid(pid, 0)
        replies.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n")
        replies.flush()


def _main() -> None:
    # The protocol moves to copies of fds 0 and 1; stray output of the preloaded modules goes
    # to /dev/null, and each child opens its own stdin, stdout and stderr.
    requests = os.fdopen(os.dup(0), encoding="utf-8")
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    _serve(requests, replies)


if __name__ == "__main__":
    _main()
