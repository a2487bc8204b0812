from llm import ask

# TODO(genai2openai): `ask` comes from llm.py, which keeps it on genai: `ask` is imported by use.ipynb, a notebook, which genai2openai does not migrate yet: the model stays on genai so that the notebook keeps working
print(ask("x").text)
