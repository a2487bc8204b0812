"""`response_schema` (a dict, `content.Schema(...)`, `protos.Schema(...)`) → an OpenAI
`response_format` of type `json_schema`, converted statically."""

from __future__ import annotations

import libcst as cst

from codemod.analysis import ModuleAnalysis
from codemod.transforms.plan import Unsupported


def response_format(schema: cst.BaseExpression, analysis: ModuleAnalysis) -> cst.BaseExpression:
    """The `response_format=` value for a genai `response_schema`, or Unsupported."""
    raise Unsupported("response_schema is not migrated yet; build response_format by hand")
