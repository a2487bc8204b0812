from llm import ask

# TODO(genai2openai): `ask` comes from llm.py, which keeps it on genai: the name is bound more than once in its module (or in a function through `global`): what it holds there is not always this object
print(ask("x").text)
