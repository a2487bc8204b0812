import os

import google.generativeai as genai

from llm import ask
from openai import OpenAI

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)
# TODO(genai2openai): `ask` comes from llm.py, which keeps it on genai: this module configures genai itself, and genai's last configure() applied to the call its module makes
print(ask("a").text)
