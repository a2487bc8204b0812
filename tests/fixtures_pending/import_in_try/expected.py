import os
import sys

try:
    from openai import OpenAI
except ImportError:
    # Tell the user what to install instead of a traceback.
    print("Please run: pip install google-generativeai")
    sys.exit(1)

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)
model = "gemini-1.5-flash"
print(client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "Explain recursion in one sentence."}],
).choices[0].message.content)
