import app
from app.svc import ask

print(app.model.generate_content("one").text)
print(ask("two"))
