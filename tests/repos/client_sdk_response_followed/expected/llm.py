import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
    max_retries=0,
)


def ask(question: str):
    return client.chat.completions.create(
        model="gemini-2.5-flash",
        messages=[{"role": "user", "content": question}],
    )


greeting = client.chat.completions.create(
    model="gemini-2.5-flash",
    messages=[{"role": "user", "content": "Say hi"}],
)
