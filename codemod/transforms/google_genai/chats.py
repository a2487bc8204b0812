"""`chat = client.chats.create(model=..., config=..., history=[...])` → a small chat class on the
OpenAI client, emitted once per file, whose `send_message` / `send_message_stream` keep
google-genai's rules: each send sends the system message, the turns so far and the new one; the
turn and the reply join the history only once the whole reply has come (google-genai's curated
history), never after an error. The calls keep their shape (`chat.send_message(turn)`); what
the program reads of each response is rewritten as for `generate_content`.
"""

from __future__ import annotations

import dataclasses

import libcst as cst

from codemod.analysis import ModuleAnalysis
from codemod.transforms import build
from codemod.transforms.arguments import call_arguments
from codemod.transforms.contents import message
from codemod.transforms.generate import CallSite, model_id
from codemod.transforms.google_genai.contents import (
    Request,
    Unprovable,
    at_run_time,
    user_messages,
)
from codemod.transforms.google_genai.runtime import CONTENTS_HELPER, TURN_HELPER
from codemod.transforms.plan import Unsupported

CHAT = "_Genai2openaiChat"
ASYNC_CHAT = "_Genai2openaiAsyncChat"
CHAT_SOURCE = '''\
class {name}:
    """google-genai's Chat on an OpenAI client: each send sends the system message,
    the history and the new turn; the turn and the reply join the history once the
    whole reply has come (after an error, or without a reply, it stays as it was)."""

    def __init__(self, client, history=(), system=(), **request):
        self._client, self._system, self._request = client, list(system), request
        self.history = list(history)

    def send_message(self, turn):
        response = self._client.chat.completions.create(
            messages=[*self._system, *self.history, turn], **self._request
        )
        choices = response.choices
        self._record(turn, choices[0].message.content if choices else None)
        return response

    def send_message_stream(self, turn):
        stream = self._client.chat.completions.create(
            messages=[*self._system, *self.history, turn],
            stream=True,
            **self._request,
        )
        text, finished = None, False
        for chunk in stream:
            if chunk.choices:
                if chunk.choices[0].delta.content is not None:
                    text = (text or "") + chunk.choices[0].delta.content
                finished = finished or chunk.choices[0].finish_reason is not None
            yield chunk
        self._record(turn, text if finished else None)

    def _record(self, turn, text):
        if text is not None:
            self.history += [turn, {{"role": "assistant", "content": text}}]
'''
ASYNC_CHAT_SOURCE = '''\
class {name}:
    """google-genai's AsyncChat on an AsyncOpenAI client: as the chat above, awaited."""

    def __init__(self, client, history=(), system=(), **request):
        self._client, self._system, self._request = client, list(system), request
        self.history = list(history)

    async def send_message(self, turn):
        response = await self._client.chat.completions.create(
            messages=[*self._system, *self.history, turn], **self._request
        )
        choices = response.choices
        self._record(turn, choices[0].message.content if choices else None)
        return response

    async def send_message_stream(self, turn):
        stream = await self._client.chat.completions.create(
            messages=[*self._system, *self.history, turn],
            stream=True,
            **self._request,
        )
        return self._relay(turn, stream)

    async def _relay(self, turn, stream):
        text, finished = None, False
        async for chunk in stream:
            if chunk.choices:
                if chunk.choices[0].delta.content is not None:
                    text = (text or "") + chunk.choices[0].delta.content
                finished = finished or chunk.choices[0].finish_reason is not None
            yield chunk
        self._record(turn, text if finished else None)

    def _record(self, turn, text):
        if text is not None:
            self.history += [turn, {{"role": "assistant", "content": text}}]
'''
SENDS = {"send_message": False, "send_message_stream": True}  # method → streamed
GET_HISTORY = (
    "chat.get_history() (google-genai Content objects, also turns without a reply) has no "
    "equivalent genai2openai writes, so this chat stays on google-genai; migrated, a chat keeps "
    "its answered turns as OpenAI messages in chat.history"
)
CHAT_EXPORT = "it is now a chat on the OpenAI client (send_message as before; chat.history holds OpenAI messages)"


@dataclasses.dataclass
class ChatPlan:
    """One `client.chats.create(...)` and every send made on the chat it returns."""

    create: cst.Call
    replacement: cst.Call | None = None
    sends: list[CallSite] = dataclasses.field(default_factory=list)
    problems: list[tuple[cst.CSTNode, str]] = dataclasses.field(default_factory=list)
    helpers: dict[str, str] = dataclasses.field(default_factory=dict)
    exports: set[str] = dataclasses.field(default_factory=set)
    marks: list = dataclasses.field(default_factory=list)  # type: ignore[type-arg]


def chat_helper(asynchronous: bool) -> tuple[str, str]:
    """(name, source) of the chat class the migrated code makes."""
    name = ASYNC_CHAT if asynchronous else CHAT
    return name, (ASYNC_CHAT_SOURCE if asynchronous else CHAT_SOURCE).format(name=name)


def chat_creation(
    create: cst.Call,
    receiver: cst.BaseExpression,
    asynchronous: bool,
    analysis: ModuleAnalysis,
    options: list[tuple[str, cst.BaseExpression]],
    request: Request,
    helpers: dict[str, str],
    kept: list[cst.CSTNode],
) -> cst.Call:
    """`_Genai2openaiChat(client, history=[...], system=[...], model=..., <options>)`."""
    args = call_arguments(create, ())
    if "model" not in args:
        raise Unsupported("chats.create without model=")
    for key in args:
        if key not in ("model", "config", "history"):
            raise Unsupported(f"chats.create({key}=...) is not migrated")
    arguments = [cst.Arg(receiver)]
    history = args.get("history")
    if history is not None and not (isinstance(history, cst.List) and not history.elements):
        try:
            if not isinstance(history, cst.List):
                raise Unprovable("a chat history that is not a literal list")
            converted: cst.BaseExpression = cst.List([cst.Element(x) for x in user_messages(history, analysis, helpers)])
        except Unprovable:
            converted = at_run_time(history, CONTENTS_HELPER, analysis, helpers, kept)
        arguments.append(build.kwarg("history", converted))
    if request.system is not None:
        arguments.append(build.kwarg("system", cst.List([cst.Element(message("system", request.system))])))
    arguments.append(build.kwarg("model", model_id(args["model"], analysis)))
    arguments += [build.kwarg(name, value) for name, value in options]
    name, source = chat_helper(asynchronous)
    helpers[name] = source
    return build.exploded_call(cst.Call(cst.Name(name), arguments))


def send_turn(send: cst.Call, analysis: ModuleAnalysis, helpers: dict[str, str], kept: list[cst.CSTNode]) -> cst.BaseExpression:
    """The user message one `send_message(message)` sends (`t_content` of the message)."""
    args = call_arguments(send, ("message",))
    if set(args) != {"message"}:
        raise Unsupported("send_message with config= (it replaces the chat's whole config for this turn) is not migrated")
    try:
        turns = user_messages(args["message"], analysis, helpers)
    except Unprovable:
        return at_run_time(args["message"], TURN_HELPER, analysis, helpers, kept)
    if len(turns) != 1:
        raise Unsupported("a message that makes several turns: google-genai refuses it")
    return turns[0]
