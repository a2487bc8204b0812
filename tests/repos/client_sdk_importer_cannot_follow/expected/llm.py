import os

from google import genai
from openai import OpenAI

# TODO(genai2openai): `client` is used by main.py, where genai2openai cannot change with it: count_tokens has no OpenAI equivalent: read response.usage.prompt_tokens after the call
client = genai.Client(api_key=os.environ["GEMINI_API_KEY"])
openai_client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
    max_retries=0,
)


def ask(question: str) -> str:
    return openai_client.chat.completions.create(
        model="gemini-2.5-flash",
        messages=[{"role": "user", "content": question}],
    ).choices[0].message.content
