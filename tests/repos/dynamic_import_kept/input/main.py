import importlib

backend = importlib.import_module("llm")
print(getattr(backend, "model").generate_content("Hello?").text)
