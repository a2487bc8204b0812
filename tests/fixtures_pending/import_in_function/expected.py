import os
import sys


def ask(question: str) -> str:
    # Imported lazily so the CLI starts fast.
    from openai import OpenAI

    global client
    client = OpenAI(
        api_key=os.environ["GEMINI_API_KEY"],
        base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
    )
    model = "gemini-1.5-flash"
    return client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": question}],
    ).choices[0].message.content


if __name__ == "__main__":
    print(ask(" ".join(sys.argv[1:]) or "Hello there"))
