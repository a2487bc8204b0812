from handlers import handle

print(handle("How do I reset my password?"))
