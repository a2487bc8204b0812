import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

tools = [
    {
        "function_declarations": [
            {"name": "lights_on", "description": "Turn the lights on"},
            {"name": "lights_off", "description": "Turn the lights off"},
        ]
    }
]

model = genai.GenerativeModel(
    "gemini-2.5-flash",
    tools=tools,
    tool_config={"function_calling_config": {"mode": "any", "allowed_function_names": ["lights_off"]}},
)
response = model.generate_content("It's too bright in here.")
print(response.candidates[0].content.parts[0].function_call.name)

# A per-call tool_config replaces the model's
auto = model.generate_content(
    "Good evening!",
    tool_config=genai.protos.ToolConfig(
        function_calling_config=genai.protos.FunctionCallingConfig(mode=genai.protos.FunctionCallingConfig.Mode.NONE)
    ),
)
print(auto.text)
