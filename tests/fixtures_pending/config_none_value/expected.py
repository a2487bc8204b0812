import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)

# No output limit: None leaves the model's default
model = "gemini-1.5-flash"
print(client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "List the planets."}],
    temperature=0.7,
).choices[0].message.content)
