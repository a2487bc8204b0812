import google.generativeai as genai

from bots import Bot

# Bot.ask migrates with bots.py's own use; this genai model is passed to the same class.
# TODO(genai2openai): a GenerativeModel is passed to Bot(), which genai2openai does not follow (another library's genai integration? use its OpenAI one)
print(Bot(genai.GenerativeModel("gemini-2.0-flash", system_instruction="Be terse.")).ask("What is snow?"))
