"""The Files API of both SDKs on the fake Gemini backend (tests/gemini_files.py): driven by the
real google.generativeai and google-genai, and request by request."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from typing import Any

import gemini_files
import pytest
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


GOOGLE_GENAI_PROGRAM = """\
import asyncio
import io

from google import genai

with open("notes.pdf", "wb") as f:
    f.write(b"%PDF-1.4 pretend")
with open("clip.wav", "wb") as f:
    f.write(b"RIFF pretend")
client = genai.Client()
pdf = client.files.upload(file="notes.pdf")
wav = client.files.upload(
    file="clip.wav", config={"mime_type": "audio/wav", "display_name": "Clip", "name": "clip"}
)
raw = client.files.upload(file=io.BytesIO(b"raw bytes"), config={"mime_type": "text/plain"})
print(pdf.display_name, pdf.mime_type, pdf.size_bytes, pdf.state.name, pdf.source.name)
print(wav.name, wav.display_name, client.files.get(name=wav.name).mime_type)
print(sorted(f.mime_type for f in client.files.list()))
print(client.models.generate_content(model="m", contents=["Read", pdf, wav, raw]).text)
client.files.delete(name=pdf.name)
print(len(list(client.files.list())))


async def main():
    clip = await client.aio.files.upload(file="clip.wav")
    print(clip.mime_type, (await client.aio.files.get(name=clip.name)).size_bytes)
    print((await client.aio.models.generate_content(model="m", contents=[clip, "Hear"])).text)


asyncio.run(main())
"""


def test_google_genai_uploads_are_served_and_sent_files_compare_as_their_bytes(
    harness: Backends,
) -> None:
    """google-genai's uploads (a path, a path with a config, a stream; sync and async) under
    ``/upload/v1/files``, get/list/delete under ``/v1/files``; the logical requests are the two
    generate calls, whose file parts are the uploaded bytes."""
    run = run_original(GOOGLE_GENAI_PROGRAM, backends=harness)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "None application/pdf 16 ACTIVE UPLOADED",  # no display name unless one is given
        "files/clip Clip audio/wav",
        "['application/pdf', 'audio/wav', 'text/plain']",
        "echo: Read",
        "2",
        "audio/x-wav 12",  # the mime type google-genai guesses from the name
        "echo: Hear",
    ]
    pdf = inline_part("application/pdf", b"%PDF-1.4 pretend")
    wav, raw = inline_part("audio/wav", b"RIFF pretend"), inline_part("text/plain", b"raw bytes")
    assert [request.messages for request in run.requests] == [
        (Message("user", (Part("text", "Read"), pdf, wav, raw)),),
        (Message("user", (wav, Part("text", "Hear"))),),
    ]


# -- google-genai's resumable protocol, request by request ---------------------------------------

ENDPOINT = "http://files.test"


@pytest.fixture
def endpoint() -> Iterator[str]:
    """An endpoint of its own, emptied after the test."""
    yield ENDPOINT
    gemini_files.forget(ENDPOINT)


def _start(size: int, mime_type: str = "text/plain", version: str = "v1", **file: Any) -> str:
    """Open a google-genai upload session; its upload URL's path and query."""
    headers = {
        "x-goog-upload-protocol": "resumable",
        "x-goog-upload-command": "start",
        "x-goog-upload-header-content-length": str(size),
        "x-goog-upload-header-content-type": mime_type,
    }
    body = json.dumps({"file": {"mime_type": mime_type, "size_bytes": size, **file}}).encode()
    status, payload, extra = gemini_files.answer(
        ENDPOINT, "POST", f"/upload/{version}/files", {}, headers, body
    )
    assert (status, extra["X-Goog-Upload-Status"]) == (200, "active"), payload
    url = extra["X-Goog-Upload-URL"]
    assert url.startswith(f"{ENDPOINT}/upload/{version}/files?upload_id=")
    return url[len(ENDPOINT) :]


def _chunk(url: str, offset: int, data: bytes, command: str) -> tuple[int, Any, dict[str, str]]:
    path, _, query = url.partition("?")
    params = dict(pair.split("=", 1) for pair in query.split("&"))
    headers = {"x-goog-upload-command": command, "x-goog-upload-offset": str(offset)}
    return gemini_files.answer(ENDPOINT, "POST", path, params, headers, data)


@pytest.mark.parametrize("version", ["v1", "v1beta"])
def test_chunks_are_joined_and_the_file_is_stored(endpoint: str, version: str) -> None:
    """Chunks answered ``active``, the finalising one ``final`` with the File resource; the
    bytes are stored under its ``uri``, readable at every API version."""
    url = _start(7, version=version, display_name="Notes", name="files/notes")
    assert _chunk(url, 0, b"abc", "upload") == (200, {}, {"X-Goog-Upload-Status": "active"})
    status, payload, extra = _chunk(url, 3, b"defg", "upload, finalize")
    assert (status, extra) == (200, {"X-Goog-Upload-Status": "final"})
    resource = payload["file"]
    assert (resource["name"], resource["displayName"], resource["uri"]) == (
        "files/notes",
        "Notes",
        f"{endpoint}/v1beta/files/notes",
    )
    assert (resource["mimeType"], resource["sizeBytes"], resource["state"]) == (
        "text/plain",
        "7",
        "ACTIVE",
    )
    assert gemini_files.uploaded(resource["uri"]).data == b"abcdefg"
    for path in ("/v1/files/notes", "/v1beta/files/notes"):
        assert gemini_files.answer(endpoint, "GET", path, {}, {}, b"")[1] == resource
    listed = gemini_files.answer(endpoint, "GET", "/v1/files", {}, {}, b"")[1]
    assert listed == {"files": [resource]}


def test_a_name_given_again_after_a_delete_is_served(endpoint: str) -> None:
    """``config={"name": ...}`` of a deleted file uploads a new file under that name."""
    url = _start(1, name="files/again")
    uri = _chunk(url, 0, b"a", "upload, finalize")[1]["file"]["uri"]
    assert gemini_files.answer(endpoint, "DELETE", "/v1/files/again", {}, {}, b"")[0] == 200
    assert gemini_files.answer(endpoint, "GET", "/v1/files/again", {}, {}, b"")[0] == 404
    _chunk(_start(1, name="files/again"), 0, b"b", "upload, finalize")
    assert gemini_files.answer(endpoint, "GET", "/v1/files/again", {}, {}, b"")[0] == 200
    assert gemini_files.uploaded(uri).data == b"b"


@pytest.mark.parametrize(
    ("chunks", "message"),
    [
        ([(1, b"abc", "upload, finalize")], "offset 1, expected 0"),
        ([(0, b"ab", "upload, finalize")], "2 bytes received, 3 announced"),
        ([(0, b"abcd", "upload, finalize")], "4 bytes received, 3 announced"),
        ([(0, b"abc", "upload, finalize"), (3, b"", "upload, finalize")], "no upload session"),
    ],
)
def test_uploads_that_do_not_add_up_are_refused(
    endpoint: str, chunks: list[tuple[int, bytes, str]], message: str
) -> None:
    """A wrong offset, a size other than announced, a closed session: 400 and ``final`` (so
    google-genai raises instead of resending), nothing stored."""
    url = _start(3)
    *_, (offset, data, command) = chunks
    for earlier in chunks[:-1]:
        assert _chunk(url, *earlier)[0] == 200
    status, payload, extra = _chunk(url, offset, data, command)
    assert (status, extra) == (400, {"X-Goog-Upload-Status": "final"})
    assert message in payload["error"]["message"]
    listed = gemini_files.answer(endpoint, "GET", "/v1/files", {}, {}, b"")[1]["files"]
    assert len(listed) == len(chunks) - 1


@pytest.mark.parametrize(
    ("path", "served"),
    [
        ("/upload/v1/files", True),
        ("/upload/v1beta/files", True),
        ("/v1/files", True),
        ("/v1/files/abc", True),
        ("/v1beta/files/abc", True),
        ("/$discovery/rest", True),
        ("/upload/files", False),
        ("/v1/files/abc:download", False),
        ("/v1/models/m:generateContent", False),
        ("/v1/fileSearchStores", False),
    ],
)
def test_files_requests(path: str, served: bool) -> None:
    """The Files API at every API version; nothing else (those requests are recorded)."""
    assert gemini_files.is_files_request(path) is served
