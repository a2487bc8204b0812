"""Streamed replies: `generate_content(..., stream=True)` and `send_message(..., stream=True)`.

An OpenAI stream yields chunks once and accumulates nothing. Iterating and reading `chunk.text`
needs no more than a rewrite of the read. When the program also reads the whole answer after the
loop (`response.text`, `response.usage_metadata`, `response.resolve()`), as genai allowed, the
stream is wrapped in a small class emitted once per file that accumulates while it is iterated.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from codemod.analysis import ModuleAnalysis, Use
from codemod.flow import shared_name_advice
from codemod.transforms.plan import Plan, Unsupported
from codemod.transforms.responses import USAGE, Read

STREAM = "_Genai2openaiStream"
STREAM_SOURCE = '''\
class {name}:
    """A streamed reply read as genai's was: iterate it for the chunks; afterwards
    `text` holds the whole answer and `usage` the token counts."""

    def __init__(self, stream, on_complete=None):
        self._stream, self._on_complete = stream, on_complete
        self._chunks, self._done = [], False
        self._text, self._usage = "", None

    @property
    def text(self):
        return self._finished(self._text)

    @property
    def usage(self):
        return self._finished(self._usage)

    def _finished(self, value):
        if not self._done:  # genai raised IncompleteIterationError here
            raise RuntimeError(
                "iterate the response to the end (or call resolve())"
                " before reading it whole"
            )
        return value

    def __iter__(self):
        if self._done:  # like genai, a finished reply can be iterated again
            yield from self._chunks
            return
        for chunk in self._stream:
            self._chunks.append(chunk)
            if chunk.usage is not None:
                self._usage = chunk.usage
            if chunk.choices and chunk.choices[0].delta.content:
                self._text += chunk.choices[0].delta.content
            yield chunk
        self._done = True
        if self._on_complete is not None:
            self._on_complete(self._text)

    def resolve(self):
        for _ in self:
            pass
'''
SEND_STREAM = "_genai2openai_send_stream"
SEND_STREAM_SOURCE = '''\
def {name}(history, turn, system=(), **request):
    """ChatSession.send_message(stream=True): both turns join the history once the
    reply has been read to the end."""
    stream = {client}.chat.completions.create(
        messages=[*system, *history, turn], stream=True, **request
    )
    return {stream}(
        stream,
        lambda text: history.extend([turn, {{"role": "assistant", "content": text}}]),
    )
'''
WHOLE_ANSWER_READS = ("text", "usage_metadata", "resolve")


def stream_helper(plan: Plan) -> str:
    return plan.add_helper(STREAM, STREAM_SOURCE.format(name=STREAM))


def send_stream_helper(plan: Plan) -> str:
    stream_helper(plan)
    source = SEND_STREAM_SOURCE.format(name=SEND_STREAM, client=plan.client_name, stream=STREAM)
    return plan.add_helper(SEND_STREAM, source)


def chunk_reads(use: Use, analysis: ModuleAnalysis) -> list[Read]:
    """`for chunk in response:` → how each `chunk.text` in the loop is read from an OpenAI chunk."""
    loop = use.parent
    assert isinstance(loop, cst.For)
    if not isinstance(loop.target, cst.Name):
        raise Unsupported("a loop over a stream that unpacks its chunks")
    references = analysis.sole_references(loop.target)
    if references is None:
        raise Unsupported(shared_name_advice(analysis, loop, "the stream"))
    reads = []
    for reference in references:
        read = analysis.parent(reference)
        if not (m.matches(read, m.Attribute(attr=m.Name("text"))) and read.value is reference):  # type: ignore[union-attr]
            raise Unsupported("this read of a streamed chunk has no equivalent genai2openai knows (only chunk.text)")
        reads.append(Read(read, lambda updated: delta_text(updated.value)))  # type: ignore[arg-type, attr-defined]
    return reads


def delta_text(chunk: cst.BaseExpression) -> cst.BaseExpression:
    """genai's `chunk.text`: the chunk's text, "" for a chunk without any (the final usage one)."""
    return cst.IfExp(
        test=cst.Attribute(chunk, cst.Name("choices")),
        body=cst.BooleanOperation(
            left=cst.parse_expression(f"{cst.Module([]).code_for_node(chunk)}.choices[0].delta.content"),
            operator=cst.Or(),
            right=cst.SimpleString('""'),
            lpar=[cst.LeftParen()],
            rpar=[cst.RightParen()],
        ),
        orelse=cst.SimpleString('""'),
        lpar=[cst.LeftParen()],
        rpar=[cst.RightParen()],
    )


def whole_answer_read(use: Use, analysis: ModuleAnalysis) -> tuple[Read | None, bool]:
    """A read of the whole streamed answer on the wrapper: (its rewrite, whether it needs usage)."""
    attribute = use.attribute
    if attribute == "text":
        return None, False  # the wrapper's own `text`
    if attribute == "resolve":
        if not m.matches(analysis.parent(use.parent), m.Call()):  # type: ignore[arg-type]
            raise Unsupported("response.resolve used without being called")
        return None, False
    if attribute == "usage_metadata":
        field = analysis.parent(use.parent)  # type: ignore[arg-type]
        if not (isinstance(field, cst.Attribute) and field.attr.value in USAGE):
            raise Unsupported("read usage fields one by one (usage.prompt_tokens / completion_tokens / total_tokens)")
        target = USAGE[field.attr.value]
        return Read(field, lambda updated: cst.Attribute(cst.Attribute(updated.value.value, cst.Name("usage")), cst.Name(target))), True  # type: ignore[attr-defined]
    raise Unsupported(f"response.{attribute} of a streamed reply has no equivalent genai2openai knows")
