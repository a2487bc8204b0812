import os

PROVIDER = os.environ.get("LLM_PROVIDER", "gemini")

if PROVIDER == "gemini":
    import google.generativeai as genai

    genai.configure(api_key=os.environ["GEMINI_API_KEY"])
else:
    # Only Gemini is wired up for now.
    raise SystemExit(f"unsupported provider: {PROVIDER}")

model = genai.GenerativeModel("gemini-1.5-flash")
print(model.generate_content("Give me a fun fact about octopuses.").text)
