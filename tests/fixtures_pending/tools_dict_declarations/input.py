import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

weather_tool = {
    "function_declarations": [
        {
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
        }
    ]
}

model = genai.GenerativeModel("gemini-2.5-flash", tools=[weather_tool])
response = model.generate_content("What's the weather in Lisbon for the next 2 days?")

# The model answers with a function call
print(response.candidates[0].content.parts[0].function_call.name)
args = response.candidates[0].content.parts[0].function_call.args
print(args["city"])
