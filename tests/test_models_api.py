"""Embeddings, model listing, `--model-map` and retired model ids: the cases fixtures do not cover."""

from __future__ import annotations

import json
from pathlib import Path

import libcst as cst
import libcst.matchers as m
import pytest

from codemod.analysis import ModuleAnalysis
from codemod.ftypes import Kind, Migration, Options, Severity
from codemod.migrate import migrate_source
from codemod.retired_models import RETIRED, may_call_retired, retired_replacement
from codemod.transforms.models_api import rename, report_retired
from codemod.transforms.plan import Plan

HEADER = "import os\n\nimport google.generativeai as genai\n\ngenai.configure(api_key=os.environ['GEMINI_API_KEY'])\n"


def migrate(body: str, options: Options | None = None) -> Migration:
    return migrate_source(HEADER + body, options or Options(), path="app.py")


def kinds(result: Migration) -> list[str]:
    return [f.kind.value for f in result.findings]


# ----------------------------------------------------------------- retired ids and renames
@pytest.mark.parametrize(
    ("model", "replacement"),
    [
        ("gemini-pro", "gemini-2.5-flash"),
        ("models/gemini-pro", "gemini-2.5-flash"),
        ("gemini-1.0-pro-001", "gemini-2.5-flash"),
        ("gemini-1.5-flash", "gemini-2.5-flash"),
        ("models/gemini-1.5-flash-002", "gemini-2.5-flash"),
        ("gemini-1.5-flash-8b", "gemini-2.5-flash-lite"),
        ("gemini-1.5-pro-latest", "gemini-2.5-pro"),
        ("text-embedding-004", "gemini-embedding-001"),
        ("models/embedding-001", "gemini-embedding-001"),
        ("gemini-2.0-flash", None),
        ("gemini-2.5-flash", None),
        ("gemini-pro-latest", None),  # a current alias, not Gemini 1.0 Pro
        ("gemini-embedding-001", None),
        ("gemini-1.50", None),
    ],
)
def test_retired_replacement(model: str, replacement: str | None) -> None:
    assert retired_replacement(model) == replacement


def test_retired_entries_are_ids_or_trailing_prefixes() -> None:
    for pattern, replacement in RETIRED:
        assert "*" not in pattern[:-1] and not pattern.startswith("models/")
        assert retired_replacement(replacement) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("gemini-pro", "new"), ("models/gemini-pro", "new"), ("gemini-pro-vision", "gemini-pro-vision"), ("x", "y")],
)
def test_rename_compares_without_models_prefix(text: str, expected: str) -> None:
    options = Options(model_map=(("models/gemini-pro", "new"), ("x", "y")))
    assert rename(options, text) == expected


def _plan(source: str) -> tuple[Plan, list[cst.Call]]:
    analysis = ModuleAnalysis.of(cst.parse_module(source))
    calls = [c for c in m.findall(analysis.module, m.Call()) if analysis.called_sdk_name(c) is not None]  # type: ignore[misc]
    return Plan(analysis=analysis, options=Options(), path="app.py"), calls  # type: ignore[return-value]


def test_report_retired_reads_generative_model_names_and_constants() -> None:
    """Ready for GenerativeModel (not yet in RETIRED_CHECKED): direct literals and constants."""
    plan, calls = _plan(HEADER + 'NAME = "models/gemini-1.5-pro"\na = genai.GenerativeModel("gemini-pro")\nb = genai.GenerativeModel(model_name=NAME)\nc = genai.GenerativeModel(NAME)\n')
    for call in calls:
        report_retired(plan, call)
    found = [(f.line, f.kind, f.severity) for f in plan.findings]
    assert found == [(7, Kind.RETIRED_MODEL, Severity.WARNING), (6, Kind.RETIRED_MODEL, Severity.WARNING)]
    assert "`gemini-pro`" in plan.findings[0].message and "edit it)" in plan.findings[0].message
    assert "gemini-2.5-pro" in plan.findings[1].message


def test_kept_calls_are_checked_too() -> None:
    result = migrate('r = genai.embed_content(model="models/text-embedding-004", content="x")\nprint(r)\n')
    assert "genai.embed_content" in result.source
    assert kinds(result) == ["manual-migration", "retired-model", "manual-migration"]
    assert "(edit it)" in result.findings[1].message  # --model-map does not touch kept calls


def test_model_map_renames_generative_model_but_not_kept_code() -> None:
    body = 'model = genai.GenerativeModel("gemini-pro")\nprint(model.generate_content("hi").text)\nprint(genai.get_model("gemini-pro"))\n'
    result = migrate(body, Options(model_map=(("gemini-pro", "gemini-2.0-flash"),)))
    assert 'model = "gemini-2.0-flash"' in result.source
    assert 'genai.get_model("gemini-pro")' in result.source


# ----------------------------------------------------------------- embeddings
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('r = genai.embed_content(model="m", content={"parts": [{"text": "x"}]})["embedding"]\n', "not text"),
        ('r = genai.embed_content(model="m", content=[])["embedding"]\n', "empty content list"),
        ('r = genai.embed_content(model="tunedModels/t", content="x")\n', "tuned models"),
        ('r = genai.embed_content(model="m", content="x", client=None)\n', "client="),
        ('r = genai.embed_content(model="m", content="x", request_options={"retry": 1})\n', "request_options"),
        ('r = genai.embed_content(model="m", content="x")\nr["embedding"] = []\n', "only its"),
        ('r = genai.embed_content(model="m", content="x")\nfor k in r:\n    print(k)\n', "only its"),
        ('def f(t):\n    return genai.embed_content(model="m", content=t)["embedding"]\n', "annotate it"),
        ('r = genai.embed_content_async(model="m", content="x")\n', "not awaited"),
        ('x = f"{genai.embed_content(model=\'m\', content=\'x\')}"\n', "f-string"),
    ],
)
def test_embeddings_kept_and_marked(body: str, reason: str) -> None:
    result = migrate(body)
    assert "embeddings.create(" not in result.source
    assert any(reason in f.message for f in result.findings), result.findings


def test_unknown_content_without_reads_is_assumed_text() -> None:
    result = migrate('def f(t):\n    genai.embed_content(model="m", content=t)\n')
    assert "client.embeddings.create(" in result.source
    assert kinds(result) == ["assumed-text"]


@pytest.mark.parametrize("annotation", ["list[str]", "List[str]", "tuple[str, ...]"])
def test_annotated_lists_are_batches(annotation: str) -> None:
    result = migrate(f'def f(t: {annotation}):\n    return genai.embed_content(model="m", content=t)["embedding"]\n')
    assert "[d.embedding for d in client.embeddings.create(" in result.source
    assert kinds(result) == []


def test_a_list_of_unknown_items_is_a_batch_with_a_note() -> None:
    result = migrate('def f(a, b):\n    return genai.embed_content(model="m", content=[a, b])["embedding"]\n')
    assert "[d.embedding for d in client.embeddings.create(" in result.source
    assert kinds(result) == ["assumed-text"]


def test_exported_result_is_reported_to_importers() -> None:
    result = migrate('r = genai.embed_content(model="m", content="x")\n')
    assert {e.name: e.what for e in result.exports}["r"].startswith("it now holds (or returns) an OpenAI CreateEmbeddingResponse")


def test_output_dimensionality_none_is_left_out() -> None:
    result = migrate('genai.embed_content(model="m", content="x", output_dimensionality=None, task_type=None)\n')
    assert "dimensions" not in result.source
    assert kinds(result) == []


# ----------------------------------------------------------------- list_models / get_model
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("names = (m.name for m in genai.list_models())\n", "generator"),
        ("models = genai.list_models()\nfor m in models:\n    print(m.name)\n", "generator"),
        ("genai.list_models()\n", "generator"),
        ("for m in genai.list_models():\n    print(m)\n", "Model object"),
        ("for m in genai.list_models():\n    print(m.name)\nif flag:\n    m = 1\nprint(m)\n", "is read outside the loop"),
        ("for i, m in enumerate(genai.list_models()):\n    print(m.name)\n", "generator"),
        ("for m in genai.list_models(page_size=size()):\n    print(m.name)\n", "page_size"),
        ('print(genai.get_model("models/x").input_token_limit)\n', "input_token_limit"),
        ('info = genai.get_model("tunedModels/x")\n', "tuned models"),
    ],
)
def test_models_kept_and_marked(body: str, reason: str) -> None:
    result = migrate(body)
    assert "client.models" not in result.source
    assert any(reason in f.message for f in result.findings), result.findings


def test_a_loop_reusing_the_name_is_renamed() -> None:
    result = migrate("for m in genai.list_models():\n    print(m.name)\nfor m in [1]:\n    print(m)\n")
    assert "for m in client.models.list():\n    print(m.id)\nfor m_ in [1]:\n    print(m_)\n" in result.source
    assert kinds(result) == []


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ('"models/gemini-2.0-flash"', '"gemini-2.0-flash"'),
        ("'gemini-2.0-flash'", "'gemini-2.0-flash'"),
        ('f"models/{name}"', 'f"{name}"'),
        ('"models/" + name', '("models/" + name).removeprefix("models/")'),
        ("name", 'name.removeprefix("models/")'),
    ],
)
def test_get_model_ids_lose_the_models_prefix(argument: str, expected: str) -> None:
    result = migrate(f"def f(name: str):\n    return genai.get_model({argument}).name\n")
    assert f"{expected}" in result.source
    assert "genai" not in result.source


def test_get_model_of_unknown_argument_is_noted() -> None:
    result = migrate("def f(name):\n    return genai.get_model(name).name\n")
    assert 'client.models.retrieve(name.removeprefix("models/")).id' in result.source
    assert kinds(result) == ["assumed-text"]


# ----------------------------------------------------------------- retired ids on the OpenAI side
OPENAI_HEADER = "import os\nfrom openai import OpenAI\n\nclient = OpenAI(api_key=os.environ['GEMINI_API_KEY'])\n"


@pytest.mark.parametrize(
    "body",
    [
        'client.chat.completions.create(model="gemini-1.5-flash", messages=[])',
        'client.embeddings.create(model="models/text-embedding-004", input="x")',
        'client.models.retrieve("gemini-pro")',
        'client.models.retrieve(model="gemini-pro")',
        'MODEL = "gemini-1.5-pro"\n\ndef ask(q, model=MODEL):\n    return client.chat.completions.create(model=model, messages=[])\n',
        'def ask(model):\n    return client.chat.completions.create(model=model, messages=[])\n\nask("gemini-1.0-pro")\n',
        'import openai\nopenai.chat.completions.create(model="gemini-pro", messages=[])',
        'from openai import AsyncOpenAI as A\n\nasync def f():\n    await A().chat.completions.create(model="gemini-1.5-flash", messages=[])\n',
        'class Bot:\n    def __init__(self):\n        self.llm = OpenAI()\n\n    def ask(self):\n        return self.llm.chat.completions.create(model="gemini-1.5-flash", messages=[])\n',
    ],
)
def test_retired_ids_sent_through_the_openai_sdk_are_reported(body: str) -> None:
    result = migrate_source(OPENAI_HEADER + body + "\n", Options(), path="app.py")
    assert kinds(result) == ["retired-model"] and result.source == OPENAI_HEADER + body + "\n"
    assert "(edit it)" in result.findings[0].message  # --model-map renames migrated calls only


@pytest.mark.parametrize(
    "body",
    [
        'client.chat.completions.create(model="gemini-2.5-flash", messages=[])',
        'other = object()\nother.chat.completions.create(model="gemini-1.5-flash")',  # not a client
        'def f(x):\n    x.chat.completions.create(model="gemini-1.5-flash")\n',  # who knows what x is
        'client.chat.completions.create(model=os.environ["MODEL"], messages=[])',
        'print("gemini-1.5-flash")',  # not sent anywhere
        'client.images.generate(model="gemini-1.5-flash", prompt="x")',  # not a model call we follow
    ],
)
def test_other_uses_of_a_retired_id_are_not_reported(body: str) -> None:
    assert kinds(migrate_source(OPENAI_HEADER + body + "\n", Options(), path="app.py")) == []


def retired_ids(result: Migration) -> list[str]:
    return [f.message.split("`")[1] for f in result.findings if f.kind is Kind.RETIRED_MODEL]


@pytest.mark.parametrize("fixture", ["models_retired_warning", "no_configure", "configure_no_key", "models_prefix_constant"])
def test_a_second_run_reports_the_retired_ids_again(fixture: str) -> None:
    """After `--write`, the migrated file still names the retired models (unless `--model-map`
    renamed them): the next run says so."""
    folder = Path(__file__).parent / "fixtures" / fixture
    options = Options(**json.loads((folder / "options.json").read_text())) if (folder / "options.json").is_file() else Options()
    first = migrate_source((folder / "input.py").read_text(), options, path="app.py")
    second = migrate_source((folder / "expected.py").read_text(), options, path="app.py")
    renamed = {old for old, _ in options.model_map}
    assert retired_ids(first) and retired_ids(second) == [i for i in retired_ids(first) if i not in renamed]


def test_the_pre_filter_passes_openai_files_naming_a_retired_id_only() -> None:
    assert may_call_retired(b'from openai import OpenAI\nMODEL = "gemini-1.5-flash"\n')
    assert not may_call_retired(b'MODEL = "gemini-1.5-flash"\n')  # no OpenAI SDK: not parsed
    assert not may_call_retired(b'from openai import OpenAI\nMODEL = "gemini-2.5-flash"\n')
    assert all(may_call_retired(f"openai {pattern.rstrip('*')}") for pattern, _ in RETIRED)
