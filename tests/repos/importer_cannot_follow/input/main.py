from llm import model

print(model.count_tokens("How long is this?").total_tokens)
print(model.generate_content("Hello?").text)
