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
model = genai.GenerativeModel("gemini-2.5-flash", tools=[add, multiply])
response = model.generate_content("What is 2 + 3?")
print(response.candidates[0].content.parts[0].function_call.name)
