import app
from app.svc import ask
import os
from openai import OpenAI


def _genai2openai_no_key():
    """The OpenAI client's key when none was found: the client calls this at its
    first request, which fails there as genai's did (OpenAI() without one fails)."""
    raise RuntimeError("No API key found: set GEMINI_API_KEY or GOOGLE_API_KEY")


client = OpenAI(
    api_key=os.environ.get("GEMINI_API_KEY")
    or os.environ.get("GOOGLE_API_KEY")
    or _genai2openai_no_key,
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)

print(client.chat.completions.create(
    model=app.model,
    messages=[
        {"role": "system", "content": "You are A."},
        {"role": "user", "content": "one"},
    ],
    temperature=0.3,
).choices[0].message.content)
print(ask("two"))
