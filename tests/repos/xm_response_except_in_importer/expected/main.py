from llm import ask
import openai

try:
    print(ask("x").choices[0].message.content)
except openai.BadRequestError:
    print("bad request")
