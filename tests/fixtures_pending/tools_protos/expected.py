import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)

model = "gemini-2.5-flash"
response = client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "What is 6 times 7?"}],
    tools=[
        {
            "type": "function",
            "function": {
                "name": "multiply",
                "description": "Multiply two numbers",
                "parameters": {
                    "type": "object",
                    "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                    "required": ["a", "b"],
                },
            },
        },
    ],
)
# TODO(genai2openai): tool_calls holds only function calls and is None when the model called none (genai's parts[j] also counted text parts, whose function_call was empty)
print(response.choices[0].message.tool_calls[0].function.name)
