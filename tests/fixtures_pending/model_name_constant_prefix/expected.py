import os

from openai import OpenAI

# Settings
MODEL_NAME = "models/gemini-1.5-flash"

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)
model = MODEL_NAME.removeprefix("models/")
print(client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "Say hello."}],
).choices[0].message.content)
