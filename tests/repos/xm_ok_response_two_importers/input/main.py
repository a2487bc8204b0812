import other
from llm import ask

print(ask("x").text)
print(other.feedback() is not None)
