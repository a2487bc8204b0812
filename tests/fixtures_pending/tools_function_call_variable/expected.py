import os

from openai import OpenAI
import json

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)


def ask(prompt):
    model = "gemini-2.5-flash"
    response = client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": prompt}],
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "set_alarm",
                    "description": "Set an alarm",
                    "parameters": {
                        "type": "object",
                        "properties": {
                            "hour": {"type": "integer"},
                            "label": {"type": "string"},
                        },
                        "required": ["hour"],
                    },
                },
            },
        ],
    )
    # TODO(genai2openai): tool_calls holds only function calls and is None when the model called none (genai's parts[j] also counted text parts, whose function_call was empty)
    call = response.choices[0].message.tool_calls[0].function
    print("calling", call.name)
    # TODO(genai2openai): json.loads gives ints for whole numbers where genai's args (a protobuf Struct) gave floats
    label = json.loads(call.arguments)["label"]
    print(f"alarm: {label}")


ask("Wake me up at seven.")
