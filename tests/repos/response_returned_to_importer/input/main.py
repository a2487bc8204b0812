import asyncio

from llm import ask, ask_async, greeting

print(greeting.text)
reply = ask("What colour is the sky?")
print(reply.text)
print(ask("What colour is grass?").usage_metadata.total_token_count > 0)


async def main():
    answer = await ask_async("What colour is snow?")
    print(answer.text)


asyncio.run(main())
