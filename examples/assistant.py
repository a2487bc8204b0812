"""A small class-based assistant, the way many projects wrap the SDK."""

import os

import google.generativeai as genai


class Assistant:
    def __init__(self, model_name: str = "models/gemini-2.5-pro"):
        genai.configure(api_key=os.environ["GEMINI_API_KEY"])
        self.model = genai.GenerativeModel(
            model_name,
            system_instruction="You answer questions about Python.",
            safety_settings={"HARASSMENT": "BLOCK_NONE"},
        )

    def ask(self, question: str) -> str:
        response = self.model.generate_content(
            question,
            generation_config=genai.types.GenerationConfig(temperature=0.2, max_output_tokens=512),
        )
        return response.candidates[0].content.parts[0].text


if __name__ == "__main__":
    print(Assistant().ask("What does `yield` do?"))
