# TODO(genai2openai): `model` comes from app/llm.py, which keeps it on genai: `model` is used by main.py, where genai2openai cannot change with it: its `import *` hides which names it uses
from .llm import model
