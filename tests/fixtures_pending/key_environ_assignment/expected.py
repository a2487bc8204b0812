import os

from openai import OpenAI

# Notebook cell 1: set the key.

client = OpenAI(
    api_key=os.environ["GOOGLE_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)
model = "gemini-1.5-flash"
print(client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "What is a vector database?"}],
).choices[0].message.content)
