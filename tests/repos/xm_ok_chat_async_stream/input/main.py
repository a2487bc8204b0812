import asyncio

from llm import model


async def go():
    r = await model.generate_content_async("one")
    print(r.text)


def chat():
    c = model.start_chat(history=[{"role": "user", "parts": ["hi"]}, {"role": "model", "parts": ["ahoy"]}])
    print(c.send_message("two").text)
    print(c.send_message("three").text)
    print(len(c.history))


def stream():
    for chunk in model.generate_content("four", stream=True):
        print(chunk.text, end="")
    print()


asyncio.run(go())
chat()
stream()
