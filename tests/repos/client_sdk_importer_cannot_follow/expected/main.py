import sys

from llm import ask, client

print(ask("Name a planet."))
if "--count" in sys.argv:
    # TODO(genai2openai): `client` comes from llm.py, which keeps it on genai: count_tokens has no OpenAI equivalent: read response.usage.prompt_tokens after the call
    print(client.models.count_tokens(model="gemini-2.5-flash", contents="Name a planet.").total_tokens)
