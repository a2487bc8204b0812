import asyncio

from llm import ask


async def main():
    (a,) = await asyncio.gather(ask("a"))
    print(a.choices[0].message.content)
    t = asyncio.create_task(ask("c"))
    print((await t).choices[0].message.content)


asyncio.run(main())
