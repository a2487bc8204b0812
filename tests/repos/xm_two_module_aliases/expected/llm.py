SYSTEM = "You are a pirate."
model = "gemini-2.0-flash"
