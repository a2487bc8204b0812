# TODO(genai2openai): `model` stays on genai in app/__init__.py: genai2openai cannot follow it here (its `import *` hides which names it uses)
from app import *

print(model.generate_content("one").text)
