import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "src"))
from pkg.llm import model  # noqa: E402

print(model.generate_content("hi").text)
