import os
import sys

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)

question = sys.argv[1] if len(sys.argv) > 1 else "What is the capital of Peru?"
# One-shot answer, no model variable
# TODO(genai2openai): contents assumed to be text; if it holds parts or images, build OpenAI content parts
answer = client.chat.completions.create(
    model="gemini-1.5-flash",
    messages=[{"role": "user", "content": question}],
).choices[0].message.content
print(answer)
