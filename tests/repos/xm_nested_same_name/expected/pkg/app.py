# TODO(genai2openai): `model` stays on genai in llm.py: genai2openai cannot follow it here (it imports `llm`, which may name several files of the repository (or one it finds through `sys.path`): genai2openai cannot tell which)
# TODO(genai2openai): `model` stays on genai in pkg/llm.py: genai2openai cannot follow it here (it imports `llm`, which may name several files of the repository (or one it finds through `sys.path`): genai2openai cannot tell which)
from llm import model  # run as `python -m pkg.app` or from main.py: the top-level llm.py


def ask(q):
    return model.generate_content(q).text
