
model = "gemini-2.5-flash"
