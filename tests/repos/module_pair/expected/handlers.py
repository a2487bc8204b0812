from config import model, client


def _genai2openai_text(response):
    """genai's response.text: the text of the only reply, or ValueError as genai raised
    when there are several replies, or the reply has no text (blocked or empty)."""
    if len(response.choices) != 1:
        raise ValueError(
            "the response has "
            + str(len(response.choices))
            + " choices: read one of them"
        )
    content = response.choices[0].message.content
    if content is None:
        raise ValueError(
            "the reply has no text (finish_reason: "
            + str(response.choices[0].finish_reason)
            + ")"
        )
    return content


def handle(question: str) -> str:
    try:
        return _genai2openai_text(client.chat.completions.create(
            model=model,
            messages=[
                {
                    "role": "system",
                    "content": "You are a support bot. Answer in one sentence.",
                },
                {"role": "user", "content": question},
            ],
            temperature=0.3,
            top_p=0.9,
            max_tokens=200,
        ))
    except Exception as exc:  # the bot answers with the error text
        return f"Sorry: {exc}"
