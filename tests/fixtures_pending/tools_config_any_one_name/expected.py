import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)

model = "gemini-2.5-flash"
response = client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "It's too bright in here."}],
    tools=[
        {
            "type": "function",
            "function": {"name": "lights_on", "description": "Turn the lights on"},
        },
        {
            "type": "function",
            "function": {"name": "lights_off", "description": "Turn the lights off"},
        },
    ],
    tool_choice={"type": "function", "function": {"name": "lights_off"}},
)
# TODO(genai2openai): tool_calls holds only function calls and is None when the model called none (genai's parts[j] also counted text parts, whose function_call was empty)
print(response.choices[0].message.tool_calls[0].function.name)

# A per-call tool_config replaces the model's
auto = client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "Good evening!"}],
    tools=[
        {
            "type": "function",
            "function": {"name": "lights_on", "description": "Turn the lights on"},
        },
        {
            "type": "function",
            "function": {"name": "lights_off", "description": "Turn the lights off"},
        },
    ],
    tool_choice="none",
)
print(auto.choices[0].message.content)
