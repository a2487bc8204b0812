SYSTEM = "You are terse."
model = "gemini-2.0-flash"
