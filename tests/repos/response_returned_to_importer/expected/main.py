import asyncio

from llm import ask, ask_async, greeting

print(greeting.choices[0].message.content)
reply = ask("What colour is the sky?")
print(reply.choices[0].message.content)
print(ask("What colour is grass?").usage.total_tokens > 0)


async def main():
    answer = await ask_async("What colour is snow?")
    print(answer.choices[0].message.content)


asyncio.run(main())
