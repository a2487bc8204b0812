import os

from openai import OpenAI

# Falls back to the developer's own key when the variable is not set.
client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)

model = "gemini-1.5-flash"
print(client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "Define entropy briefly."}],
).choices[0].message.content)
