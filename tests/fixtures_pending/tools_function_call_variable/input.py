import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

set_alarm = {
    "name": "set_alarm",
    "description": "Set an alarm",
    "parameters": {
        "type_": "OBJECT",
        "properties": {"hour": {"type_": "INTEGER"}, "label": {"type_": "STRING"}},
        "required": ["hour"],
    },
}


def ask(prompt):
    model = genai.GenerativeModel("gemini-2.5-flash", tools=set_alarm)
    response = model.generate_content(prompt)
    call = response.candidates[0].content.parts[0].function_call
    print("calling", call.name)
    label = call.args["label"]
    print(f"alarm: {label}")


ask("Wake me up at seven.")
