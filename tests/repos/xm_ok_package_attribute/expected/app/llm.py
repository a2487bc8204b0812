model = "gemini-2.0-flash"
