import llm

reply = llm.model.generate_content("Greet me.")
print(reply.text)
