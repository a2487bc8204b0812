from google.api_core import exceptions

from llm import ask

try:
    print(ask("x").text)
except exceptions.InvalidArgument:
    print("bad request")
