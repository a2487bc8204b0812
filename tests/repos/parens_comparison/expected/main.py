import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)
model = "gemini-2.0-flash"
r = client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "a"}],
)
print("echo" in(r.choices[0].message.content))
print(r.choices[0].message.content if(r.choices[0].message.content)else None)
