SYSTEM = "You are thorough."
model = "gemini-2.5-flash"
