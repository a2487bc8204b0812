"""`chat = model.start_chat(history=[...])` → a list of OpenAI messages the program keeps.

Each `chat.send_message(x)` becomes a call of one small helper emitted once per file: it sends the
system message, the whole history and the new turn, and only once the reply has come adds both
turns to the history — on an error the history stays as genai left it. Reads of `chat.history`
(`len`, iterating, `.role`, `.parts[0].text`), `chat.rewind()` and `chat.last.text` are rewritten;
anything else keeps the chat, and so its model, on genai with a TODO.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Callable

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis, Use
from codemod.flow import shared_name_advice
from codemod.ftypes import Kind, Severity
from codemod.transforms import build
from codemod.transforms.contents import user_messages
from codemod.transforms.plan import NodeEdit, Plan, Unsupported

if TYPE_CHECKING:
    from codemod.transforms.generate import CallSite, ModelMigration

SEND = "_genai2openai_send"
SEND_SOURCE = '''\
def {name}(history, turn, system=(), **request):
    """ChatSession.send_message: send the history and the new turn; once the reply
    has come, both join the history (after an error it stays as it was, as genai's)."""
    response = {client}.chat.completions.create(
        messages=[*system, *history, turn], **request
    )
    # genai raised StopCandidateException
    if response.choices[0].finish_reason not in ("stop", "length"):
        raise RuntimeError(
            f"the reply stopped early: {{response.choices[0].finish_reason}}"
        )
    history += [
        turn,
        {{"role": "assistant", "content": response.choices[0].message.content}},
    ]
    return response
'''
SEND_ASYNC = "_genai2openai_send_async"
SEND_ASYNC_SOURCE = '''\
async def {name}(history, turn, system=(), **request):
    """ChatSession.send_message_async: as send_message, awaited."""
    response = await {client}.chat.completions.create(
        messages=[*system, *history, turn], **request
    )
    # genai raised StopCandidateException
    if response.choices[0].finish_reason not in ("stop", "length"):
        raise RuntimeError(
            f"the reply stopped early: {{response.choices[0].finish_reason}}"
        )
    history += [
        turn,
        {{"role": "assistant", "content": response.choices[0].message.content}},
    ]
    return response
'''
FIRST_TEXT = "_genai2openai_first_text"
FIRST_TEXT_SOURCE = f'''\
def {FIRST_TEXT}(message):
    """genai's message.parts[0].text: the first part's text ("" for an image/file)."""
    content = message["content"]
    return content if isinstance(content, str) else content[0].get("text", "")
'''
STREAM_REWIND = "after a streamed reply that was not read to the end, genai's rewind() dropped that unfinished exchange; this drops the last finished one"
STATE_NOTE = "{path} now holds a list of OpenAI messages: other pages or modules reading it must be updated"
CHAT_EXPORT = "it is now a list of chat messages (the history); send with client.chat.completions.create"
ADVICE = {
    "history": "chat.history used in a way genai2openai does not follow (an OpenAI history is a list of message dicts): this chat stays on genai",
}


@dataclasses.dataclass
class ChatSite:
    """One `model.start_chat(...)` and everything done with the chat it returns."""

    start: cst.Call
    history: cst.BaseExpression | None = None
    sends: list[CallSite] = dataclasses.field(default_factory=list)
    edits: list[tuple[cst.CSTNode, NodeEdit]] = dataclasses.field(default_factory=list)
    statement_edits: list[tuple[cst.CSTNode, Callable]] = dataclasses.field(default_factory=list)  # type: ignore[type-arg]
    problems: list[tuple[cst.CSTNode, str]] = dataclasses.field(default_factory=list)
    exports: set[str] = dataclasses.field(default_factory=set)
    multipart: bool = False
    helpers: dict[str, str] = dataclasses.field(default_factory=dict)  # functions the history calls
    part_reads: list[cst.CSTNode] = dataclasses.field(default_factory=list)  # `m.parts[0].text` reads
    rewinds: list[cst.Call] = dataclasses.field(default_factory=list)
    notes: list[tuple[cst.CSTNode, str]] = dataclasses.field(default_factory=list)  # TODOs on rewritten code
    state: str | None = None  # the module state path the chat is kept in, if any


def plan_chat(migration: ModelMigration, construction: cst.Call, start: cst.Call, receiver: cst.BaseExpression) -> ChatSite:
    """Read one chat session: its history and every use of the chat object."""
    analysis = migration.analysis
    chat = ChatSite(start)
    try:
        chat.history = _initial_history(start, analysis, chat)
    except Unsupported as error:
        chat.problems.append((start, str(error)))
        return chat
    for use in analysis.uses(start):
        try:
            _plan_use(migration, construction, chat, use, receiver)
        except Unsupported as error:
            chat.problems.append((use.parent or use.node, str(error)))
    _plan_part_reads(chat)
    if any(send.stream for send in chat.sends):  # a stream stopped early left genai a pending exchange
        chat.notes += [(rewind, STREAM_REWIND) for rewind in chat.rewinds]
    holder = _state_holder(analysis, start)
    if holder is not None:
        chat.state = holder
    return chat


def _state_holder(analysis: ModuleAnalysis, start: cst.Call) -> str | None:
    """`st.session_state.chat = model.start_chat()`: the state path the chat is kept in."""
    assign = analysis.parent(start)
    if isinstance(assign, cst.Assign) and len(assign.targets) == 1:
        return analysis.state_path(assign.targets[0].target)
    return None


def apply_chat(plan: Plan, chat: ChatSite) -> None:
    history = chat.history
    assert history is not None
    if chat.state is not None:
        plan.report(chat.start, Kind.CROSS_MODULE, Severity.WARNING, STATE_NOTE.format(path=chat.state))
    for node, note in chat.notes:
        plan.mark(node, Kind.MANUAL_MIGRATION, note)
    plan.replace(chat.start, lambda _: plan.with_edits(history))
    for name, source in chat.helpers.items():
        plan.add_helper(name, source)
    for node, edit in chat.edits:
        plan.replace(node, edit)
    for statement, statement_edit in chat.statement_edits:
        plan.replace_statement(statement, statement_edit)


def send_helper(plan: Plan, asynchronous: bool = False) -> str:
    if asynchronous:
        return plan.add_helper(SEND_ASYNC, SEND_ASYNC_SOURCE.format(name=SEND_ASYNC, client=plan.async_client_name))
    return plan.add_helper(SEND, SEND_SOURCE.format(name=SEND, client=plan.client_name))


def _initial_history(start: cst.Call, analysis: ModuleAnalysis, chat: ChatSite) -> cst.BaseExpression:
    args = {a.keyword.value if a.keyword else "history": a.value for a in start.args if not a.star}
    if len(args) != len(start.args):
        raise Unsupported("start_chat(*args) cannot be read statically")
    for key in args:
        if key == "enable_automatic_function_calling":
            raise Unsupported("automatic function calling has no OpenAI equivalent: run the tool calls yourself")
        if key != "history":
            raise Unsupported(f"start_chat({key}=...) is not migrated")
    history = args.get("history")
    if history is None or m.matches(history, m.Name("None") | m.List(elements=[])):
        return cst.List([])
    elements = user_messages(history, analysis, chat.helpers)
    if isinstance(elements[0], cst.StarredElement):  # converted at run time: any turn may have parts
        chat.multipart = True
        return elements[0].value
    chat.multipart = chat.multipart or any(_has_parts(element.value) for element in elements)
    return build.exploded_list(cst.List(elements), 0)


def _has_parts(message: cst.BaseExpression) -> bool:
    return m.matches(message, m.Dict(elements=[m.ZeroOrMore(), m.DictElement(m.SimpleString('"content"'), m.List()), m.ZeroOrMore()]))


def _plan_use(migration: ModelMigration, construction: cst.Call, chat: ChatSite, use: Use, receiver: cst.BaseExpression) -> None:
    analysis = migration.analysis
    if use.kind == "export":
        if use.reason in migration.plan.kept_exports:
            raise Unsupported(migration.plan.kept_exports[use.reason])
        chat.exports.add(use.reason)
        return
    if use.kind == "discard":
        return
    if use.kind == "escape":
        raise Unsupported(f"the chat is {use.reason}")
    if use.kind != "attribute":
        raise Unsupported("the chat is used in a way genai2openai does not follow")
    attribute = use.attribute or ""
    call = analysis.parent(use.parent)  # type: ignore[arg-type]
    if attribute in ("send_message", "send_message_async") and isinstance(call, cst.Call) and call.func is use.parent:
        chat.sends.append(migration.send_site(construction, call, receiver, use.node, chat, attribute.endswith("_async")))
    elif attribute == "history":
        _plan_history(analysis, chat, use)
    elif attribute == "rewind" and isinstance(call, cst.Call) and isinstance(analysis.parent(call), cst.Expr):
        expr = analysis.parent(call)
        chat.rewinds.append(call)
        chat.statement_edits.append((expr, lambda _, chat_node=use.node: [_delete_last_exchange(chat_node)]))
    elif attribute == "last" and m.matches(analysis.parent(use.parent), m.Attribute(attr=m.Name("text"))):  # type: ignore[arg-type]
        text = analysis.parent(use.parent)
        chat.edits.append((text, lambda updated: _last_reply(updated.value.value)))  # type: ignore[attr-defined]
    else:
        raise Unsupported(ADVICE.get(attribute, f"chat.{attribute} has no OpenAI equivalent genai2openai knows"))


def _delete_last_exchange(chat: cst.BaseExpression) -> cst.Del:
    """`chat.rewind()` dropped the last user/model exchange."""
    return cst.Del(cst.parse_expression(f"{build.code(chat)}[-2:]"))


def _last_reply(chat: cst.BaseExpression) -> cst.BaseExpression:
    """`chat.last.text`: the text of the last reply, the history's last message."""
    return cst.parse_expression(f'{build.code(chat)}[-1]["content"]')


def _plan_history(analysis: ModuleAnalysis, chat: ChatSite, use: Use) -> None:
    """`chat.history` is the list itself; its messages are read through `_plan_message_reads`."""
    attribute = use.parent
    assert isinstance(attribute, cst.Attribute)
    chat.edits.append((attribute, lambda updated: updated.value))  # type: ignore[attr-defined]
    holder = analysis.parent(attribute)
    if isinstance(holder, cst.Arg) and m.matches(analysis.parent(holder), m.Call(func=m.Name("len"))):
        return
    if isinstance(holder, cst.For) and holder.iter is attribute and isinstance(holder.target, cst.Name):
        references = analysis.sole_references(holder.target)
        if references is None:
            raise Unsupported(shared_name_advice(analysis, holder, "the history"))
        for reference in references:
            _plan_message_read(analysis, chat, reference)
        return
    if isinstance(holder, cst.Subscript) and holder.value is attribute:
        _plan_message_read(analysis, chat, holder)
        return
    raise Unsupported(ADVICE["history"])


def _plan_part_reads(chat: ChatSite) -> None:
    """`message.parts[0].text` reads: the content itself while every turn is text; known only
    once every send was read."""
    if chat.multipart and chat.part_reads:
        chat.helpers[FIRST_TEXT] = FIRST_TEXT_SOURCE
        edit = lambda updated: cst.Call(cst.Name(FIRST_TEXT), [cst.Arg(updated.value.value.value)])  # noqa: E731
    else:
        edit = lambda updated: _content(updated.value.value.value)  # noqa: E731
    chat.edits += [(read, edit) for read in chat.part_reads]


def _plan_message_read(analysis: ModuleAnalysis, chat: ChatSite, message: cst.BaseExpression) -> None:
    """`message.role` and `message.parts[0].text` on a history message."""
    read = analysis.parent(message)
    if m.matches(read, m.Attribute(attr=m.Name("role"))) and read.value is message:  # type: ignore[union-attr]
        chat.edits.append((read, lambda updated: _genai_role(updated.value)))  # type: ignore[attr-defined, arg-type]
        return
    parts = read
    first = analysis.parent(parts) if parts is not None else None
    text = analysis.parent(first) if first is not None else None
    if (
        m.matches(parts, m.Attribute(attr=m.Name("parts")))
        and m.matches(first, m.Subscript(slice=[m.SubscriptElement(m.Index(m.Integer("0")))]))
        and m.matches(text, m.Attribute(attr=m.Name("text")))
    ):
        chat.part_reads.append(text)  # type: ignore[arg-type]
        return
    raise Unsupported("this read of a history message has no equivalent genai2openai knows (OpenAI messages are dicts): this chat stays on genai")


def _genai_role(message: cst.BaseExpression) -> cst.BaseExpression:
    """genai called the model's turns "model"; OpenAI's history says "assistant"."""
    code = build.code(message)
    return cst.parse_expression(f'("model" if {code}["role"] == "assistant" else {code}["role"])')


def _content(message: cst.BaseExpression) -> cst.BaseExpression:
    return cst.parse_expression(f'{build.code(message)}["content"]')
