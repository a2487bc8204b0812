from llm import ask


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


r = ask("a")
try:
    print(_genai2openai_text(r))
except ValueError as e:
    print("several")
print(r.choices[1].message.content)
