"""Route ``google.generativeai`` to the differential harness's fake Gemini backend.

Put this directory on a child's ``PYTHONPATH`` with ``GENAI2OPENAI_GEMINI_ENDPOINT`` set to
``http://127.0.0.1:PORT`` (see ``tests/differential.py``). Nothing is imported early: a
post-import hook waits for the program itself to import ``google.generativeai.client``, so the
import-time ``configure()`` still reads the environment the program set up first.

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
from typing import Any

_ENDPOINT = os.environ.get("GENAI2OPENAI_GEMINI_ENDPOINT", "")
_TARGET = "google.generativeai.client"


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


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Finds ``google.generativeai.client`` as usual and patches it once it has run."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != _TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_and_patch(module: Any) -> None:
            exec_module(module)
            _patch(module)

        spec.loader.exec_module = exec_and_patch  # type: ignore[method-assign]
        return spec


if _ENDPOINT:
    sys.meta_path.insert(0, _PatchOnImport())
