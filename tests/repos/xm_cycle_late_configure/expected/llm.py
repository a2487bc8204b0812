import os

from openai import OpenAI

model = "gemini-2.0-flash"

import app  # noqa: E402,F401  (registers the handlers)

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)
