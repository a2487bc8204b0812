import llm

print(llm.greeting.text)
llm.reset()
print(llm.greeting.text)
