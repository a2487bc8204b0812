"""genai's Files API on the fake Gemini backend (tests/gemini_files.py), driven by real genai."""

from __future__ import annotations

import textwrap

from differential import Backends, run_original
from normalize import Message, Part, inline_part

PROGRAM = """\
import google.generativeai as genai

with open("notes.pdf", "wb") as f:
    f.write(b"%PDF-1.4 pretend")
with open("clip.wav", "wb") as f:
    f.write(b"RIFF pretend")
pdf = genai.upload_file("notes.pdf", display_name="Notes")
wav = genai.upload_file("clip.wav", mime_type="audio/wav", resumable=False)
print(pdf.display_name, pdf.mime_type, pdf.size_bytes, pdf.state.name)
print(genai.get_file(wav.name).mime_type, sorted(f.display_name for f in genai.list_files()))
print(genai.GenerativeModel("m").generate_content(["Read", pdf, wav]).text)
genai.delete_file(pdf.name)
wav.delete()
print(len(list(genai.list_files())))
"""


def test_uploads_are_served_and_sent_files_compare_as_their_bytes(harness: Backends) -> None:
    """Resumable and multipart uploads, get/list/delete; the one logical request is the
    generate call, whose file parts are the uploaded bytes."""
    run = run_original(textwrap.dedent(PROGRAM), backends=harness)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "Notes application/pdf 16 ACTIVE",
        "audio/wav ['Notes', 'clip.wav']",  # genai names a file after its path by default
        "echo: Read",
        "0",
    ]
    (request,) = run.requests
    parts = (Part("text", "Read"), inline_part("application/pdf", b"%PDF-1.4 pretend"), inline_part("audio/wav", b"RIFF pretend"))
    assert request.messages == (Message("user", parts),)
