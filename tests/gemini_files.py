"""genai's Files API on the fake Gemini backend (tests/gemini_backend.py).

google-generativeai 0.8.6 uploads through googleapiclient: it fetches a discovery document from
a URL hard-coded to Google's host (``tests/gemini_route`` points it here), then sends the file
with the resumable protocol (a POST that opens a session, a PUT with the bytes) or, with
``resumable=False``, one ``multipart/related`` POST. It reads files back through its REST
transport: ``GET`` / ``DELETE /v1beta/files/{id}`` and ``GET /v1beta/files``.

These requests are answered from a store, ``ACTIVE`` at once, and are not recorded: the
migration has no upload, it sends the bytes inline where the file is used. The harness compares
the content where it is sent: a ``fileData`` part is normalised to the bytes stored under its
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
import threading
from collections.abc import Mapping
from typing import Any

DISCOVERY_PATH = "/$discovery/rest"
UPLOAD_PATH = "/upload/v1beta/files"
FILES_PATH = "/v1beta/files"
_TIME = "2026-01-01T00:00:00Z"


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
        return f"{self.endpoint}/v1beta/{self.name}"

    def resource(self) -> dict[str, Any]:
        """The File resource genai reads (``google.ai.generativelanguage.File`` as JSON)."""
        return {
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
        }


_lock = threading.Lock()
_ids = itertools.count(1)
_files: dict[str, StoredFile] = {}  # by uri; ids are unique in the process, never reused
_deleted: set[str] = set()  # uris of deleted files: gone for genai, still there for normalising
_sessions: dict[str, tuple[str, Mapping[str, Any]]] = {}  # resumable upload id → (mime type, metadata)


def is_files_request(path: str) -> bool:
    """A request of genai's Files API (or its discovery document)."""
    return path in (DISCOVERY_PATH, UPLOAD_PATH, FILES_PATH) or path.startswith(FILES_PATH + "/")


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
) -> tuple[int, Any, dict[str, str]]:
    """(status, JSON payload, extra headers) for one Files API request (header names lower-case)."""
    if method == "GET" and path == DISCOVERY_PATH:
        return 200, discovery_document(endpoint), {}
    if path == UPLOAD_PATH:
        return _upload(endpoint, method, query, headers, body)
    if method == "GET" and path == FILES_PATH:
        with _lock:
            files = [f.resource() for f in _files.values() if f.endpoint == endpoint and f.uri not in _deleted]
        return 200, {"files": files}, {}
    stored = uploaded(endpoint + path)
    if stored is None or stored.uri in _deleted:
        return 404, {"error": {"code": 404, "message": f"No file {path}", "status": "NOT_FOUND"}}, {}
    if method == "DELETE":
        with _lock:
            _deleted.add(stored.uri)
        return 200, {}, {}
    return 200, stored.resource(), {}


def _upload(
    endpoint: str, method: str, query: Mapping[str, str], headers: Mapping[str, str], body: bytes
) -> tuple[int, Any, dict[str, str]]:
    kind = query.get("uploadType")
    if method == "POST" and kind == "resumable":
        session = f"s{next(_ids)}"
        with _lock:
            _sessions[session] = (headers.get("x-upload-content-type", ""), json.loads(body or b"{}"))
        return 200, {}, {"Location": f"{endpoint}{UPLOAD_PATH}?upload_id={session}"}
    if method == "PUT" and "upload_id" in query:
        with _lock:
            mime_type, metadata = _sessions.pop(query["upload_id"])
        return 200, {"file": _store(endpoint, mime_type, body, metadata).resource()}, {}
    if method == "POST" and kind == "multipart":
        metadata, mime_type, data = _multipart(headers.get("content-type", ""), body)
        return 200, {"file": _store(endpoint, mime_type, data, metadata).resource()}, {}
    return 400, {"error": {"code": 400, "message": "unsupported upload", "status": "INVALID_ARGUMENT"}}, {}


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
    stored = StoredFile(name, endpoint, mime_type, data, file.get("displayName", ""))
    with _lock:
        _files[stored.uri] = stored
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
