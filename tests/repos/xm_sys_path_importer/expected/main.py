import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "src"))
# TODO(genai2openai): `model` stays on genai in src/llm.py: genai2openai cannot follow it here (it imports `llm`, which may name several files of the repository (or one it finds through `sys.path`): genai2openai cannot tell which)
from llm import model  # noqa: E402

print(model.generate_content("hi").text)
