"""Properties that hold for any program: the output parses, a second run changes nothing,
code without the SDK is left byte-identical, and literal keys never survive in the output."""

from __future__ import annotations

import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemod.ftypes import Options
from codemod.migrate import migrate_source

KEY = "AIzaSyA1234567890abcdefghijklmnopqrstuv"

IMPORTS = [
    "import google.generativeai as genai",
    "import google.generativeai as genai\nimport os",
    "from google import generativeai as genai",
    "import os\nimport google.generativeai as genai\nfrom google.generativeai import GenerationConfig",
]
CONFIGURES = [
    "",
    "genai.configure()",
    'genai.configure(api_key=os.environ["GEMINI_API_KEY"])',
    f'genai.configure(api_key="{KEY}")',
    f'KEY = "{KEY}"\ngenai.configure(api_key=KEY)',
    'genai.configure(api_key=os.getenv("K"), transport="rest")',
]
MODEL_ARGS = [
    '"gemini-1.5-flash"',
    'model_name="models/gemini-1.5-pro"',
    '"gemini-1.5-flash", system_instruction="Be brief."',
    '"gemini-1.5-flash", generation_config={"temperature": 0.3, "top_k": 2}',
    '"gemini-1.5-flash", generation_config=GenerationConfig(max_output_tokens=10)',
    '"gemini-1.5-flash", safety_settings={"HARASSMENT": "BLOCK_NONE"}',
    "",
]
CONTENTS = ['"hi"', 'f"say {1}"', '["a", "b"]', '[{"role": "user", "parts": ["x"]}, {"role": "model", "parts": "y"}]', "prompt", "[image]"]
CALL_OPTIONS = ["", ', generation_config={"temperature": 0.9}', ", stream=True", ', request_options={"timeout": 5}', ", safety_settings=[]"]
READS = ["print(r.text)", "print(r.usage_metadata.total_token_count)", "print(r.candidates[0].finish_reason)", "print(r.prompt_feedback)", "r.resolve()", "pass", "send(r)"]
MODEL_USES = ["", "chat = model.start_chat()", "print(model.count_tokens('x'))", "other(model)"]
UNRELATED = ["x = 1  # a comment", "def f(a):\n    return a * 2", "class C:\n    '''doc'''\n    y = [1, 2]", "if x:\n    pass"]


@st.composite
def programs(draw: st.DrawFn) -> str:
    lines = [draw(st.sampled_from(IMPORTS)), draw(st.sampled_from(CONFIGURES))]
    lines += draw(st.lists(st.sampled_from(UNRELATED), max_size=2))
    lines.append("prompt = input()")
    lines.append(f"model = genai.GenerativeModel({draw(st.sampled_from(MODEL_ARGS))})")
    for _ in range(draw(st.integers(1, 3))):
        contents, options = draw(st.sampled_from(CONTENTS)), draw(st.sampled_from(CALL_OPTIONS))
        call = f"r = model.generate_content({contents}{options})\n{draw(st.sampled_from(READS))}"
        if draw(st.booleans()):
            call = "def ask():\n" + "\n".join("    " + line for line in (call + "\nreturn r").splitlines())
        lines.append(call)
    lines.append(draw(st.sampled_from(MODEL_USES)))
    return "\n".join(lines) + "\n"


PROPERTY_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(programs())
def test_output_parses_and_second_run_changes_nothing(source: str) -> None:
    first = migrate_source(source, Options())
    cst.parse_module(first.source)
    compile(first.source, "<migrated>", "exec")
    assert migrate_source(first.source, Options()).source == first.source


@PROPERTY_SETTINGS
@given(programs())
def test_literal_keys_never_survive(source: str) -> None:
    result = migrate_source(source, Options())
    assert KEY not in result.source
    assert all(KEY not in finding.message for finding in result.findings)
    assert (KEY in source) == any(f.kind.value == "hardcoded-key" for f in result.findings)


@PROPERTY_SETTINGS
@given(programs())
def test_findings_point_into_the_original(source: str) -> None:
    lines = source.splitlines()
    for finding in migrate_source(source, Options()).findings:
        assert 1 <= finding.line <= len(lines)
        assert 0 <= finding.column <= len(lines[finding.line - 1])


@PROPERTY_SETTINGS
@given(st.lists(st.sampled_from(UNRELATED + ["import os", "from google import genai", "import vertexai"]), max_size=6))
def test_code_without_the_sdk_is_byte_identical(parts: list[str]) -> None:
    source = "\r\n".join(parts) + ("\n" if parts else "")
    assert migrate_source(source, Options()).source == source
