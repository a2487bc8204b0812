import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)

# Let the model talk about medieval battles

# TODO(genai2openai): dropped safety_settings: safety_settings has no OpenAI equivalent (the endpoint rejects it)
model = "gemini-1.5-flash"
# TODO(genai2openai): dropped safety_settings: safety_settings has no OpenAI equivalent (the endpoint rejects it)
response = client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "Describe a siege in two sentences."}],
)
print(response.choices[0].message.content)
