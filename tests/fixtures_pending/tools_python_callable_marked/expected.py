import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])


def add(a: float, b: float) -> float:
    """Add two numbers."""
    return a + b


def multiply(a: float, b: float) -> float:
    """Multiply two numbers."""
    return a * b


# genai derived the declarations from the functions' signatures
# TODO(genai2openai): a Python function as a tool: genai built its declaration from the signature (and could call it itself); write {"type": "function", "function": {"name", "description", "parameters"}} by hand and run the function on message.tool_calls yourself
model = genai.GenerativeModel("gemini-2.5-flash", tools=[add, multiply])
response = model.generate_content("What is 2 + 3?")
print(response.candidates[0].content.parts[0].function_call.name)
