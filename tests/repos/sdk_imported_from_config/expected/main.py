from config import genai, model, client

print(client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "Hello?"}],
).choices[0].message.content)
# This module uses genai through config's import, configured there.
print(genai.GenerativeModel("gemini-2.0-flash").generate_content("Bye?").text)
