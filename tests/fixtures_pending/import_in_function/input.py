import os
import sys


def ask(question: str) -> str:
    # Imported lazily so the CLI starts fast.
    import google.generativeai as genai

    genai.configure(api_key=os.environ["GEMINI_API_KEY"])
    model = genai.GenerativeModel("gemini-1.5-flash")
    return model.generate_content(question).text


if __name__ == "__main__":
    print(ask(" ".join(sys.argv[1:]) or "Hello there"))
