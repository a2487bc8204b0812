import google.generativeai as genai

from bots import Bot

# Bot.ask migrates with bots.py's own use; this genai model is passed to the same class.
print(Bot(genai.GenerativeModel("gemini-2.0-flash", system_instruction="Be terse.")).ask("What is snow?"))
