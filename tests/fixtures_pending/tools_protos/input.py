import os

import google.generativeai as genai
from google.ai.generativelanguage_v1beta.types import content

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

calculator = genai.protos.Tool(
    function_declarations=[
        genai.protos.FunctionDeclaration(
            name="multiply",
            description="Multiply two numbers",
            parameters=content.Schema(
                type=content.Type.OBJECT,
                properties={
                    "a": content.Schema(type=content.Type.NUMBER),
                    "b": content.Schema(type=content.Type.NUMBER),
                },
                required=["a", "b"],
            ),
        )
    ]
)

model = genai.GenerativeModel("gemini-2.5-flash")
response = model.generate_content("What is 6 times 7?", tools=calculator)
print(response.parts[0].function_call.name)
