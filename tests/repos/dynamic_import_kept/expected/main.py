import importlib

# TODO(genai2openai): `model` comes from llm.py, which keeps it on genai: it imports that module dynamically, which genai2openai cannot follow
backend = importlib.import_module("llm")
print(getattr(backend, "model").generate_content("Hello?").text)
