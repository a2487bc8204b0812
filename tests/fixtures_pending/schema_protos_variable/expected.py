import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)

# A schema kept in a variable, read only by the generation config

model = "gemini-2.5-flash"
response = client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "Classify: I love this phone."}],
    response_format={
        "type": "json_schema",
        "json_schema": {
            "name": "response",
            "schema": {
                "type": "string",
                "format": "enum",
                "enum": ["positive", "neutral", "negative"],
            },
        },
    },
)
print(response.choices[0].message.content)
