"""
Install an additional SDK for JSON schema support Google AI Python SDK

$ pip install google.ai.generativelanguage
"""

import os
from openai import OpenAI

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)

# Create the model

model = "gemini-2.5-flash"

response = client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "Write a blog post title about Lisbon with three tags."}],
    temperature=1,
    top_p=0.95,
    max_tokens=8192,
    response_format={
        "type": "json_schema",
        "json_schema": {
            "name": "response",
            "schema": {
                "type": "object",
                "required": ["title", "tags"],
                "properties": {
                    "title": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
)

print(response.choices[0].message.content)
