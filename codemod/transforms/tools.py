"""Function declarations → OpenAI `tools=[{"type": "function", ...}]`, `tool_config` →
`tool_choice`, converted statically."""

from __future__ import annotations

import libcst as cst

from codemod.analysis import ModuleAnalysis
from codemod.transforms.plan import Unsupported


def openai_tools(tools: cst.BaseExpression, analysis: ModuleAnalysis) -> cst.BaseExpression:
    """The `tools=` value for genai `tools`, or Unsupported (Python callables, code execution...)."""
    raise Unsupported("tools are not migrated yet")


def tool_choice(tool_config: cst.BaseExpression, analysis: ModuleAnalysis) -> cst.BaseExpression:
    """The `tool_choice=` value for a genai `tool_config`, or Unsupported."""
    raise Unsupported("tool_config is not migrated yet")
