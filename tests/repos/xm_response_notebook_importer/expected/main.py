from llm import ask

# TODO(genai2openai): `ask` comes from llm.py, which keeps it on genai: `ask` is imported by use.ipynb, a notebook, whose imports of other modules genai2openai does not follow: the model stays on genai so that the notebook keeps working
print(ask("x").text)
