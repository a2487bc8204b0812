import os

PROVIDER = os.environ.get("LLM_PROVIDER", "gemini")

if PROVIDER == "gemini":
    from openai import OpenAI

    client = OpenAI(
        api_key=os.environ["GEMINI_API_KEY"],
        base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
    )
else:
    # Only Gemini is wired up for now.
    raise SystemExit(f"unsupported provider: {PROVIDER}")

model = "gemini-1.5-flash"
print(client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "Give me a fun fact about octopuses."}],
).choices[0].message.content)
