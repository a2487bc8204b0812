import llm
from llm import ask

print(ask("Name a river.").choices[0].message.content)
print(llm.greeting.choices[0].message.content)
print(ask("Count to 3.").usage.total_tokens > 0)
