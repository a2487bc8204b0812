import llm
from llm import ask

print(ask("Name a river.").text)
print(llm.greeting.text)
print(ask("Count to 3.").usage_metadata.total_token_count > 0)
