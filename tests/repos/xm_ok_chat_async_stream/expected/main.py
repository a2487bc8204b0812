import asyncio

from llm import model, PERSONA
import os
from openai import AsyncOpenAI, OpenAI


def _genai2openai_send(history, turn, system=(), **request):
    """ChatSession.send_message: send the history and the new turn; once the reply has come,
    both join the history (after an error it stays as it was, as with genai)."""
    response = client.chat.completions.create(messages=[*system, *history, turn], **request)
    if response.choices[0].finish_reason not in ("stop", "length"):  # genai raised StopCandidateException
        raise RuntimeError(f"the reply stopped early: {response.choices[0].finish_reason}")
    history += [turn, {"role": "assistant", "content": response.choices[0].message.content}]
    return response


def _genai2openai_no_key():
    """The OpenAI client's key when none was found: the client calls this at its first request,
    which fails there, as genai's did (OpenAI() without a key fails when it is made)."""
    raise RuntimeError("No API key found: set GEMINI_API_KEY or GOOGLE_API_KEY")


client = OpenAI(
    api_key=os.environ.get("GEMINI_API_KEY")
    or os.environ.get("GOOGLE_API_KEY")
    or _genai2openai_no_key,
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)
async_client = AsyncOpenAI(
    api_key=client.api_key or _genai2openai_no_key,
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)


async def go():
    r = await async_client.chat.completions.create(
        model=model,
        messages=[
            {"role": "system", "content": f"You are {PERSONA}."},
            {"role": "user", "content": "one"},
        ],
        temperature=0.5,
        max_tokens=50,
        stop=["END"],
    )
    print(r.choices[0].message.content)


def chat():
    c = [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "ahoy"},
    ]
    print(_genai2openai_send(
        c,
        {"role": "user", "content": "two"},
        system=[{"role": "system", "content": f"You are {PERSONA}."}],
        model=model,
        temperature=0.5,
        max_tokens=50,
        stop=["END"],
    ).choices[0].message.content)
    print(_genai2openai_send(
        c,
        {"role": "user", "content": "three"},
        system=[{"role": "system", "content": f"You are {PERSONA}."}],
        model=model,
        temperature=0.5,
        max_tokens=50,
        stop=["END"],
    ).choices[0].message.content)
    print(len(c))


def stream():
    for chunk in client.chat.completions.create(
        model=model,
        messages=[
            {"role": "system", "content": f"You are {PERSONA}."},
            {"role": "user", "content": "four"},
        ],
        temperature=0.5,
        max_tokens=50,
        stop=["END"],
        stream=True,
    ):
        print(((chunk.choices[0].delta.content or "") if chunk.choices else ""), end="")
    print()


asyncio.run(go())
chat()
stream()
