import asyncio

from llm import ask


async def main():
    (a,) = await asyncio.gather(ask("a"))
    print(a.text)
    t = asyncio.create_task(ask("c"))
    print((await t).text)


asyncio.run(main())
