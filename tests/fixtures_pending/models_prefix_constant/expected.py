import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)

# Resource name, as printed by genai.list_models()
MODEL_NAME = "models/gemini-1.5-pro"
print(f"Using {MODEL_NAME}")

model = MODEL_NAME.removeprefix("models/")
print(client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "Hello there."}],
).choices[0].message.content)
