import sys

from llm import ask, client

print(ask("Name a planet."))
if "--count" in sys.argv:
    print(client.models.count_tokens(model="gemini-2.5-flash", contents="Name a planet.").total_tokens)
