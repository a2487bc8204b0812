import os

from openai import OpenAI
import json

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)

model = "gemini-2.5-flash"
response = client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "What's the weather in Lisbon for the next 2 days?"}],
    tools=[
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Current weather for a city",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "city": {"type": "string", "description": "City name"},
                        "days": {"type": "integer"},
                    },
                    "required": ["city"],
                },
            },
        },
    ],
)

# The model answers with a function call
# TODO(genai2openai): tool_calls holds only function calls and is None when the model called none (genai's parts[j] also counted text parts, whose function_call was empty)
print(response.choices[0].message.tool_calls[0].function.name)
# TODO(genai2openai): tool_calls holds only function calls and is None when the model called none (genai's parts[j] also counted text parts, whose function_call was empty); json.loads gives ints for whole numbers where genai's args (a protobuf Struct) gave floats
args = json.loads(response.choices[0].message.tool_calls[0].function.arguments)
print(args["city"])
