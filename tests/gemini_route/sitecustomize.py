"""Route ``google.generativeai`` (and what google-genai's variable misses) to the differential
harness's fake Gemini backend.

Put this directory on a child's ``PYTHONPATH`` with ``GENAI2OPENAI_GEMINI_ENDPOINT`` set to
``http://127.0.0.1:PORT`` (see ``tests/differential.py``). Nothing is imported early: a
post-import hook waits for the program itself to import ``google.generativeai.client`` (or
``google.genai.client``), so the import-time ``configure()`` still reads the environment the
program set up first.

**google-genai** needs no patching for the usual program: it reads ``GOOGLE_GEMINI_BASE_URL``
(``google/genai/_base_url.py``, ``get_base_url``), which the harness sets to the endpoint. That
variable is the lowest of ``get_base_url``'s three sources, though: a program's own
``http_options=HttpOptions(base_url=...)`` or ``set_default_base_urls(...)`` outranks it. So
``google.genai.client.get_base_url`` is wrapped (``_route_google_genai``): a Gemini API (not
Vertex) base URL on Google's host ``generativelanguage.googleapis.com`` becomes the endpoint, as
google.generativeai's ``api_endpoint`` is replaced below; the program's API version, headers
and retry options are kept. Any other base URL (a gateway of the program's own) is kept
and fails offline, and a Vertex AI client (``vertexai=True``: ``GOOGLE_VERTEX_BASE_URL``,
``aiplatform.googleapis.com``) is never routed, so it fails visibly rather than passing for a
Gemini API client. google-genai's errors are its own (``ClientError``/``ServerError`` from the
HTTP status and the body's ``error``), as in production: nothing to translate.

**google.generativeai**:

The seam is ``_ClientManager.make_client``, which builds every default client after the
program's own ``configure()`` (or the import-time one when it never calls it). The client is
built with ``transport="rest"`` and ``client_options.api_endpoint = ENDPOINT``; the program's
key, other client options and metadata are kept, so the request bodies are the ones genai
builds (a ``transport`` or ``api_endpoint`` the program chose is overridden). ``upload_file``
fetches its discovery document from a URL of its own and uploads with httplib2: both go to
``ENDPOINT`` too (``_route_uploads``).

REST is only the harness's wire: unless the program itself chose ``transport="rest"``, the
client behaves as genai's default gRPC transport does on errors:

* errors are raised as gRPC raises them: the class of the google.rpc status in the error body
  (``ResourceExhausted``, ``InvalidArgument``, ``Unauthenticated``...) with the server's message,
  where REST raises HTTP-status classes (``TooManyRequests``, ``BadRequest``...) with the URL in
  the message;
* the REST session's own resend of a request answered 401 (a credential refresh gRPC does
  not do) is switched off.

genai builds its ``*_async`` clients on ``grpc_asyncio``; the REST transport only has
synchronous stubs (genai 0.8.6 with ``transport="rest"`` fails on ``generate_content_async``:
``object GenerateContentResponse can't be used in 'await' expression``), so async clients get the REST transport with each wrapped method run in a
worker thread (streams are read there chunk by chunk): same request bodies, same default retry
policy, awaited as the async client expects.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import importlib.abc
import importlib.machinery
import os
import sys
import urllib.parse
from collections.abc import Callable
from typing import Any

_ENDPOINT = os.environ.get("GENAI2OPENAI_GEMINI_ENDPOINT", "")
_GEMINI_HOST = "generativelanguage.googleapis.com"


class _AsyncIterator:
    """An async iterator reading a blocking iterator in worker threads."""

    def __init__(self, iterator: Any) -> None:
        self._iterator = iterator

    def __aiter__(self) -> _AsyncIterator:
        return self

    async def __anext__(self) -> Any:
        done = object()
        item = await asyncio.to_thread(next, self._iterator, done)
        if item is done:
            raise StopAsyncIteration
        return item


def _awaitable(rpc: Any) -> Any:
    @functools.wraps(rpc)
    async def call(*args: Any, **kwargs: Any) -> Any:
        result = await asyncio.to_thread(rpc, *args, **kwargs)
        return _AsyncIterator(result) if hasattr(result, "__next__") else result

    return call


def _grpc_error(response: Any) -> Any:
    """The error genai's gRPC transport raises for the error response of a REST call."""
    from google.api_core import exceptions
    from google.rpc import code_pb2

    try:
        error = response.json()["error"]
        code = code_pb2.Code.Value(error["status"])
    except (ValueError, KeyError, TypeError):
        return _from_http_response(response)
    return exceptions.from_grpc_status(
        code, error.get("message", ""), details=error.get("details", ()), response=response
    )


_from_http_response: Any = None


def _raise_as_grpc() -> None:
    global _from_http_response
    from google.api_core import exceptions

    if _from_http_response is None:
        _from_http_response = exceptions.from_http_response
        exceptions.from_http_response = _grpc_error


def _routed(config: dict[str, Any]) -> dict[str, Any]:
    from google.api_core import client_options as client_options_lib

    options = copy.copy(config.get("client_options") or client_options_lib.ClientOptions())
    options.api_endpoint = _ENDPOINT
    return {**config, "transport": "rest", "client_options": options}


def _route_uploads(module: Any) -> None:
    """``upload_file`` goes through googleapiclient and httplib2: its discovery document (a URL
    hard-coded to Google's host) and its uploads go to ``ENDPOINT``. httplib2 refuses every
    connection while a proxy is set and PySocks is missing, so it connects directly, to
    ``ENDPOINT`` only (the proxy variables are there to keep programs off the network)."""
    import httplib2

    module.GENAI_API_DISCOVERY_URL = _ENDPOINT + "/$discovery/rest"
    request = httplib2.Http.request

    def loopback_request(self: Any, uri: str, *args: Any, **kwargs: Any) -> Any:
        if not uri.startswith(_ENDPOINT + "/"):
            raise ConnectionRefusedError(f"the harness serves {_ENDPOINT} only, not {uri}")
        self.proxy_info = None
        return request(self, uri, *args, **kwargs)

    httplib2.Http.request = loopback_request


def _patch(module: Any) -> None:
    _route_uploads(module)
    manager = module._ClientManager
    make_client = manager.make_client

    def routed_make_client(self: Any, name: str) -> Any:
        if not self.client_config:
            module.configure()
        saved = self.client_config
        self.client_config = _routed(saved)
        try:
            client = make_client(self, name)
        finally:
            self.client_config = saved
        is_async = name.endswith("_async")
        transport = client._client._transport if is_async else client._transport
        if saved.get("transport") != "rest":
            _raise_as_grpc()
            transport._session._refresh_status_codes = ()
        if is_async:
            transport._wrapped_methods = {
                key: _awaitable(rpc) for key, rpc in transport._wrapped_methods.items()
            }
        return client

    manager.make_client = routed_make_client


def routed_base_url(url: str | None, vertexai: bool) -> str | None:
    """``url`` with a Gemini API base URL on Google's host replaced by ``ENDPOINT``."""
    if vertexai or not url or urllib.parse.urlsplit(url).hostname != _GEMINI_HOST:
        return url
    return _ENDPOINT


def _route_google_genai(module: Any) -> None:
    """Wrap ``google.genai.client.get_base_url`` (see the module docstring)."""
    get_base_url = module.get_base_url

    @functools.wraps(get_base_url)
    def routed_get_base_url(vertexai: bool, http_options: Any = None) -> str | None:
        return routed_base_url(get_base_url(vertexai, http_options), vertexai)

    module.get_base_url = routed_get_base_url


_PATCHES: dict[str, Callable[[Any], None]] = {
    "google.generativeai.client": _patch,
    "google.genai.client": _route_google_genai,
}


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Finds the modules of ``_PATCHES`` as usual and patches each once it has run."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        patch = _PATCHES.get(fullname)
        if patch is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_patch(module: Any) -> None:
            exec_module(module)
            patch(module)

        spec.loader.exec_module = exec_and_patch  # type: ignore[method-assign]
        return spec


if _ENDPOINT:
    sys.meta_path.insert(0, _PatchOnImport())
