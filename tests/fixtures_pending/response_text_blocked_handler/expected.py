import os

from openai import OpenAI

client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)
model = "gemini-1.5-flash"


def safe_answer(prompt):
    response = client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": prompt}],
    )
    try:
        # TODO(genai2openai): response.text raised ValueError for a blocked answer; choices[0].message.content is None instead (check finish_reason == "content_filter")
        return response.choices[0].message.content
    except ValueError:
        # Blocked by the safety filters: the response has no text part
        return "Sorry, I can't answer that."


print(safe_answer("Tell me about volcanoes."))
