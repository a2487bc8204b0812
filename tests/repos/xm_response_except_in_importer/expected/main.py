from google.api_core import exceptions

from llm import ask

# TODO(genai2openai): google.api_core's InvalidArgument: the calls genai2openai migrated raise openai.BadRequestError instead, if this is about them
try:
    print(ask("x").choices[0].message.content)
except exceptions.InvalidArgument:
    print("bad request")
