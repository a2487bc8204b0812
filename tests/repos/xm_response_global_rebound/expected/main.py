import llm

# TODO(genai2openai): `greeting` comes from llm.py, which keeps it on genai: the name is bound more than once in its module (or in a function through `global`): what it holds there is not always this object
print(llm.greeting.text)
llm.reset()
print(llm.greeting.text)
