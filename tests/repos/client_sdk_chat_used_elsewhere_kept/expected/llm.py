import os

from google import genai
from openai import OpenAI

client = genai.Client(api_key=os.environ["GEMINI_API_KEY"])
openai_client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
    max_retries=0,
)
# TODO(genai2openai): `chat` is used by main.py, where genai2openai cannot change with it: genai2openai follows models, their factories and their (not streamed) responses across modules; this object is none of them (a chat, a stream, a config)
chat = client.chats.create(model="gemini-2.5-flash")


def ask(question: str) -> str:
    return openai_client.chat.completions.create(
        model="gemini-2.5-flash",
        messages=[{"role": "user", "content": question}],
    ).choices[0].message.content
