from llm import ask

print(ask("x").text)
