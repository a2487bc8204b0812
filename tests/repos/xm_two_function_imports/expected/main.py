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


def first():
    from llm import model, SYSTEM

    return client.chat.completions.create(
        model=model,
        messages=[
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": "one"},
        ],
    ).choices[0].message.content


def second():
    from llm import model, SYSTEM as llm_SYSTEM

    return client.chat.completions.create(
        model=model,
        messages=[
            {"role": "system", "content": llm_SYSTEM},
            {"role": "user", "content": "two"},
        ],
    ).choices[0].message.content


print(first())
print(second())
