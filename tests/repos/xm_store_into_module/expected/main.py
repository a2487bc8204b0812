import google.generativeai as genai

import app
import llm
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

# TODO(genai2openai): `model` comes from llm.py, which keeps it on genai: it stores another object into `llm.model`
# TODO(genai2openai): a GenerativeModel is assigned to something genai2openai does not follow
llm.model = genai.GenerativeModel("gemini-2.5-flash", system_instruction="You are B.")
print(app.ask("hi"))
print(client.chat.completions.create(
    model="gemini-2.0-flash",
    messages=[{"role": "user", "content": "bye"}],
).choices[0].message.content)
