import asyncio

from llm import model, PERSONA, client
from openai import AsyncOpenAI


def _genai2openai_send(history, turn, system=(), **request):
    """ChatSession.send_message: send the history and the new turn; once the reply
    has come, both join the history (after an error it stays as it was, as genai's)."""
    response = client.chat.completions.create(
        messages=[*system, *history, turn], **request
    )
    # genai raised StopCandidateException
    if response.choices[0].finish_reason not in ("stop", "length"):
        raise RuntimeError(
            f"the reply stopped early: {response.choices[0].finish_reason}"
        )
    history += [
        turn,
        {"role": "assistant", "content": response.choices[0].message.content},
    ]
    return response


async_client = AsyncOpenAI(api_key=client.api_key, base_url=client.base_url)


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
