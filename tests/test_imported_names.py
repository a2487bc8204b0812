"""The analysis answers "which imported name is this?" without scopes where it can; wherever it
does, its answer is the one LibCST's scopes give."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ScopeProvider

from codemod.analysis import ModuleAnalysis
from codemod.walk import descendants

ROOT = Path(__file__).parent
SOURCES = sorted(ROOT.glob("fixtures/*/input.py")) + sorted(ROOT.glob("repos/*/input/**/*.py"))
TRICKY = [
    "import os\nx = os.environ['K']\ndef f():\n    return os.getenv('A', 'b')\n",
    "x = os.environ\ndef f(): return os.getenv('a')\nimport os\ngetenv('q')\nfrom os import getenv\n",
    "import os\ndef f(os):\n    return os.environ\n",
    "import os\nclass C:\n    os = 1\n    y = os.environ\n",
    "import os as o, os.path\nfrom os import environ as env, getenv\nenv.get('x', 'y'); getenv('a', 'b'); o.getenv('x')\n",
    "from os import *\nfrom os import getenv\ngetenv('a', 'b')\n",
    "import os\nimport os\nos.environ.get('a', 'b')\n",
    "def f():\n    import os\n    return os.environ\nos.environ\n",
    "import os\n[os for os in range(3)]\nos.environ\n",
    "import os\nglobal os\nos.getenv('a')\n",
    "import os\nif (os := None): pass\nos.environ\n",
    "try:\n    import os\n    os.getenv('a')\nexcept ImportError:\n    os = None\n",
    "from . import llm\nfrom .pkg import model as m\nllm.model.generate_content('x'); m.generate_content('y')\n",
    "import google.generativeai as genai\ngenai.configure(api_key='k')\nmodel = genai.GenerativeModel('g')\nprint(genai)\n",
    "import os\ndef g():\n    global os\n    os = 1\nos.environ\n",
    "import os\nwith open('f') as os: os.read()\nos.environ\n",
    "import os\nfor os.x in []: pass\nos.environ\n",
    "import a.b.c\na.b.c.d(); a.x()\n",
    "import a.b as ab\nab.c.d()\n",
]


def _modules() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in SOURCES] + TRICKY


@pytest.mark.parametrize("index", range(len(TRICKY)))
def test_tricky_sources_agree_with_the_scopes(index: int) -> None:
    assert _disagreements(TRICKY[index]) == []


def test_every_fixture_agrees_with_the_scopes() -> None:
    answered = 0
    for source in _modules():
        module = cst.parse_module(source)
        assert _disagreements(source, module) == []
        analysis = ModuleAnalysis.of(module)
        answered += sum(analysis._imported_names(n) is not None for n in descendants(module) if isinstance(n, (cst.Name, cst.Attribute)))
    assert answered > 1000  # the fast answer is the common one


def _disagreements(source: str, module: cst.Module | None = None) -> list[tuple[str, set[str], set[str]]]:
    module = module or cst.parse_module(source)
    analysis = ModuleAnalysis.of(module)
    scopes = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    found = []
    for node in descendants(module):
        if not isinstance(node, (cst.Name, cst.Attribute)):
            continue
        fast = analysis._imported_names(node)
        scope = scopes.get(node)
        slow = set() if scope is None else {q.name for q in scope.get_qualified_names_for(node)}
        if fast is not None and fast != slow:
            found.append((module.code_for_node(node), fast, slow))
    return found
