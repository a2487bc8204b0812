from config import genai, model

print(model.generate_content("Hello?").text)
# This module uses genai through config's import, configured there.
print(genai.GenerativeModel("gemini-2.0-flash").generate_content("Bye?").text)
