"""The Files API of both Gemini SDKs on the fake Gemini backend (tests/gemini_backend.py).

google-generativeai 0.8.6 uploads through googleapiclient: it fetches a discovery document from
a URL hard-coded to Google's host (``tests/gemini_route`` points it here), then sends the file
with the resumable protocol (a POST that opens a session, a PUT with the bytes) or, with
``resumable=False``, one ``multipart/related`` POST. It reads files back through its REST
transport: ``GET`` / ``DELETE /v1beta/files/{id}`` and ``GET /v1beta/files``.

google-genai 3.6.1 (``client.files.upload``, ``client.aio.files.upload``) speaks Google's
resumable upload protocol to ``/upload/{version}/files`` (``v1`` by default): a POST with
``X-Goog-Upload-Protocol: resumable``, ``X-Goog-Upload-Command: start``, the size and mime type
in ``X-Goog-Upload-Header-Content-Length`` / ``-Content-Type`` and ``{"file": {...}}`` metadata
(snake_case: ``mime_type``, ``size_bytes``, ``display_name``, ``name``) opens a session; the
answer's ``X-Goog-Upload-URL`` header names it (``?upload_id=...``). The bytes follow in POSTs
to that URL in 8 MiB chunks, each with ``X-Goog-Upload-Offset`` (the bytes received so far) and
``X-Goog-Upload-Command: upload``, the last ``upload, finalize``. Every answer carries
``X-Goog-Upload-Status`` (``active``, then ``final`` with ``{"file": File}``): google-genai
resends a chunk whose answer lacks it, so an upload the store refuses (a wrong offset, fewer or
more bytes than announced, an unknown session) is answered 400 ``final`` and the SDK raises.
It reads files back at ``GET`` / ``DELETE /{version}/files/{id}`` and ``GET /{version}/files``.

These requests are answered from one store (any API version, ``ACTIVE`` at once, the File
resource as the API returns it: camelCase, ``sizeBytes`` a string, ``source`` ``UPLOADED``,
``uri`` ``{endpoint}/v1beta/files/{id}``) and are not recorded: the migration has no upload, it
sends the bytes inline where the file is used. The harness compares the content where it is
sent: a ``fileData`` / ``file_data`` part is normalised to the bytes stored under its
``fileUri`` (``uploaded``, used by ``tests/normalize.py``). Stdlib only.
"""

from __future__ import annotations

import base64
import dataclasses
import email.parser
import email.policy
import hashlib
import itertools
import json
import re
import threading
from collections.abc import Mapping
from typing import Any

DISCOVERY_PATH = "/$discovery/rest"
UPLOAD_PATH = "/upload/v1beta/files"
"""google.generativeai's upload path (its discovery document names it)."""
_VERSION = r"v\d+(?:alpha|beta)?\d*"  # an API version, as gemini_backend.API_VERSION
_UPLOAD_PATHS = re.compile(rf"/upload/{_VERSION}/files")
_FILES_PATHS = re.compile(rf"/{_VERSION}/(files(?:/[^/:]+)?)")
_TIME = "2026-01-01T00:00:00Z"
CHUNK_GRANULARITY = 8 * 1024 * 1024
"""google-genai's chunk size (``_api_client.CHUNK_SIZE``), announced at the start."""
Answer = tuple[int, Any, dict[str, str]]


@dataclasses.dataclass(frozen=True)
class StoredFile:
    """An uploaded file: its resource name, where it was served, what it holds."""

    name: str
    endpoint: str
    mime_type: str
    data: bytes
    display_name: str = ""

    @property
    def uri(self) -> str:
        return file_uri(self.endpoint, self.name)

    def resource(self) -> dict[str, Any]:
        """The File resource both SDKs read (the API's JSON; no ``displayName`` when unset)."""
        resource = {
            "name": self.name,
            "displayName": self.display_name,
            "mimeType": self.mime_type,
            "sizeBytes": str(len(self.data)),
            "createTime": _TIME,
            "updateTime": _TIME,
            "expirationTime": _TIME,
            "sha256Hash": base64.b64encode(hashlib.sha256(self.data).hexdigest().encode()).decode(),
            "uri": self.uri,
            "state": "ACTIVE",
            "source": "UPLOADED",
        }
        return {key: value for key, value in resource.items() if value != ""}


@dataclasses.dataclass
class _Session:
    """A resumable upload under way: what it announced and the bytes received so far."""

    mime_type: str
    metadata: Mapping[str, Any]
    size: int | None = None
    data: bytearray = dataclasses.field(default_factory=bytearray)


_lock = threading.Lock()
_ids = itertools.count(1)
_files: dict[str, StoredFile] = {}  # by uri; generated ids are unique in the process
_deleted: set[str] = set()  # uris of deleted files: gone for genai, still there for normalising
_sessions: dict[str, _Session] = {}  # by upload id


def file_uri(endpoint: str, name: str) -> str:
    """The ``uri`` of the file ``name`` (``files/{id}``) served on ``endpoint``."""
    return f"{endpoint}/v1beta/{name}"


def is_files_request(path: str) -> bool:
    """A request of either SDK's Files API (or google.generativeai's discovery document)."""
    return (
        path == DISCOVERY_PATH
        or _UPLOAD_PATHS.fullmatch(path) is not None
        or _FILES_PATHS.fullmatch(path) is not None
    )


def forget(endpoint: str) -> None:
    """A new run on ``endpoint`` starts without files (their bytes stay for normalising)."""
    with _lock:
        _deleted.update(uri for uri, f in _files.items() if f.endpoint == endpoint)


def uploaded(uri: str) -> StoredFile | None:
    """The file stored under ``uri``, if any (deleted or not: requests are normalised later)."""
    with _lock:
        return _files.get(uri)


def answer(
    endpoint: str, method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str], body: bytes
) -> Answer:
    """(status, JSON payload, extra headers) for one Files API request (header names lower-case)."""
    if method == "GET" and path == DISCOVERY_PATH:
        return 200, discovery_document(endpoint), {}
    if _UPLOAD_PATHS.fullmatch(path):
        if _is_goog_upload(headers):
            return _goog_upload(endpoint, path, query, headers, body)
        return _upload(endpoint, method, query, headers, body)
    match = _FILES_PATHS.fullmatch(path)
    resource = match.group(1) if match else ""
    if method == "GET" and resource == "files":
        return 200, {"files": _listed(endpoint)}, {}
    stored = uploaded(file_uri(endpoint, resource))
    if stored is None or stored.uri in _deleted:
        return 404, _error(404, f"No file {resource}"), {}
    if method == "DELETE":
        with _lock:
            _deleted.add(stored.uri)
        return 200, {}, {}
    return 200, stored.resource(), {}


def _error(status: int, message: str) -> dict[str, Any]:
    names = {400: "INVALID_ARGUMENT", 404: "NOT_FOUND"}
    return {"error": {"code": status, "message": message, "status": names[status]}}


def _listed(endpoint: str) -> list[dict[str, Any]]:
    """The File resources of the files ``endpoint`` holds (not deleted)."""
    with _lock:
        live = [f for f in _files.values() if f.endpoint == endpoint and f.uri not in _deleted]
    return [f.resource() for f in live]


def _upload(
    endpoint: str, method: str, query: Mapping[str, str], headers: Mapping[str, str], body: bytes
) -> Answer:
    """google.generativeai's uploads (googleapiclient's resumable and multipart protocols)."""
    kind = query.get("uploadType")
    if method == "POST" and kind == "resumable":
        session = f"s{next(_ids)}"
        with _lock:
            mime_type = headers.get("x-upload-content-type", "")
            _sessions[session] = _Session(mime_type, json.loads(body or b"{}"))
        return 200, {}, {"Location": f"{endpoint}{UPLOAD_PATH}?upload_id={session}"}
    if method == "PUT" and "upload_id" in query:
        with _lock:
            opened = _sessions.pop(query["upload_id"])
        stored = _store(endpoint, opened.mime_type, body, opened.metadata)
        return 200, {"file": stored.resource()}, {}
    if method == "POST" and kind == "multipart":
        metadata, mime_type, data = _multipart(headers.get("content-type", ""), body)
        return 200, {"file": _store(endpoint, mime_type, data, metadata).resource()}, {}
    return 400, _error(400, "unsupported upload"), {}


def _is_goog_upload(headers: Mapping[str, str]) -> bool:
    """A request of Google's resumable protocol (google-genai's), not googleapiclient's."""
    return "x-goog-upload-command" in headers


def _goog_upload(
    endpoint: str, path: str, query: Mapping[str, str], headers: Mapping[str, str], body: bytes
) -> Answer:
    """One request of google-genai's uploads: a session's start, or a chunk of its bytes."""
    commands = {c.strip() for c in headers["x-goog-upload-command"].split(",")}
    if commands == {"start"} and headers.get("x-goog-upload-protocol") == "resumable":
        return _goog_start(endpoint, path, headers, body)
    with _lock:
        opened = _sessions.get(query.get("upload_id", ""))
    if opened is None or not commands or not commands <= {"upload", "finalize"}:
        return _refused(f"no upload session for {sorted(commands)}")
    offset = headers.get("x-goog-upload-offset", "")
    if "upload" in commands and offset != str(len(opened.data)):
        return _refused(f"offset {offset}, expected {len(opened.data)}")
    with _lock:
        if "upload" in commands:
            opened.data += body
        if "finalize" in commands:
            _sessions.pop(query["upload_id"], None)
    if "finalize" not in commands:
        return 200, {}, {"X-Goog-Upload-Status": "active"}
    if opened.size is not None and opened.size != len(opened.data):
        return _refused(f"{len(opened.data)} bytes received, {opened.size} announced")
    stored = _store(endpoint, opened.mime_type, bytes(opened.data), opened.metadata)
    return 200, {"file": stored.resource()}, {"X-Goog-Upload-Status": "final"}


def _goog_start(endpoint: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer:
    """Open a session; ``X-Goog-Upload-URL`` is where its bytes go."""
    metadata = json.loads(body or b"{}")
    file = metadata.get("file") or {}
    mime_type = headers.get("x-goog-upload-header-content-type") or _field(file, "mimeType") or ""
    size = headers.get("x-goog-upload-header-content-length")
    session = f"s{next(_ids)}"
    with _lock:
        _sessions[session] = _Session(mime_type, metadata, int(size) if size else None)
    url = f"{endpoint}{path}?upload_id={session}&upload_protocol=resumable"
    return 200, {}, {
        "X-Goog-Upload-Status": "active",
        "X-Goog-Upload-URL": url,
        "X-Goog-Upload-Chunk-Granularity": str(CHUNK_GRANULARITY),
    }


def _refused(message: str) -> Answer:
    """An upload the store refuses: 400, ``final`` so google-genai raises instead of resending."""
    return 400, _error(400, message), {"X-Goog-Upload-Status": "final"}


def _field(file: Mapping[str, Any], camel: str) -> Any:
    """A File field in either spelling (google.generativeai camelCase, google-genai snake_case)."""
    snake = re.sub(r"[A-Z]", lambda m: "_" + m.group().lower(), camel)
    return file.get(camel, file.get(snake))


def _multipart(content_type: str, body: bytes) -> tuple[Mapping[str, Any], str, bytes]:
    """The JSON metadata and the media of a ``multipart/related`` upload."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    meta, media = list(message.iter_parts())
    return json.loads(meta.get_payload(decode=True)), media.get_content_type(), media.get_payload(decode=True)


def _store(endpoint: str, mime_type: str, data: bytes, metadata: Mapping[str, Any]) -> StoredFile:
    file = metadata.get("file") or {}
    name = file.get("name") or f"files/upload-{next(_ids)}"
    stored = StoredFile(name, endpoint, mime_type, data, _field(file, "displayName") or "")
    with _lock:
        _files[stored.uri] = stored
        _deleted.discard(stored.uri)  # a name given again after a delete is a new file
    return stored


def discovery_document(endpoint: str) -> dict[str, Any]:
    """The part of Gemini's discovery document genai's upload uses: ``media.upload``."""
    file_schema = {"id": "File", "type": "object", "properties": {"name": {"type": "string"}, "displayName": {"type": "string"}}}
    wrapper = {"type": "object", "properties": {"file": {"$ref": "File"}}}
    upload = {
        "id": "generativelanguage.media.upload",
        "path": "v1beta/files",
        "flatPath": "v1beta/files",
        "httpMethod": "POST",
        "parameters": {},
        "parameterOrder": [],
        "request": {"$ref": "CreateFileRequest"},
        "response": {"$ref": "CreateFileResponse"},
        "supportsMediaUpload": True,
        "mediaUpload": {
            "accept": ["*/*"],
            "maxSize": "2147483648",
            "protocols": {
                "simple": {"multipart": True, "path": UPLOAD_PATH},
                "resumable": {"multipart": True, "path": UPLOAD_PATH},
            },
        },
    }
    return {
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "id": "generativelanguage:v1beta",
        "name": "generativelanguage",
        "version": "v1beta",
        "protocol": "rest",
        "rootUrl": endpoint + "/",
        "servicePath": "",
        "baseUrl": endpoint + "/",
        "batchPath": "batch",
        "parameters": {
            "key": {"type": "string", "location": "query"},
            "alt": {"type": "string", "location": "query", "default": "json"},
        },
        "resources": {"media": {"methods": {"upload": upload}}},
        "schemas": {
            "File": file_schema,
            "CreateFileRequest": {"id": "CreateFileRequest", **wrapper},
            "CreateFileResponse": {"id": "CreateFileResponse", **wrapper},
        },
    }
